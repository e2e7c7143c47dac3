/**
 * API schemas of the service guarantee under `/api/v1/tenants/{tenantId}/guarantee/…` and
 * `…/incidents/{incidentId}/guarantee/…`: the contract (a new version on every PUT), notices of
 * readiness gaps, time and cost entries with their corrections, and statements. Money is in
 * integer minor units (cents) of the contract's currency.
 */
import { Type } from '@sinclair/typebox';
import { Timestamp, closed, literals } from './common.schema.ts';
import { AttackCategoryName } from './identification.schema.ts';
import { Phase } from './incident.schema.ts';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Minor = Type.Integer({ minimum: 0, maximum: 1_000_000_000_000, description: 'minor units' });

export const GuaranteedServiceName = literals(['response_hours', 'forensics', 'recovery']);
export const ReadinessCheckName = literals([
  'documentation_coverage',
  'documentation_freshness',
  'backups_within_rpo',
  'restore_tests',
  'offline_copies',
  'functions_mapped',
  'plan_reviewed',
  'roles_staffed',
  'agents_deployed',
  'log_sources_flowing',
  'last_exercise',
]);

export const GuaranteeTermsSchema = closed({
  currency: Type.String({ pattern: '^[A-Z]{3}$' }),
  categories: Type.Array(AttackCategoryName, { maxItems: 20, uniqueItems: true }),
  services: Type.Array(GuaranteedServiceName, { maxItems: 3, uniqueItems: true }),
  perIncidentLimitMinor: Minor,
  perYearLimitMinor: Minor,
  deductibleMinor: Minor,
  rates: Type.Array(closed({ role: Text(100), hourlyMinor: Minor }), { maxItems: 50 }),
  exclusions: Type.Array(
    closed({
      kind: Type.Literal('ignored_readiness_gap'),
      check: ReadinessCheckName,
      graceDays: Type.Integer({ minimum: 0, maximum: 3650 }),
    }),
    { maxItems: 20 },
  ),
});

export const GapNoticeRequest = closed({ check: ReadinessCheckName, note: Text(2000) });

const EntryFields = {
  responder: Text(200),
  role: Text(100),
  service: GuaranteedServiceName,
  phase: Phase,
  activity: Text(1000),
  occurredAt: Timestamp,
};

export const TimeEntryRequest = closed({
  kind: Type.Literal('time'),
  ...EntryFields,
  minutes: Type.Integer({ minimum: 1, maximum: 44_640 }),
  hourlyMinor: Type.Optional(Minor),
});

export const CostEntryRequest = closed({
  kind: Type.Literal('cost'),
  ...EntryFields,
  amountMinor: Minor,
});

export const GuaranteeEntryRequest = Type.Union([TimeEntryRequest, CostEntryRequest]);

export const CorrectionRequest = closed({
  reason: Text(2000),
  replacement: Type.Optional(GuaranteeEntryRequest),
});

/** The month of a statement, UTC; default: the current month. */
export const MonthQuery = closed({
  month: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}$' })),
});
