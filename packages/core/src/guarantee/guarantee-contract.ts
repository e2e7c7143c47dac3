/**
 * A tenant's service guarantee: which incidents it covers (attack categories from
 * identification) and which services (response hours, forensics, recovery), its limits (per
 * incident, per calendar year, and a deductible per incident), its exclusions and the hourly
 * rates per responder role. Money is in integer minor units of `currency` (cents), never
 * floats. A contract is changed by a new version; the version in force when an incident was
 * opened is the one that answers for it.
 */
import { ATTACK_CATEGORIES } from '../identification/attack-category.ts';
import type { AttackCategory } from '../identification/attack-category.ts';
import type { ReadinessCheckId } from '../readiness/readiness-report.ts';
import { READINESS_CHECKS } from '../readiness/readiness-report.ts';
import { CordonError } from '../errors/cordon-error.ts';

export const GUARANTEE_SERVICES = ['response_hours', 'forensics', 'recovery'] as const;
export type GuaranteedService = (typeof GUARANTEE_SERVICES)[number];

/** Largest amount anywhere in the ledger: sums of many stay exact in a double (< 2^53). */
export const MAX_MINOR = 1_000_000_000_000;

export interface GuaranteeRate {
  readonly role: string;
  /** Minor units per hour. */
  readonly hourlyMinor: number;
}

/**
 * A readiness gap the client was told to close and did not: the check failed when the client
 * was notified, at least `graceDays` passed before the incident, and the check still failed at
 * the last readiness snapshot before the incident.
 */
export interface IgnoredReadinessGapExclusion {
  readonly kind: 'ignored_readiness_gap';
  readonly check: ReadinessCheckId;
  readonly graceDays: number;
}

export type GuaranteeExclusion = IgnoredReadinessGapExclusion;

export interface GuaranteeTerms {
  readonly currency: string;
  readonly categories: readonly AttackCategory[];
  readonly services: readonly GuaranteedService[];
  readonly perIncidentLimitMinor: number;
  readonly perYearLimitMinor: number;
  readonly deductibleMinor: number;
  readonly rates: readonly GuaranteeRate[];
  readonly exclusions: readonly GuaranteeExclusion[];
}

export interface GuaranteeContract {
  readonly tenantId: string;
  readonly version: number;
  readonly terms: GuaranteeTerms;
  readonly createdBy: string;
  readonly createdAt: number;
}

const invalid = (message: string): CordonError => new CordonError('invalid_input', message);

function checkMinor(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > MAX_MINOR)
    throw invalid(`${name} must be a whole number of minor units from 0 to ${MAX_MINOR}`);
}

/** Refuses terms that could not be applied (the schema has checked the shapes). */
export function checkGuaranteeTerms(terms: GuaranteeTerms): void {
  if (!/^[A-Z]{3}$/.test(terms.currency)) throw invalid('currency must be an ISO 4217 code');
  for (const c of terms.categories)
    if (!(ATTACK_CATEGORIES as readonly string[]).includes(c))
      throw invalid(`unknown attack category ${c}`);
  checkMinor('perIncidentLimitMinor', terms.perIncidentLimitMinor);
  checkMinor('perYearLimitMinor', terms.perYearLimitMinor);
  checkMinor('deductibleMinor', terms.deductibleMinor);
  const roles = new Set<string>();
  for (const rate of terms.rates) {
    checkMinor(`the rate of ${rate.role}`, rate.hourlyMinor);
    if (roles.has(rate.role)) throw invalid(`role ${rate.role} has two rates`);
    roles.add(rate.role);
  }
  for (const e of terms.exclusions) {
    if (!(READINESS_CHECKS as readonly string[]).includes(e.check))
      throw invalid(`unknown readiness check ${e.check}`);
    if (!Number.isInteger(e.graceDays) || e.graceDays < 0 || e.graceDays > 3650)
      throw invalid('graceDays must be 0 to 3650');
  }
}

/** The version in force at `at`: the newest created at or before it. */
export function contractInForce(
  contracts: readonly GuaranteeContract[],
  at: number,
): GuaranteeContract | undefined {
  let found: GuaranteeContract | undefined;
  for (const c of contracts)
    if (c.createdAt <= at && (!found || c.version > found.version)) found = c;
  return found;
}
