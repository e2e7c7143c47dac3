/**
 * Tenant contracts (issue 16): the working calendar, SLA terms and regulatory regimes of a
 * tenant, SLA pauses, reportability determinations and regulatory notices. Instants are RFC 3339
 * strings; durations in a regime are `{ kind, hours | days | months }`.
 */
import { Type } from '@sinclair/typebox';
import { Timestamp, closed, literals } from './common.schema.ts';

const RegimeId = Type.String({ pattern: '^[a-z0-9][a-z0-9-]{0,47}$' });
const Text = (maxLength: number) => Type.String({ minLength: 1, maxLength });
const Interval = Type.String({
  pattern: '^\\d{2}:\\d{2}-\\d{2}:\\d{2}$',
  description: 'HH:MM-HH:MM',
});
const Day = Type.Optional(Type.Array(Interval, { maxItems: 8 }));

export const BusinessCalendarBody = closed({
  timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone' }),
  mode: Type.Optional(literals(['business_hours', 'always'])),
  hours: Type.Optional(
    closed({ mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day, sun: Day }),
  ),
  holidays: Type.Optional(
    Type.Array(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' }), { maxItems: 1000 }),
  ),
});

const Minutes = Type.Optional(Type.Integer({ minimum: 1, maximum: 525_600 }));
const Targets = Type.Optional(closed({ acknowledge: Minutes, contain: Minutes, resolve: Minutes }));
const Share = Type.Optional(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 1 }));

export const SlaTermsBody = closed({
  clock: Type.Optional(literals(['business_hours', 'always'])),
  atRiskShare: Share,
  targets: closed({ low: Targets, medium: Targets, high: Targets, critical: Targets }),
});

const Amount = Type.Integer({ minimum: 1, maximum: 9_600 });
const Duration = Type.Union([
  closed({ kind: Type.Literal('hours'), hours: Amount }),
  closed({ kind: Type.Literal('days'), days: Amount }),
  closed({ kind: Type.Literal('months'), months: Amount }),
  closed({ kind: Type.Literal('business_days'), days: Amount }),
]);
const Trigger = Type.Union([
  closed({ kind: literals(['awareness', 'determination', 'payment']) }),
  closed({ kind: Type.Literal('notice_sent'), obligation: RegimeId }),
]);

export const RegulatoryRegimeBody = closed({
  id: RegimeId,
  title: Text(300),
  jurisdiction: Text(300),
  reference: Text(300),
  note: Type.Optional(Text(300)),
  obligations: Type.Array(
    closed({
      id: RegimeId,
      title: Text(300),
      recipient: Text(300),
      limits: Type.Array(closed({ trigger: Trigger, within: Duration }), {
        minItems: 1,
        maxItems: 4,
      }),
    }),
    { minItems: 1, maxItems: 10 },
  ),
});

const ProfileText = Type.Optional(Type.Union([Type.Null(), Type.String({ maxLength: 300 })]));

export const TenantContractRequest = closed({
  calendar: BusinessCalendarBody,
  sla: Type.Optional(Type.Union([Type.Null(), SlaTermsBody])),
  regimes: Type.Optional(Type.Array(RegimeId, { maxItems: 60 })),
  customRegimes: Type.Optional(Type.Array(RegulatoryRegimeBody, { maxItems: 50 })),
  deadlineNearShare: Share,
  reporting: Type.Optional(
    closed({
      organisation: ProfileText,
      sector: ProfileText,
      location: ProfileText,
      contactName: ProfileText,
      contactEmail: ProfileText,
      contactPhone: ProfileText,
    }),
  ),
});

export const SlaPauseRequest = closed({ reason: Text(2000) });

export const SlaReportQuery = closed({
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
});

export const DeterminationRequest = closed({
  reportable: Type.Boolean(),
  regimes: Type.Array(RegimeId, { maxItems: 60 }),
  reason: Text(4000),
  awarenessAt: Type.Optional(Timestamp),
  paymentAt: Type.Optional(Type.Union([Type.Null(), Timestamp])),
});

/** `regime` and `obligation` are catalogue (or the tenant's own) ids, not stored records. */
export const RegulatoryNoticeRequest = closed({
  regime: RegimeId,
  obligation: RegimeId,
  channel: Text(200),
  recipient: Type.Optional(Text(200)),
  sentAt: Type.Optional(Timestamp),
  /** The text sent (bounded by the server's notice limit). */
  content: Type.String({ minLength: 1, maxLength: 262_144 }),
});

const Instant = Type.String({ format: 'date-time' });
const InstantOrNull = Type.Union([Instant, Type.Null()]);

/** GET /api/v1/regulatory-regimes: the catalogue, in the shape a contract's custom regimes take. */
export const RegimeCatalogueView = closed({ regimes: Type.Array(RegulatoryRegimeBody) });

export const SlaPauseView = closed({
  id: Type.String(),
  tenantId: Type.String(),
  incidentId: Type.String(),
  reason: Type.String(),
  startedBy: Type.String(),
  startedAt: Instant,
  endedBy: Type.Union([Type.String(), Type.Null()]),
  endedAt: InstantOrNull,
});

export const SlaClockView = closed({
  metric: literals(['acknowledge', 'contain', 'resolve']),
  targetMinutes: Type.Integer(),
  startedAt: Instant,
  stoppedAt: InstantOrNull,
  /** Counted time so far (business or 24×7, pauses taken out), and left (negative once past). */
  elapsedMs: Type.Number(),
  remainingMs: Type.Number(),
  /** Null while an open pause holds the clock. */
  dueAt: InstantOrNull,
  atRiskAt: InstantOrNull,
  state: literals(['running', 'at_risk', 'paused', 'breached', 'met', 'missed']),
});

/** GET …/incidents/{id}/sla; `covered` is false without a contract or SLA terms. */
export const IncidentSlaView = closed({
  clocks: Type.Array(SlaClockView),
  pauses: Type.Array(SlaPauseView),
  covered: Type.Boolean(),
});
