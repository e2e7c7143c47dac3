/**
 * The guarantee ledger: which part of each time and cost entry the guarantee covers and
 * which part the client pays, with the reason for each part. Entries are taken in the order
 * they happened (then recorded, then id), so limits fill up the way the work was done:
 *
 * - an incident whose category the contract does not name, a service it does not cover, an
 *   incident opened with no contract in force, or one excluded (an ignored readiness gap):
 *   billable, with that reason;
 * - otherwise the incident's deductible is billed first, then the rest is covered until the
 *   per-incident limit or the year's limit (calendar year, UTC, of the incident's opening,
 *   shared by every incident opened that year) is reached; the remainder is billable.
 *
 * A reversed entry and its reversal count for nothing and say so; the replacement counts.
 */
import type { ReadinessSnapshot } from '../readiness/readiness-snapshot.ts';
import type { GuaranteeContract } from './guarantee-contract.ts';
import { contractInForce } from './guarantee-contract.ts';
import type { GuaranteeEntry } from './guarantee-entry.ts';
import { entryAmountMinor } from './guarantee-entry.ts';
import type { ReadinessGapNotice } from './readiness-gap-notice.ts';
import { gapExclusion } from './readiness-gap-notice.ts';

export const LEDGER_REASONS = [
  'covered',
  'deductible',
  'incident_limit_reached',
  'year_limit_reached',
  'category_not_covered',
  'service_not_covered',
  'excluded',
  'no_contract',
  'reversed',
  'reversal',
] as const;
export type LedgerReason = (typeof LEDGER_REASONS)[number];

export interface LedgerPart {
  readonly reason: LedgerReason;
  readonly amountMinor: number;
  readonly covered: boolean;
  readonly detail: string;
}

export interface LedgerLine {
  readonly entry: GuaranteeEntry;
  readonly amountMinor: number;
  readonly coveredMinor: number;
  readonly billableMinor: number;
  readonly parts: readonly LedgerPart[];
}

export interface LedgerIncident {
  readonly id: string;
  readonly openedAt: number;
  /** The attack category identification recorded, if any. */
  readonly category: string | null;
}

export interface IncidentLedger {
  readonly incidentId: string;
  readonly contractVersion: number | null;
  readonly category: string | null;
  readonly exclusion: string | null;
  readonly lines: LedgerLine[];
}

export interface LedgerInput {
  readonly incidents: readonly LedgerIncident[];
  readonly contracts: readonly GuaranteeContract[];
  readonly entries: readonly GuaranteeEntry[];
  readonly notices: readonly ReadinessGapNotice[];
  readonly snapshots: readonly ReadinessSnapshot[];
}

export interface Totals {
  readonly amountMinor: number;
  readonly coveredMinor: number;
  readonly billableMinor: number;
}

interface IncidentState {
  readonly ledger: IncidentLedger;
  readonly contract: GuaranteeContract | undefined;
  readonly year: number;
  deductibleLeft: number;
  coveredSoFar: number;
}

const byOccurrence = (a: GuaranteeEntry, b: GuaranteeEntry): number =>
  a.occurredAt - b.occurredAt ||
  a.recordedAt - b.recordedAt ||
  (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

const part = (reason: LedgerReason, amountMinor: number, detail: string): LedgerPart => ({
  reason,
  amountMinor,
  covered: reason === 'covered',
  detail,
});

export function computeLedger(input: LedgerInput): Map<string, IncidentLedger> {
  const states = new Map<string, IncidentState>();
  for (const incident of input.incidents) {
    const contract = contractInForce(input.contracts, incident.openedAt);
    const exclusion = contract
      ? gapExclusion({ terms: contract.terms, openedAt: incident.openedAt, ...input })
      : null;
    states.set(incident.id, {
      ledger: {
        incidentId: incident.id,
        contractVersion: contract?.version ?? null,
        category: incident.category,
        exclusion,
        lines: [],
      },
      contract,
      year: new Date(incident.openedAt).getUTCFullYear(),
      deductibleLeft: contract?.terms.deductibleMinor ?? 0,
      coveredSoFar: 0,
    });
  }
  const reversed = new Map<string, string>();
  for (const e of input.entries) if (e.reverses) reversed.set(e.reverses, e.id);
  const yearCovered = new Map<number, number>();
  for (const entry of [...input.entries].sort(byOccurrence)) {
    const state = states.get(entry.incidentId);
    if (!state) continue;
    const amount = entryAmountMinor(entry.body);
    const reversal = reversed.get(entry.id);
    const parts =
      entry.body.kind === 'reversal'
        ? [part('reversal', 0, `reverses ${entry.reverses ?? '?'}: ${entry.body.reason}`)]
        : reversal
          ? [part('reversed', amount, `reversed by ${reversal}`)]
          : split(state, entry, amount, yearCovered);
    const coveredMinor = sum(parts.filter((p) => p.covered));
    const counts = !parts.some((p) => p.reason === 'reversed' || p.reason === 'reversal');
    state.ledger.lines.push({
      entry,
      amountMinor: amount,
      coveredMinor,
      billableMinor: counts ? amount - coveredMinor : 0,
      parts,
    });
  }
  return new Map([...states].map(([id, s]) => [id, s.ledger]));
}

function split(
  state: IncidentState,
  entry: GuaranteeEntry,
  amount: number,
  yearCovered: Map<number, number>,
): LedgerPart[] {
  const refusal = refusalOf(state, entry);
  if (refusal) return [part(refusal.reason, amount, refusal.detail)];
  const terms = state.contract!.terms;
  const parts: LedgerPart[] = [];
  let rest = amount;
  const deductible = Math.min(rest, state.deductibleLeft);
  if (deductible > 0) {
    parts.push(part('deductible', deductible, `deductible ${terms.deductibleMinor} per incident`));
    state.deductibleLeft -= deductible;
    rest -= deductible;
  }
  const usedThisYear = yearCovered.get(state.year) ?? 0;
  const incidentRoom = terms.perIncidentLimitMinor - state.coveredSoFar;
  const yearRoom = terms.perYearLimitMinor - usedThisYear;
  const covered = Math.max(0, Math.min(rest, incidentRoom, yearRoom));
  if (covered > 0) {
    parts.push(part('covered', covered, `contract v${state.contract!.version}`));
    state.coveredSoFar += covered;
    yearCovered.set(state.year, usedThisYear + covered);
    rest -= covered;
  }
  if (rest > 0) {
    const byIncident = incidentRoom <= yearRoom;
    parts.push(
      byIncident
        ? part('incident_limit_reached', rest, `limit ${terms.perIncidentLimitMinor} per incident`)
        : part('year_limit_reached', rest, `limit ${terms.perYearLimitMinor} in ${state.year}`),
    );
  }
  return parts;
}

function refusalOf(
  state: IncidentState,
  entry: GuaranteeEntry,
): { reason: LedgerReason; detail: string } | null {
  const { contract, ledger } = state;
  if (!contract)
    return { reason: 'no_contract', detail: 'no guarantee contract in force at opening' };
  if (ledger.exclusion) return { reason: 'excluded', detail: ledger.exclusion };
  const category = ledger.category;
  if (category === null || !(contract.terms.categories as readonly string[]).includes(category))
    return {
      reason: 'category_not_covered',
      detail: category === null ? 'no attack category identified' : `category ${category}`,
    };
  if (entry.body.kind !== 'reversal' && !contract.terms.services.includes(entry.body.service))
    return { reason: 'service_not_covered', detail: `service ${entry.body.service}` };
  return null;
}

const sum = (parts: readonly { amountMinor: number }[]): number =>
  parts.reduce((total, p) => total + p.amountMinor, 0);

/** What counts: reversed entries and reversals add nothing. */
export function ledgerTotals(lines: readonly LedgerLine[]): Totals {
  const coveredMinor = lines.reduce((t, l) => t + l.coveredMinor, 0);
  const billableMinor = lines.reduce((t, l) => t + l.billableMinor, 0);
  return { amountMinor: coveredMinor + billableMinor, coveredMinor, billableMinor };
}
