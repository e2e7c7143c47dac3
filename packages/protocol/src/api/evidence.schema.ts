/** Evidence and the journal, as the API shows them. */
import { Type } from '@sinclair/typebox';
import { PageQuery, Timestamp, Uuid, closed } from './common.schema.ts';

export const EvidenceView = closed({
  id: Uuid,
  incidentId: Type.Union([Uuid, Type.Null()]),
  sha256: Type.String(),
  size: Type.Integer(),
  filename: Type.String(),
  mediaType: Type.String(),
  description: Type.String(),
  collectedBy: Type.String(),
  collectedFrom: Type.String(),
  collectedAt: Timestamp,
  method: Type.String(),
  uploadedBy: Type.String(),
  createdAt: Timestamp,
});

/** Custody facts travel in the query string: the body is the file itself, streamed. */
export const UploadEvidenceQuery = closed({
  filename: Type.String({ minLength: 1, maxLength: 500 }),
  collectedFrom: Type.String({ minLength: 1, maxLength: 1000 }),
  method: Type.String({ minLength: 1, maxLength: 1000 }),
  collectedBy: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
  collectedAt: Type.Optional(Timestamp),
  description: Type.Optional(Type.String({ maxLength: 5000 })),
  incidentId: Type.Optional(Uuid),
});

export const ListEvidenceQuery = closed({ ...PageQuery, incidentId: Type.Optional(Uuid) });
export const DownloadEvidenceQuery = closed({
  purpose: Type.Optional(Type.Union([Type.Literal('download'), Type.Literal('export')])),
});

export const JournalEntryView = closed({
  seq: Type.Integer(),
  at: Timestamp,
  atMs: Type.Integer({ description: 'the exact time that is hashed, epoch ms' }),
  actor: Type.String(),
  kind: Type.String(),
  incidentId: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown(),
  prevHash: Type.String(),
  hash: Type.String(),
});
export const ListJournalQuery = closed({
  afterSeq: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
  incidentId: Type.Optional(Uuid),
});
export const IncidentJournalQuery = closed({
  afterSeq: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'at most 200' })),
});
/** How far the tenant's hash chain behind a page of an incident's entries holds. */
export const JournalChainStatusView = Type.Union([
  closed({ kind: Type.Literal('empty') }),
  closed({
    kind: Type.Literal('verified'),
    fromSeq: Type.Integer(),
    toSeq: Type.Integer(),
    checkpointNumber: Type.Union([Type.Integer(), Type.Null()]),
    checkpointAt: Timestamp,
  }),
  closed({
    kind: Type.Literal('uncovered'),
    fromSeq: Type.Integer(),
    toSeq: Type.Integer(),
    coveredToSeq: Type.Union([Type.Integer(), Type.Null()]),
  }),
  closed({ kind: Type.Literal('broken'), seq: Type.Integer(), reason: Type.String() }),
  closed({
    kind: Type.Literal('too_long'),
    fromSeq: Type.Integer(),
    toSeq: Type.Integer(),
    limit: Type.Integer(),
  }),
]);
export const IncidentJournalView = closed({
  items: Type.Array(JournalEntryView),
  nextAfterSeq: Type.Union([Type.Integer(), Type.Null()]),
  chain: JournalChainStatusView,
});
export const CheckpointView = closed({
  seq: Type.Integer(),
  hash: Type.String(),
  at: Timestamp,
  keyId: Type.String(),
  signature: Type.String(),
  /** The checkpoint's place in the journal's chain; null on one signed before chaining. */
  number: Type.Union([Type.Integer(), Type.Null()]),
  entries: Type.Union([Type.Integer(), Type.Null()]),
  prevCheckpointHash: Type.Union([Type.String(), Type.Null()]),
});
