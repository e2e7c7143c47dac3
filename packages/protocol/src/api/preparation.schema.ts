/**
 * Preparation: network documentation (assets, segments, relations, import/export,
 * reconciliation), continuity (business functions, backups, impact), the response plan and
 * its people, and readiness.
 */
import { Type } from '@sinclair/typebox';
import {
  NameCursorQuery,
  PageQuery,
  Timestamp,
  Uuid,
  closed,
  keysetPageOf,
  literals,
} from './common.schema.ts';

export const AssetKind = literals([
  'workstation',
  'server',
  'network_device',
  'cloud_resource',
  'application',
]);
export const Criticality = literals(['critical', 'high', 'medium', 'low']);
export const OperationalStatus = literals(['up', 'degraded', 'down', 'unknown']);
export const SegmentZone = literals([
  'dmz',
  'server',
  'user',
  'ot',
  'management',
  'guest',
  'cloud',
]);
export const RelationKind = literals(['depends_on', 'redundant_with', 'runs_function']);
export const ResponseRoleName = literals([
  'incident_lead',
  'technical_lead',
  'communications_lead',
  'legal_counsel',
  'scribe',
  'executive_sponsor',
  'client_contact',
  'mssp_on_call',
]);
export const ContactKind = literals([
  'insurer',
  'outside_counsel',
  'law_enforcement',
  'regulator',
  'vendor',
  'other',
]);
export const ExerciseKind = literals(['tabletop', 'simulation', 'full_scale']);
export const ImportFormat = literals(['csv', 'json']);

const Name = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$' });
const Label = Type.String({ minLength: 1, maxLength: 300 });
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const OptText = Nullable(Type.String({ maxLength: 300 }));
const Minutes = Type.Integer({ minimum: 1, maximum: 10_000_000 });

export const SegmentView = closed({
  id: Uuid,
  name: Type.String(),
  cidr: Type.String(),
  vlan: Type.Union([Type.Integer(), Type.Null()]),
  zone: SegmentZone,
  gateway: Type.Union([Type.String(), Type.Null()]),
  description: Type.String(),
  createdAt: Timestamp,
});
export const CreateSegmentRequest = closed({
  name: Label,
  cidr: Type.String({ minLength: 1, maxLength: 64 }),
  vlan: Type.Optional(Type.Union([Type.Integer({ minimum: 0, maximum: 4094 }), Type.Null()])),
  zone: SegmentZone,
  gateway: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
  description: Type.Optional(Type.String({ maxLength: 2000 })),
});

const assetFields = {
  name: Name,
  kind: AssetKind,
  addresses: Type.Array(Type.String({ maxLength: 64 }), { maxItems: 64 }),
  mac: OptText,
  os: OptText,
  owner: OptText,
  location: OptText,
  criticality: Criticality,
  tags: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 64 }),
  segmentId: Type.Union([Uuid, Type.Null()]),
  redundancyGroup: OptText,
  agentInstalled: Type.Boolean(),
  operationalStatus: OperationalStatus,
};
export const AssetView = closed({
  id: Uuid,
  ...assetFields,
  lastSeenAt: Type.Union([Timestamp, Type.Null()]),
  retiredAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});

/** The inventory a page at a time, by name; the filters are the console's (in its URL). */
export const ListAssetsQuery = closed({
  limit: PageQuery.limit,
  ...NameCursorQuery,
  q: Type.Optional(
    Type.String({
      maxLength: 200,
      description: 'a substring of the name, owner, an address or a tag (any case)',
    }),
  ),
  criticality: Type.Optional(Criticality),
  segment: Type.Optional(Uuid),
});

export const AssetList = keysetPageOf(AssetView);
export const CreateAssetRequest = Type.Composite(
  [
    Type.Object({ name: Name, kind: AssetKind }),
    Type.Partial(Type.Omit(Type.Object(assetFields), ['name', 'kind'])),
  ],
  { additionalProperties: false },
);
export const UpdateAssetRequest = Type.Partial(closed(assetFields), {
  additionalProperties: false,
});

export const RelationView = closed({
  id: Uuid,
  kind: RelationKind,
  fromAssetId: Uuid,
  toId: Uuid,
  createdAt: Timestamp,
});
export const CreateRelationRequest = closed({ kind: RelationKind, fromAssetId: Uuid, toId: Uuid });

export const ImportAssetsRequest = closed({
  format: ImportFormat,
  content: Type.String({ maxLength: 20_000_000 }),
  dryRun: Type.Optional(Type.Boolean()),
});
export const ImportReportView = closed({
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  created: Type.Array(Type.String()),
  updated: Type.Array(Type.String()),
  unchanged: Type.Integer(),
  refused: Type.Array(closed({ line: Type.Integer(), reason: Type.String() })),
});
export const ExportQuery = closed({ format: Type.Optional(ImportFormat) });

export const BusinessFunctionView = closed({
  id: Uuid,
  name: Type.String(),
  description: Type.String(),
  owner: Type.Union([Type.String(), Type.Null()]),
  mtdMinutes: Type.Integer(),
  costPerHour: Type.Number(),
  assetIds: Type.Array(Uuid),
  createdAt: Timestamp,
});
export const CreateBusinessFunctionRequest = closed({
  name: Label,
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  owner: Type.Optional(OptText),
  mtdMinutes: Minutes,
  costPerHour: Type.Number({ minimum: 0, maximum: 1e12 }),
  assetIds: Type.Optional(Type.Array(Uuid, { maxItems: 1000, uniqueItems: true })),
});

export const ImpactView = closed({
  asset: AssetView,
  peers: Type.Array(closed({ assetId: Uuid, name: Type.String(), healthy: Type.Boolean() })),
  peerCanCarryLoad: Type.Boolean(),
  dependentAssets: Type.Array(closed({ assetId: Uuid, name: Type.String() })),
  functions: Type.Array(
    closed({
      functionId: Uuid,
      name: Type.String(),
      mtdMinutes: Type.Integer(),
      costPerHour: Type.Number(),
      viaAssetId: Uuid,
      stops: Type.Boolean(),
    }),
  ),
  shortestMtdMinutes: Type.Union([Type.Integer(), Type.Null()]),
  costPerHour: Type.Number({ description: 'estimated cost of one hour offline' }),
});

const backupFields = {
  name: Label,
  assetId: Type.Union([Uuid, Type.Null()]),
  system: OptText,
  rpoMinutes: Minutes,
  rtoMinutes: Minutes,
  lastSuccessAt: Type.Union([Timestamp, Type.Null()]),
  lastRestoreTestAt: Type.Union([Timestamp, Type.Null()]),
  lastRestoreTestPassed: Type.Union([Type.Boolean(), Type.Null()]),
  offlineCopy: Type.Boolean(),
  immutableCopy: Type.Boolean(),
  location: OptText,
};
export const BackupJobView = closed({
  id: Uuid,
  ...backupFields,
  healthy: Type.Boolean(),
  problems: Type.Array(Type.String()),
  updatedAt: Timestamp,
});
export const CreateBackupJobRequest = closed({
  name: Label,
  rpoMinutes: Minutes,
  rtoMinutes: Minutes,
  assetId: Type.Optional(backupFields.assetId),
  system: Type.Optional(backupFields.system),
  lastSuccessAt: Type.Optional(backupFields.lastSuccessAt),
  lastRestoreTestAt: Type.Optional(backupFields.lastRestoreTestAt),
  lastRestoreTestPassed: Type.Optional(backupFields.lastRestoreTestPassed),
  offlineCopy: Type.Optional(Type.Boolean()),
  immutableCopy: Type.Optional(Type.Boolean()),
  location: Type.Optional(OptText),
});
export const UpdateBackupJobRequest = Type.Partial(closed(backupFields), {
  additionalProperties: false,
});

export const PlanView = closed({
  id: Uuid,
  title: Type.String(),
  owner: Type.String(),
  currentVersion: Type.Integer(),
  approvedBy: Type.Union([Type.String(), Type.Null()]),
  approvedAt: Type.Union([Timestamp, Type.Null()]),
  lastReviewedAt: Type.Union([Timestamp, Type.Null()]),
  nextReviewAt: Type.Union([Timestamp, Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export const PlanVersionView = closed({
  version: Type.Integer(),
  body: Type.String(),
  author: Type.String(),
  createdAt: Timestamp,
});
const Markdown = Type.String({ minLength: 1, maxLength: 1_000_000 });
export const CreatePlanRequest = closed({ title: Label, owner: Label, body: Markdown });
export const RevisePlanRequest = closed({ body: Markdown });
export const ReviewPlanRequest = closed({ nextReviewAt: Type.Optional(Timestamp) });

export const PersonSchema = closed({
  name: Label,
  phone: Nullable(Type.String({ maxLength: 50 })),
  email: Nullable(Type.String({ maxLength: 254 })),
  chat: Nullable(Type.String({ maxLength: 200 })),
});
export const RoleAssignmentView = closed({
  role: ResponseRoleName,
  primary: PersonSchema,
  backup: Type.Union([PersonSchema, Type.Null()]),
  escalationRank: Type.Union([Type.Integer(), Type.Null()]),
  updatedAt: Timestamp,
});
export const AssignRoleRequest = closed({
  role: ResponseRoleName,
  primary: PersonSchema,
  backup: Type.Union([PersonSchema, Type.Null()]),
  escalationRank: Type.Optional(
    Type.Union([Type.Integer({ minimum: 1, maximum: 100 }), Type.Null()]),
  ),
});

export const OnCallLevel = literals(['primary', 'secondary']);
export const OnCallShiftView = closed({
  id: Uuid,
  level: OnCallLevel,
  person: PersonSchema,
  startsAt: Timestamp,
  endsAt: Timestamp,
  note: Type.String(),
});
export const CreateOnCallShiftRequest = closed({
  level: OnCallLevel,
  person: PersonSchema,
  startsAt: Timestamp,
  endsAt: Timestamp,
  note: Type.Optional(Type.String({ maxLength: 2000 })),
});
/** Default: from now, for seven days. */
export const OnCallRotaQuery = closed({
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
});
export const OnCallNowQuery = closed({ at: Type.Optional(Timestamp) });
const OnCallAnswerView = Type.Union([
  closed({
    person: PersonSchema,
    source: literals(['rota', 'role']),
    shiftId: Type.Union([Uuid, Type.Null()]),
    until: Type.Union([Timestamp, Type.Null()]),
  }),
  Type.Null(),
]);
export const OnCallNowView = closed({
  at: Timestamp,
  primary: OnCallAnswerView,
  secondary: OnCallAnswerView,
  escalation: Type.Array(RoleAssignmentView),
});

const contactFields = {
  kind: ContactKind,
  name: Label,
  organisation: OptText,
  phone: Nullable(Type.String({ maxLength: 50 })),
  email: Nullable(Type.String({ maxLength: 254 })),
  notes: Type.String({ maxLength: 5000 }),
};
export const ContactView = closed({ id: Uuid, ...contactFields, createdAt: Timestamp });
export const CreateContactRequest = closed(contactFields);

export const ExerciseView = closed({
  id: Uuid,
  kind: ExerciseKind,
  heldAt: Timestamp,
  notes: Type.String(),
});
export const CreateExerciseRequest = closed({
  kind: ExerciseKind,
  heldAt: Timestamp,
  notes: Type.Optional(Type.String({ maxLength: 20_000 })),
});

export const FindingView = closed({
  id: Type.String(),
  kind: literals(['undocumented', 'stale', 'address_conflict']),
  hostname: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  assetId: Type.Union([Uuid, Type.Null()]),
  conflictingAssetId: Type.Union([Uuid, Type.Null()]),
  lastSeenAt: Type.Union([Timestamp, Type.Null()]),
  resolutions: Type.Array(literals(['adopt', 'merge', 'retire'])),
});
export const FindingsQuery = closed({
  staleDays: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,3}$' })),
});
export const ResolveFindingRequest = closed({
  findingId: Type.String({ minLength: 1, maxLength: 100 }),
  action: literals(['adopt', 'merge', 'retire']),
  assetId: Type.Optional(Uuid),
  kind: Type.Optional(AssetKind),
  criticality: Type.Optional(Criticality),
});

export const ReadinessCheckView = closed({
  id: Type.String(),
  weight: Type.Number(),
  value: Type.Union([Type.Number(), Type.Null()]),
  measured: Type.String(),
  remediation: Type.String(),
});
export const ReadinessView = closed({
  score: Type.Number(),
  checks: Type.Array(ReadinessCheckView),
  gaps: Type.Array(ReadinessCheckView),
});
export const ReadinessSnapshotView = closed({
  id: Uuid,
  at: Timestamp,
  score: Type.Number(),
  checks: Type.Array(ReadinessCheckView),
});

/** `GET /tenants/:id/network`: the network to draw, bounded (see core `networkMap`). */
export const NetworkQuery = closed({
  segment: Type.Optional(
    Type.String({
      pattern: '^([0-9a-fA-F-]{36}|none)$',
      description: "a segment's id, or none for assets outside every segment",
    }),
  ),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'at most 500' })),
});
export const NetworkView = closed({
  segments: Type.Array(closed({ segment: SegmentView, assets: Type.Integer() })),
  unsegmented: Type.Integer(),
  nodes: Type.Array(
    closed({
      id: Uuid,
      name: Type.String(),
      kind: AssetKind,
      criticality: Criticality,
      segmentId: Type.Union([Uuid, Type.Null()]),
      redundancyGroup: Type.Union([Type.String(), Type.Null()]),
      operationalStatus: OperationalStatus,
    }),
  ),
  relations: Type.Array(RelationView),
  redundancyGroups: Type.Array(closed({ name: Type.String(), assetIds: Type.Array(Uuid) })),
  total: Type.Integer({ description: 'assets matching the filter, drawn or not' }),
  limit: Type.Integer(),
});
