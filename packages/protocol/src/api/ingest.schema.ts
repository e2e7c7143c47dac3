/**
 * Telemetry intake over HTTP: `POST /api/v1/ingest` (bulk records, acknowledged once durable)
 * and the replay of dead letters. The body of an ingest request is the records themselves
 * (NDJSON, a JSON array, text lines, gzip, or an EVTX file), so only the query is a schema.
 */
import { Type } from '@sinclair/typebox';
import { Uuid, closed, literals } from './common.schema.ts';

/** What `format` may name: `jsonl` is JSON lines, `evtx` an EVTX file (or its records as JSON). */
export const INGEST_FORMAT_NAMES = [
  'auto',
  'syslog',
  'jsonl',
  'json',
  'cef',
  'evtx',
  'windows',
  'zeek',
  'suricata',
  'cloudtrail',
] as const;

export const IngestFormatName = literals(INGEST_FORMAT_NAMES);

/** Characters of a batch id: the CLI uses `<sha256 of the file>:<offset>`. */
export const BATCH_ID_PATTERN = '^[A-Za-z0-9._:-]{1,200}$';

export const IngestQuery = closed({
  format: Type.Optional(IngestFormatName),
  batch_id: Type.Optional(
    Type.String({
      pattern: BATCH_ID_PATTERN,
      description:
        'idempotency key (also the Idempotency-Key header): a batch sent again with the same id is acknowledged without being stored twice',
    }),
  ),
  /** The tenant, for a signed-in user; an API token names its own. */
  tenant: Type.Optional(Uuid),
  host: Type.Optional(
    Type.String({ minLength: 1, maxLength: 255, description: 'host.name for events naming none' }),
  ),
});

export const IngestReceiptView = closed({
  batchId: Type.String(),
  /** Records read from the body (lines, array elements, EVTX records). */
  records: Type.Integer(),
  /** Events stored; for a duplicate batch, those stored the first time. */
  accepted: Type.Integer(),
  deadLettered: Type.Integer(),
  duplicate: Type.Boolean(),
});

export const DeadLetterReplayRequest = closed({
  ids: Type.Optional(
    Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { minItems: 1, maxItems: 10_000 }),
  ),
  all: Type.Optional(Type.Boolean({ description: 'every pending dead letter of the tenant' })),
});

export const DeadLetterReplayView = closed({
  /** Dead letters tried. */
  tried: Type.Integer(),
  /** Now parsed and stored (status `replayed`). */
  replayed: Type.Integer(),
  /** Still unparseable (status `failed`, with the new reason). */
  failed: Type.Integer(),
  /** Events stored by the replay. */
  events: Type.Integer(),
  /** Ids asked for that do not exist in the tenant or were replayed before. */
  skipped: Type.Array(Type.String()),
});
