/** Incidents, their phases and the records attached to them. */
import { Type } from '@sinclair/typebox';
import { CursorQuery, PageQuery, Timestamp, Uuid, closed, literals } from './common.schema.ts';

export const Phase = literals([
  'detected',
  'identified',
  'contained',
  'analysed',
  'eradicated',
  'recovered',
  'verified',
  'closed',
]);
export const Severity = literals(['low', 'medium', 'high', 'critical']);
export const ClosureReason = literals(['resolved', 'false_positive', 'duplicate']);
export const ObservableKind = literals(['ip', 'domain', 'url', 'file_hash', 'user', 'host']);
export const TaskStatus = literals(['open', 'done', 'failed', 'waived']);

const Text = (max: number) => Type.String({ maxLength: max });
const NullableText = (max: number) =>
  Type.Union([Type.String({ minLength: 1, maxLength: max }), Type.Null()]);

export const Origin = closed({
  address: Type.String({ minLength: 1, maxLength: 100 }),
  scope: literals(['internal', 'external', 'unknown']),
  note: Type.Optional(Text(1000)),
});

export const IncidentView = closed({
  id: Uuid,
  tenantId: Uuid,
  number: Type.Integer(),
  reference: Type.String({ description: 'INC-<number>' }),
  title: Type.String(),
  summary: Type.String(),
  severity: Severity,
  phase: Phase,
  assigneeUserId: Type.Union([Uuid, Type.Null()]),
  affectedAssets: Type.Array(Type.String()),
  attackTechniques: Type.Array(Type.String()),
  origins: Type.Array(Origin),
  containmentNote: Type.Union([Type.String(), Type.Null()]),
  rootCause: Type.Union([Type.String(), Type.Null()]),
  scope: Type.Union([Type.String(), Type.Null()]),
  lessonsLearned: Type.Union([Type.String(), Type.Null()]),
  closureReason: Type.Union([ClosureReason, Type.Null()]),
  duplicateOf: Type.Union([Uuid, Type.Null()]),
  firstActivityAt: Type.Union([Timestamp, Type.Null()]),
  acknowledgedAt: Type.Union([Timestamp, Type.Null()]),
  phaseTimes: Type.Record(Type.String(), Timestamp),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

export const CreateIncidentRequest = closed({
  title: Type.String({ minLength: 1, maxLength: 300 }),
  summary: Type.Optional(Text(20_000)),
  severity: Severity,
  assigneeUserId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  firstActivityAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
});

export const UpdateIncidentRequest = closed({
  title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  summary: Type.Optional(Text(20_000)),
  severity: Type.Optional(Severity),
  assigneeUserId: Type.Optional(Type.Union([Uuid, Type.Null()])),
  affectedAssets: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 300 }), {
      maxItems: 1000,
      uniqueItems: true,
    }),
  ),
  attackTechniques: Type.Optional(
    Type.Array(
      Type.String({
        pattern: '^(T[0-9]{4}(\\.[0-9]{3})?|TA[0-9]{4})$',
        description: 'ATT&CK technique or tactic id',
      }),
      {
        maxItems: 100,
        uniqueItems: true,
      },
    ),
  ),
  origins: Type.Optional(Type.Array(Origin, { maxItems: 1000 })),
  containmentNote: Type.Optional(NullableText(20_000)),
  rootCause: Type.Optional(NullableText(20_000)),
  scope: Type.Optional(NullableText(20_000)),
  lessonsLearned: Type.Optional(NullableText(20_000)),
  firstActivityAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
});

export const TransitionRequest = closed({
  to: Phase,
  closureReason: Type.Optional(ClosureReason),
  duplicateOf: Type.Optional(Uuid),
  overrideJustification: Type.Optional(Type.String({ minLength: 1, maxLength: 5000 })),
});

export const TransitionView = closed({
  from: Type.String(),
  to: Type.String(),
  at: Timestamp,
  actor: Type.String(),
  overrideJustification: Type.Union([Type.String(), Type.Null()]),
  unmetConditions: Type.Array(Type.String()),
});

export const TransitionResponse = closed({ incident: IncidentView, transition: TransitionView });

export const ListIncidentsQuery = closed({
  ...PageQuery,
  ...CursorQuery,
  phase: Type.Optional(Phase),
  severity: Type.Optional(Severity),
});

export const NoteView = closed({
  id: Uuid,
  author: Type.String(),
  body: Type.String(),
  createdAt: Timestamp,
});
export const CreateNoteRequest = closed({
  body: Type.String({ minLength: 1, maxLength: 100_000 }),
});

export const ObservableView = closed({
  id: Uuid,
  kind: ObservableKind,
  value: Type.String(),
  firstSeen: Timestamp,
  lastSeen: Timestamp,
  note: Type.Union([Type.String(), Type.Null()]),
});
export const CreateObservableRequest = closed({
  kind: ObservableKind,
  value: Type.String({ minLength: 1, maxLength: 2048 }),
  firstSeen: Type.Optional(Timestamp),
  lastSeen: Type.Optional(Timestamp),
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});

export const LinkAlertRequest = closed({ alertId: Type.String({ minLength: 1, maxLength: 200 }) });

export const TaskView = closed({
  id: Uuid,
  phase: Phase,
  title: Type.String(),
  status: TaskStatus,
  createdAt: Timestamp,
  completedAt: Type.Union([Timestamp, Type.Null()]),
  completedBy: Type.Union([Type.String(), Type.Null()]),
  /** Why a `waived` task was waived (`completedBy` waived it). */
  waiverReason: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
export const CreateTaskRequest = closed({
  phase: Phase,
  title: Type.String({ minLength: 1, maxLength: 500 }),
});
/** `reason` (10..2000 characters) is required for `waived`, an incident lead's decision. */
export const UpdateTaskRequest = closed({
  status: TaskStatus,
  reason: Type.Optional(Type.String({ maxLength: 2000 })),
});

const Summary = closed({
  count: Type.Integer(),
  meanMs: Type.Union([Type.Number(), Type.Null()]),
  medianMs: Type.Union([Type.Number(), Type.Null()]),
  p90Ms: Type.Union([Type.Number(), Type.Null()]),
});
export const IncidentMetricsView = closed({
  timeToDetectMs: Type.Union([Type.Number(), Type.Null()]),
  timeToAcknowledgeMs: Type.Union([Type.Number(), Type.Null()]),
  timeToContainMs: Type.Union([Type.Number(), Type.Null()]),
  timeToRecoverMs: Type.Union([Type.Number(), Type.Null()]),
  timeToIdentifyMs: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  timeToEradicateMs: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  timeToVerifyMs: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  timeToCloseMs: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
});
export const TenantMetricsView = closed({
  incidents: Type.Integer(),
  mttd: Summary,
  mtta: Summary,
  mttc: Summary,
  mttr: Summary,
});
export const MetricsQuery = closed({
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
});
