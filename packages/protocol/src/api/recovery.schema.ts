/**
 * API schemas of recovery (change records, restores, containment release), verification
 * (checks and their runs) and closure (the closing review and the incident's figures), under
 * `/api/v1/tenants/{tenantId}/incidents/{incidentId}/…`.
 */
import { Type } from '@sinclair/typebox';
import { Timestamp, Uuid, closed, literals } from './common.schema.ts';
import { ObservableKind, Phase } from './incident.schema.ts';

const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) =>
  Type.Union([t, Type.Null()]);

export const ChangeArea = literals(['system', 'hardware', 'process']);
export const TechniqueId = Type.String({ pattern: '^T\\d{4}(\\.\\d{3})?$' });
export const MitigationId = Type.String({ pattern: '^M\\d{4}$' });

export const ChangeFindingSchema = Type.Union([
  closed({ kind: Type.Literal('root_cause') }),
  closed({ kind: Type.Literal('technique'), techniqueId: TechniqueId }),
  closed({ kind: Type.Literal('observable'), observableId: Uuid }),
]);

/**
 * The finding is flat in a request (`finding` names its kind; `technique` or `observableId`
 * says which one), so that every id a body carries sits at its top level.
 */
export const CreateChangeRecordRequest = closed({
  area: ChangeArea,
  title: Text(500),
  description: Type.Optional(Type.String({ maxLength: 10_000 })),
  reason: Text(5000),
  changedBy: Text(200),
  changedAt: Type.Optional(Timestamp),
  finding: literals(['root_cause', 'technique', 'observable']),
  technique: Type.Optional(TechniqueId),
  observableId: Type.Optional(Uuid),
  /** The ATT&CK mitigation it implements (one of the suggestions, usually). */
  mitigation: Type.Optional(MitigationId),
});

export const ChangeRecordView = closed({
  id: Uuid,
  incidentId: Uuid,
  area: ChangeArea,
  title: Type.String(),
  description: Type.String(),
  reason: Type.String(),
  changedBy: Type.String(),
  changedAt: Timestamp,
  finding: ChangeFindingSchema,
  mitigationId: Nullable(Type.String()),
  recordedBy: Type.String(),
  createdAt: Timestamp,
});

export const MitigationSuggestionView = closed({
  mitigationId: Type.String(),
  name: Type.String(),
  techniqueIds: Type.Array(Type.String()),
  adopted: Type.Boolean(),
});

export const ChangeRecordList = closed({
  items: Type.Array(ChangeRecordView),
  suggestions: Type.Array(MitigationSuggestionView),
});

export const RestoreStatus = literals(['pending', 'succeeded', 'failed']);

export const CreateRestoreRequest = closed({
  backupJobId: Uuid,
  restorePointAt: Type.Optional(Timestamp),
  restorePointLabel: Type.Optional(Text(500)),
});

export const CompleteRestoreRequest = closed({
  status: literals(['succeeded', 'failed']),
  detail: Type.Optional(Type.String({ maxLength: 5000 })),
  restorePointAt: Type.Optional(Timestamp),
  restorePointLabel: Type.Optional(Text(500)),
});

export const RestoreView = closed({
  id: Uuid,
  incidentId: Uuid,
  taskId: Uuid,
  backupJobId: Uuid,
  restorePointAt: Nullable(Timestamp),
  restorePointLabel: Nullable(Type.String()),
  status: RestoreStatus,
  detail: Nullable(Type.String()),
  requestedBy: Type.String(),
  completedBy: Nullable(Type.String()),
  createdAt: Timestamp,
  completedAt: Nullable(Timestamp),
});

export const ChecklistEntryView = closed({
  item: literals(['eradication_done', 'restore_verified', 'monitoring_in_place']),
  holds: Type.Boolean(),
  detail: Type.String(),
});

export const ReleasePlanQuery = closed({ noRestoreReason: Type.Optional(Text(2000)) });

export const ReleasePlanView = closed({
  checklist: Type.Array(ChecklistEntryView),
  ready: Type.Boolean(),
  isolations: Type.Array(closed({ agentId: Type.String(), actionId: Uuid })),
});

export const ReleaseRequest = closed({
  noRestoreReason: Type.Optional(Text(2000)),
  overrideJustification: Type.Optional(Text(5000)),
});

export const ReleaseView = closed({
  id: Uuid,
  incidentId: Uuid,
  checklist: Type.Array(ChecklistEntryView),
  overrideJustification: Nullable(Type.String()),
  actionIds: Type.Array(Uuid),
  releasedBy: Type.String(),
  createdAt: Timestamp,
});

export const VerificationKind = literals(['rehunt', 'reachability', 'detection_replay']);
export const ProbeExpectation = literals(['open', 'closed', 'unreachable']);
export const RunStatus = literals(['running', 'passed', 'failed', 'incomplete', 'error']);

export const ProbeSchema = closed({
  address: Type.String({ minLength: 2, maxLength: 64 }),
  port: Type.Integer({ minimum: 1, maximum: 65_535 }),
  expect: ProbeExpectation,
});

export const CreateCheckRequest = closed({
  kind: VerificationKind,
  title: Type.Optional(Text(500)),
  reopens: Type.Optional(Phase),
  observableKinds: Type.Optional(Type.Array(ObservableKind, { maxItems: 6 })),
  ruleIds: Type.Optional(Type.Array(Text(200), { maxItems: 100 })),
  repeat: Type.Optional(
    closed({
      everyMinutes: Type.Integer({ minimum: 1, maximum: 10_080 }),
      forDays: Type.Integer({ minimum: 1, maximum: 90 }),
    }),
  ),
  agentId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  probes: Type.Optional(Type.Array(ProbeSchema, { minItems: 1, maxItems: 64 })),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 10_000 })),
});

export const RunView = closed({
  id: Uuid,
  checkId: Uuid,
  status: RunStatus,
  actor: Type.String(),
  startedAt: Timestamp,
  finishedAt: Nullable(Timestamp),
  windowFrom: Nullable(Timestamp),
  windowTo: Nullable(Timestamp),
  findings: Type.Unknown(),
  reason: Nullable(Type.String()),
  actionId: Nullable(Uuid),
});

export const CheckView = closed({
  id: Uuid,
  incidentId: Uuid,
  title: Type.String(),
  kind: VerificationKind,
  spec: Type.Unknown(),
  reopens: Phase,
  schedule: Nullable(
    closed({
      intervalMinutes: Type.Integer(),
      until: Timestamp,
      nextRunAt: Nullable(Timestamp),
    }),
  ),
  lastStatus: Nullable(RunStatus),
  createdBy: Type.String(),
  createdAt: Timestamp,
  lastRun: Type.Optional(Nullable(RunView)),
});

export const RunListQuery = closed({
  checkId: Type.Optional(Uuid),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
});

export const FollowUpSchema = closed({
  title: Text(500),
  owner: Text(200),
  due: Timestamp,
  done: Type.Optional(Type.Boolean()),
});

export const ClosingReviewRequest = closed({
  whatHappened: Text(20_000),
  whatWorked: Text(20_000),
  whatToChange: Text(20_000),
  followUps: Type.Array(FollowUpSchema, { maxItems: 100 }),
});

export const ClosingReviewView = closed({
  incidentId: Uuid,
  whatHappened: Type.String(),
  whatWorked: Type.String(),
  whatToChange: Type.String(),
  followUps: Type.Array(
    closed({ title: Type.String(), owner: Type.String(), due: Timestamp, done: Type.Boolean() }),
  ),
  author: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

const Ms = Nullable(Type.Number());

export const ClosureView = closed({
  phase: Phase,
  review: Nullable(ClosingReviewView),
  metrics: closed({
    timeToDetectMs: Ms,
    timeToAcknowledgeMs: Ms,
    timeToIdentifyMs: Ms,
    timeToContainMs: Ms,
    timeToEradicateMs: Ms,
    timeToRecoverMs: Ms,
    timeToVerifyMs: Ms,
    timeToCloseMs: Ms,
  }),
  reopened: Type.Integer(),
  changeRecords: Type.Integer(),
  restores: closed({
    succeeded: Type.Integer(),
    failed: Type.Integer(),
    pending: Type.Integer(),
  }),
  checks: closed({ total: Type.Integer(), passing: Type.Integer() }),
  openFollowUps: Type.Integer(),
});
