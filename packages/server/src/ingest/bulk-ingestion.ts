/**
 * A bulk body's records → the pipeline, in batches of bounded size, each admitted against the
 * pipeline's capacity before it is handed over: while the queue is full the body is not read
 * further (the socket pauses), so what a body expands to is never held, only one batch in
 * the making plus what the queue admits.
 *
 * Idempotency across batches: batch `i` of a body sent with batch id `B` is written as `B`
 * (i = 0) or `B~i`. Batches are cut by record count, event count and bytes only, so the same
 * body always gives the same batches and a retry stores none twice; `~` is outside the batch
 * ids a client may send, so derived ids never meet a client's. The answer adds up the
 * batches; it is `duplicate` when every batch was stored before.
 *
 * At most `maxRecords` records (and events) per request. Past that the request answers 413
 * and reading stops; the records before it *are* stored (the body is a stream: holding them
 * back would mean holding the body). The error says exactly what was stored, and a retry
 * stores nothing more and answers the same. Any other error part-way (a body limit, a full
 * queue that does not drain, the tenant's ingest share spent, the client going away) writes
 * nothing of the batch in the making and says what earlier batches stored, so a retry with
 * the same id completes the body.
 */
import type { IngestEvent, IngestFormat } from '@cordon/ingest';
import type { EventProvenance } from '@cordon/core';
import { CordonError } from '@cordon/core';
import { createHash, randomUUID } from 'node:crypto';
import type { BulkRecord } from './bulk-records.ts';
import type { IngestPipeline, IngestReceipt } from './ingest-pipeline.ts';
import type { IngestSource } from './ingest-metrics.ts';
import type { RecordFailure } from './ingest-sink.ts';
import type { IngestShareTicket } from '../fairness/tenant-admission.ts';
import { nextTurn } from '../pipeline/turns.ts';

export interface BulkIngestRequest {
  readonly pipeline: IngestPipeline;
  readonly tenantId: string;
  readonly source: IngestSource;
  /** What authenticated the request (stored with each event). */
  readonly provenance: EventProvenance;
  /** The sender's batch id; a fresh one when undefined. */
  readonly batchId: string | undefined;
  readonly hint: IngestFormat;
  readonly records: AsyncIterable<BulkRecord>;
  readonly maxRecords: number;
  /** How long to wait for room in the queue before answering 429. */
  readonly waitMs: number;
  /**
   * The tenant's ingest share (fairness/tenant-admission.ts), charged each record as it is
   * parsed: once it is spent the body stops there with `rate_limited`.
   */
  readonly share?: IngestShareTicket;
}

/**
 * One internal batch: at most this many records, events or bytes (plus one record's worth).
 * A batch is written in one synchronous SQLite transaction and handed to detection in one
 * message (serialised on this thread), so its size is how long one tenant's body holds the
 * thread between two other requests: 250 short events are about 5 ms here. At 1,000 (about
 * 20 ms, and as much again to parse and serialise them) a second tenant's bodies, within its
 * share, took everyone else's search p99 from 9 to 60 ms (bench:hostile); at 5,000 it was
 * 100 ms while a bulk body was written.
 */
export const CHUNK_RECORDS = 250;
export const CHUNK_EVENTS = 250;
export const CHUNK_BYTES = 256 * 1024;
/**
 * Longest stretch of parsing between two turns of the event loop, in milliseconds. Inflating
 * outruns parsing, so the body always has a block ready and awaiting it never leaves the
 * microtask queue: without these turns one request would hold the thread (and `/healthz`) for
 * as long as its body lasts. Time, not a count of records: a record may be a short line or a
 * 64 KB document.
 */
const SLICE_MS = 2;
const MAX_BATCH_ID_LENGTH = 200;

interface Chunk {
  readonly events: IngestEvent[];
  readonly failures: RecordFailure[];
  records: number;
  bytes: number;
}

interface Stored {
  records: number;
  accepted: number;
  deadLettered: number;
  batches: number;
  duplicates: number;
}

/** The id of batch `index` of a body sent as `base`. */
export function chunkBatchId(base: string, index: number): string {
  if (index === 0) return base;
  const id = `${base}~${index}`;
  if (id.length <= MAX_BATCH_ID_LENGTH) return id;
  return `${createHash('sha256').update(base).digest('hex').slice(0, 64)}~${index}`;
}

export async function ingestBulk(request: BulkIngestRequest): Promise<IngestReceipt> {
  const { pipeline, maxRecords } = request;
  const base = request.batchId ?? `${request.source}:${randomUUID()}`;
  const written: Promise<IngestReceipt>[] = [];
  const submit = async (chunk: Chunk): Promise<void> => {
    await pipeline.waitForRoom(request.source, request.waitMs);
    const receipt = pipeline.submitBatch({
      tenantId: request.tenantId,
      source: request.source,
      provenance: request.provenance,
      batchId: chunkBatchId(base, written.length),
      hint: request.hint,
      events: chunk.events,
      failures: chunk.failures,
      records: chunk.records,
      bytes: chunk.bytes,
    });
    // Settled below; until then a failure must not be reported as unhandled. A batch stored
    // before (a retry) costs its parsing only: what it was charged is handed back.
    receipt.then(
      (stored) => {
        if (stored.duplicate) request.share?.charge(-chunk.records, -chunk.bytes);
      },
      () => undefined,
    );
    written.push(receipt);
  };
  let chunk = emptyChunk();
  let records = 0;
  let events = 0;
  let overCap = false;
  let sliceStart = performance.now();
  try {
    for await (const record of request.records) {
      const recordEvents = record.kind === 'events' ? record.events.length : 0;
      if (records + 1 > maxRecords || events + recordEvents > maxRecords) {
        overCap = true;
        break;
      }
      const { share } = request;
      if (share && !share.charge(1, record.bytes)) {
        // Batches of a retried body that were stored before hand back their charge once
        // their receipts are in: only what is new counts against the share.
        await settle(written, true);
        if (!share.withinShare()) throw share.refusal();
      }
      records += 1;
      events += recordEvents;
      if (performance.now() - sliceStart >= SLICE_MS) {
        await nextTurn();
        sliceStart = performance.now();
      }
      chunk.records += 1;
      chunk.bytes += record.bytes;
      if (record.kind === 'events') for (const event of record.events) chunk.events.push(event);
      else chunk.failures.push(record.failure);
      if (
        chunk.records >= CHUNK_RECORDS ||
        chunk.events.length >= CHUNK_EVENTS ||
        chunk.bytes >= CHUNK_BYTES
      ) {
        await submit(chunk);
        chunk = emptyChunk();
      }
    }
    // The last batch (or the only one, even empty: the batch id is then known to the store).
    if (chunk.records > 0 || written.length === 0) await submit(chunk);
  } catch (error) {
    const stored = await settle(written).catch(() => undefined);
    throw withStored(error, base, stored);
  }
  let stored: Stored;
  try {
    stored = await settle(written);
  } catch (error) {
    throw withStored(error, base, await settle(written, true));
  }
  if (overCap) {
    throw new CordonError(
      'payload_too_large',
      `the body holds more than ${maxRecords} records (or events): the first ${stored.records} records were stored (batch ${base}: ${stored.accepted} events, ${stored.deadLettered} dead letters) and the rest was not read; send at most ${maxRecords} records per request`,
      { details: storedDetails(base, stored, maxRecords) },
    );
  }
  return {
    batchId: base,
    records: stored.records,
    accepted: stored.accepted,
    deadLettered: stored.deadLettered,
    duplicate: stored.duplicates === stored.batches,
  };
}

function emptyChunk(): Chunk {
  return { events: [], failures: [], records: 0, bytes: 0 };
}

/** What the written batches stored; throws the first failure unless `partial`. */
async function settle(
  written: readonly Promise<IngestReceipt>[],
  partial = false,
): Promise<Stored> {
  const stored: Stored = { records: 0, accepted: 0, deadLettered: 0, batches: 0, duplicates: 0 };
  let failure: unknown;
  for (const outcome of await Promise.allSettled(written)) {
    if (outcome.status === 'rejected') {
      failure ??= outcome.reason;
      continue;
    }
    stored.records += outcome.value.records;
    stored.accepted += outcome.value.accepted;
    stored.deadLettered += outcome.value.deadLettered;
    stored.batches += 1;
    if (outcome.value.duplicate) stored.duplicates += 1;
  }
  if (failure !== undefined && !partial) {
    throw failure instanceof Error
      ? failure
      : new Error('a batch of the body failed', { cause: failure });
  }
  return stored;
}

function storedDetails(
  base: string,
  stored: Stored,
  maxRecords?: number,
): Readonly<Record<string, unknown>> {
  return {
    batchId: base,
    stored: {
      records: stored.records,
      accepted: stored.accepted,
      deadLettered: stored.deadLettered,
    },
    ...(maxRecords === undefined ? {} : { maxRecordsPerRequest: maxRecords }),
  };
}

/** A failure part-way, told with what the batches before it stored (a retry completes it). */
function withStored(error: unknown, base: string, stored: Stored | undefined): unknown {
  if (!(error instanceof CordonError) || stored === undefined) return error;
  const told =
    stored.records === 0
      ? ' Nothing of this body was stored.'
      : ` The first ${stored.records} records of this body were stored (batch ${base}); sending it again with the same batch id stores the rest, and those not again.`;
  return new CordonError(error.code, `${error.message}.${told}`.replace('..', '.'), {
    details: { ...error.details, ...storedDetails(base, stored) },
    cause: error,
  });
}
