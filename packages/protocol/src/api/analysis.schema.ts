/** The analysis phase: an incident's timeline and a host's process tree, with the findings. */
import { Type } from '@sinclair/typebox';
import { Timestamp, Uuid, closed, literals } from './common.schema.ts';

export const TimelineKind = literals([
  'alert',
  'alert-event',
  'related-event',
  'action',
  'note',
  'transition',
  'evidence',
]);

/** Root cause and scope as recorded on the incident (PATCH …/incidents/{id} records them). */
export const IncidentFindingsView = closed({
  rootCause: Type.Union([Type.String(), Type.Null()]),
  scope: Type.Union([Type.String(), Type.Null()]),
  affectedAssets: Type.Array(Type.String()),
  attackTechniques: Type.Array(Type.String()),
});

const TimeRange = closed({ from: Timestamp, to: Timestamp });

export const TimelineQuery = closed({
  /** Comma-separated timeline kinds. */
  kinds: Type.Optional(Type.String({ maxLength: 200 })),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
  host: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  user: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  windowMinutes: Type.Optional(Type.String({ pattern: '^[0-9]{1,5}$' })),
  relatedLimit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$' })),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
});

export const TimelineEntryView = closed({
  at: Timestamp,
  kind: TimelineKind,
  refId: Type.String(),
  title: Type.String(),
  host: Type.Union([Type.String(), Type.Null()]),
  user: Type.Union([Type.String(), Type.Null()]),
  actor: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

export const TimelineView = closed({
  incidentId: Uuid,
  findings: IncidentFindingsView,
  window: Type.Union([TimeRange, Type.Null()]),
  pivots: closed({
    hosts: Type.Array(Type.String()),
    users: Type.Array(Type.String()),
    addresses: Type.Array(Type.String()),
    processes: Type.Array(Type.String()),
  }),
  relatedTruncated: Type.Boolean(),
  total: Type.Integer(),
  entries: Type.Array(TimelineEntryView),
});

export const ProcessTreeQuery = closed({
  /** Default: the incident's first affected asset. */
  host: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
});

const NullableString = Type.Union([Type.String(), Type.Null()]);
const NullableInteger = Type.Union([Type.Integer(), Type.Null()]);

export const ProcessNodeView = closed({
  key: Type.String(),
  parentKey: NullableString,
  depth: Type.Integer(),
  pid: NullableInteger,
  parentPid: NullableInteger,
  name: NullableString,
  executable: NullableString,
  commandLine: NullableString,
  user: NullableString,
  startedAt: Type.Union([Timestamp, Type.Null()]),
  eventId: NullableString,
  source: Type.Union([literals(['sysmon', 'security-4688', 'agent']), Type.Null()]),
  flagged: Type.Boolean(),
});

export const ProcessTreeView = closed({
  incidentId: Uuid,
  findings: IncidentFindingsView,
  host: Type.String(),
  window: TimeRange,
  /** Depth-first: each node follows its parent; `depth` 0 are roots. */
  nodes: Type.Array(ProcessNodeView),
  truncated: Type.Boolean(),
});
