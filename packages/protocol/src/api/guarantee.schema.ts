/**
 * API schemas of the service guarantee under `/api/v1/tenants/{tenantId}/guarantee/…` and
 * `…/incidents/{incidentId}/guarantee/…`: the contract (a new version on every PUT), notices of
 * readiness gaps, time and cost entries with their corrections, and statements. Money is in
 * integer minor units (cents) of the contract's currency.
 */
import { Type } from '@sinclair/typebox';
import { Timestamp, Uuid, closed, literals } from './common.schema.ts';
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

const Instant = Type.String({ format: 'date-time' });
const Amount = Type.Integer({ description: 'minor units' });

export const GuaranteeContractView = closed({
  version: Type.Integer(),
  terms: GuaranteeTermsSchema,
  createdBy: Type.String(),
  createdAt: Instant,
});

/** GET …/guarantee/contract: the version in force now (null before the first) and every version, oldest first. */
export const GuaranteeContractVersions = closed({
  current: Type.Union([GuaranteeContractView, Type.Null()]),
  versions: Type.Array(GuaranteeContractView),
});

export const GapNoticeView = closed({
  id: Uuid,
  check: ReadinessCheckName,
  measured: Type.String(),
  note: Type.String(),
  notifiedBy: Type.String(),
  notifiedAt: Instant,
});

export const GapNoticeList = closed({ items: Type.Array(GapNoticeView) });

const EntryRecord = {
  id: Uuid,
  incidentId: Uuid,
  reverses: Type.Union([Uuid, Type.Null()]),
  occurredAt: Instant,
  recordedBy: Type.String(),
  recordedAt: Instant,
};
const EntryWork = {
  responder: Type.String(),
  role: Type.String(),
  service: GuaranteedServiceName,
  phase: Phase,
  activity: Type.String(),
};

const TimeFields = {
  kind: Type.Literal('time'),
  ...EntryRecord,
  ...EntryWork,
  minutes: Type.Integer(),
  hourlyMinor: Amount,
};
const CostFields = {
  kind: Type.Literal('cost'),
  ...EntryRecord,
  ...EntryWork,
  amountMinor: Amount,
};
const ReversalFields = { kind: Type.Literal('reversal'), ...EntryRecord, reason: Type.String() };

/** A ledger entry: time, cost, or the reversal of another entry. */
export const GuaranteeEntryView = Type.Union([
  closed(TimeFields),
  closed(CostFields),
  closed(ReversalFields),
]);

export const GuaranteeEntryList = closed({ items: Type.Array(GuaranteeEntryView) });

export const CorrectionAnswer = closed({
  reversal: GuaranteeEntryView,
  replacement: Type.Union([GuaranteeEntryView, Type.Null()]),
});

export const LedgerReasonName = literals([
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
]);

const StatementPart = closed({
  reason: LedgerReasonName,
  amountMinor: Amount,
  covered: Type.Boolean(),
  detail: Type.String(),
});

const LineFigures = {
  amountMinor: Amount,
  coveredMinor: Amount,
  billableMinor: Amount,
  parts: Type.Array(StatementPart),
};

export const GuaranteeStatementView = closed({
  tenantId: Uuid,
  scope: Type.Union([
    closed({ kind: Type.Literal('incident'), incidentId: Uuid }),
    closed({ kind: Type.Literal('month'), month: Type.String(), from: Instant, to: Instant }),
  ]),
  currency: Type.Union([Type.String(), Type.Null()]),
  incidents: Type.Array(
    closed({
      incidentId: Uuid,
      contractVersion: Type.Union([Type.Integer(), Type.Null()]),
      category: Type.Union([Type.String(), Type.Null()]),
      exclusion: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  /** Each entry with what it cost (a cost entry's own amountMinor is that figure too). */
  lines: Type.Array(
    Type.Union(
      [TimeFields, CostFields, ReversalFields].map((fields) =>
        closed({ ...fields, ...LineFigures }),
      ),
    ),
  ),
  totals: closed({ amountMinor: Amount, coveredMinor: Amount, billableMinor: Amount }),
});
