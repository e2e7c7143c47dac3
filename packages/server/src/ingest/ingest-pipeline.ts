/**
 * The pipeline inside the server: records from every source are parsed and normalised
 * (`@cordon/ingest`), written durably to the event store in batches, then handed to the event
 * consumers (live detection, asset refresh) in arrival order.
 *
 *   sources ─► parse ─► capacity check ─► writer (one batch at a time) ─► consumers (chained)
 *
 * - Batches with their own id (HTTP bulk) are written as they are, so that a retried request
 *   is recognised by the event store and acknowledged without a second copy.
 * - Records from listeners and agents are coalesced per tenant into batches of up to
 *   `batchMaxEvents`, flushed at the latest after `flushIntervalMs`.
 * - A submission holds capacity from admission until every consumer has seen it: a slow
 *   consumer fills the pipeline and pushes back on the sources instead of growing memory.
 * - A consumer that throws is logged and counted; the batch still reaches the others.
 * - A failed write is retried (the batch id makes that safe) and then reported to the waiting
 *   sources (HTTP answers 503: the client retries with the same batch id).
 */
import type { IngestEvent, IngestFormat, ParseContext } from '@cordon/ingest';
import { parseRecord } from '@cordon/ingest';
import type { EventProvenance } from '@cordon/core';
import { CordonError } from '@cordon/core';
import { randomUUID } from 'node:crypto';
import type { EventConsumer, StoredIngestEvent } from '../pipeline/contracts.ts';
import { IngestCapacity } from './ingest-capacity.ts';
import type { IngestMetrics, IngestSource } from './ingest-metrics.ts';
import { deadLetterSource } from './dead-letter-source.ts';
import type { AppendResult, IngestSink, RecordFailure, SinkDeadLetter } from './ingest-sink.ts';
import { nextTurn } from '../pipeline/turns.ts';

export interface IngestPipelineOptions {
  readonly sink: IngestSink;
  readonly metrics: IngestMetrics;
  readonly log: PipelineLog;
  readonly maxQueueEvents: number;
  readonly maxQueueBytes: number;
  readonly batchMaxEvents: number;
  readonly flushIntervalMs: number;
  /** What HTTP sources are told to wait when the queue is full. */
  readonly retryAfterSeconds: number;
  /** Records of one `submitRecords` call at most (an agent's telemetry message). */
  readonly maxRecordsPerSubmission: number;
}

export interface PipelineLog {
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

/** How records arrived: the metrics' source and the provenance stored with each event. */
export interface IngestOrigin {
  readonly source: IngestSource;
  readonly provenance: EventProvenance;
}

/** Records parsed by the caller, to be written as one batch. */
export interface ParsedBatch {
  readonly tenantId: string;
  readonly source: IngestSource;
  /** Where the batch came from (the ingest token, the replayed letter …), for each event. */
  readonly provenance: EventProvenance;
  /** The sender's batch id (idempotency); a fresh one when undefined. */
  readonly batchId?: string;
  readonly hint: IngestFormat;
  readonly events: readonly IngestEvent[];
  readonly failures: readonly RecordFailure[];
  /** Records received (lines, messages, documents). */
  readonly records: number;
  readonly bytes: number;
}

export interface IngestReceipt {
  readonly batchId: string;
  readonly records: number;
  /** Events stored (for a duplicate batch: the events stored the first time). */
  readonly accepted: number;
  readonly deadLettered: number;
  readonly duplicate: boolean;
}

/** Records from a source that has no batch of its own (an agent's telemetry message). */
export interface RecordSubmission {
  readonly source: IngestSource;
  readonly provenance: EventProvenance;
  readonly records: readonly (Uint8Array | string)[];
  readonly hint?: IngestFormat;
  readonly sourceAddress?: string;
  readonly receivedAt?: Date;
}

interface WriteJob {
  readonly tenantId: string;
  readonly batchId: string;
  readonly source: IngestSource;
  readonly events: IngestEvent[];
  /** Parallel to `events`: a coalesced batch mixes senders, so provenance is per event. */
  readonly provenance: EventProvenance[];
  readonly letters: SinkDeadLetter[];
  records: number;
  bytes: number;
  readonly enqueuedAt: number;
  readonly waiters: ((outcome: AppendResult | Error) => void)[];
}

const WRITE_ATTEMPTS = 3;

export class IngestPipeline {
  readonly #options: IngestPipelineOptions;
  readonly #capacity: IngestCapacity;
  readonly #consumers: EventConsumer[] = [];
  /** Open coalescing batches, one per tenant. */
  readonly #open = new Map<string, WriteJob>();
  #flushTimer: NodeJS.Timeout | undefined;
  /**
   * Batches waiting to be written, per tenant, each tenant's in arrival order. Tenants take
   * turns (one batch each), so a tenant that floods waits behind its own batches, not the
   * others behind it: another tenant's batch waits for at most one batch of each tenant.
   */
  readonly #jobs = new Map<string, WriteJob[]>();
  #writing: Promise<void> | undefined;
  /** The tail of the consumer chain: batches reach consumers one after the other. */
  #consumed: Promise<void> = Promise.resolve();
  /** Stored batches waiting for the consumers, in the order they were stored. */
  readonly #stored: StoredBatch[] = [];
  #closed = false;

  constructor(options: IngestPipelineOptions) {
    this.#options = options;
    const { metrics } = options;
    this.#capacity = new IngestCapacity(
      { maxEvents: options.maxQueueEvents, maxBytes: options.maxQueueBytes },
      (events, bytes) => {
        metrics.queueEvents.set(events);
        metrics.queueBytes.set(bytes);
      },
    );
  }

  get metrics(): IngestMetrics {
    return this.#options.metrics;
  }

  get retryAfterSeconds(): number {
    return this.#options.retryAfterSeconds;
  }

  /** Registered by the composition root; each sees every durable batch. */
  addConsumer(consumer: EventConsumer): void {
    this.#consumers.push(consumer);
  }

  isFull(): boolean {
    return this.#closed || this.#capacity.isFull();
  }

  whenRoom(): Promise<void> {
    return this.#capacity.whenRoom();
  }

  /** Throws `rate_limited` (HTTP 429 with Retry-After) when the queue is full. */
  admit(source: IngestSource): void {
    if (this.#closed) throw new CordonError('unavailable', 'the server is shutting down');
    if (!this.#capacity.isFull()) return;
    this.#options.metrics.rejected.inc({ source, reason: 'queue_full' });
    throw new CordonError(
      'rate_limited',
      'the ingest queue is full; retry the same batch after the Retry-After delay',
      { details: { retryAfterMs: this.#options.retryAfterSeconds * 1000 } },
    );
  }

  /**
   * Resolves once the queue has room: how a source that is part-way through a body pushes
   * back (it stops reading). Throws `rate_limited` if that takes longer than `timeoutMs`
   * (a consumer that does not drain), `unavailable` once the pipeline is closing.
   */
  async waitForRoom(source: IngestSource, timeoutMs: number): Promise<void> {
    if (this.#closed) throw new CordonError('unavailable', 'the server is shutting down');
    if (!this.#capacity.isFull()) return;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const outcome = await Promise.race([this.#capacity.whenRoom(), timedOut]);
    clearTimeout(timer);
    if (this.#closed) throw new CordonError('unavailable', 'the server is shutting down');
    if (outcome === 'timeout') {
      this.#options.metrics.rejected.inc({ source, reason: 'queue_full' });
      throw new CordonError(
        'rate_limited',
        `the ingest queue stayed full for ${Math.round(timeoutMs / 1000)} s; retry the same batch after the Retry-After delay`,
        { details: { retryAfterMs: this.#options.retryAfterSeconds * 1000 } },
      );
    }
  }

  /** Writes one parsed batch; resolves once it is durable. */
  async submitBatch(batch: ParsedBatch): Promise<IngestReceipt> {
    const job: WriteJob = {
      tenantId: batch.tenantId,
      batchId: batch.batchId ?? `${batch.source}:${randomUUID()}`,
      source: batch.source,
      events: [...batch.events],
      provenance: batch.events.map(() => batch.provenance),
      letters: batch.failures.map((failure) => deadLetterOf(failure, batch.source, batch.hint)),
      records: batch.records,
      bytes: batch.bytes,
      enqueuedAt: performance.now(),
      waiters: [],
    };
    this.#count(batch.source, batch.records, job.events.length, job.letters);
    const result = await this.#enqueueAndWait(job);
    return {
      batchId: job.batchId,
      records: batch.records,
      accepted: result.ids.length,
      deadLettered: result.duplicate ? 0 : job.letters.length,
      duplicate: result.duplicate,
    };
  }

  /**
   * One record from a listener: parsed now, written with the tenant's next coalesced batch.
   * No acknowledgement (syslog has none); the listener checks `isFull` to push back.
   */
  offer(tenantId: string, origin: IngestOrigin, raw: Uint8Array, context: ParseContext): void {
    const job = this.#openJob(tenantId, origin.source);
    this.#parseInto(job, origin, raw, context);
    this.#afterAdd(job);
  }

  /** A record a listener could not even frame (an oversized syslog frame): dead-lettered. */
  offerFailure(
    tenantId: string,
    source: IngestSource,
    failure: RecordFailure,
    hint: IngestFormat,
  ): void {
    const job = this.#openJob(tenantId, source);
    job.records += 1;
    job.bytes += failure.raw.byteLength;
    this.#capacity.take(0, failure.raw.byteLength);
    job.letters.push(deadLetterOf(failure, source, hint));
    this.#options.metrics.received.inc({ source });
    this.#options.metrics.deadLettered.inc({ source, code: failure.code });
    this.#afterAdd(job);
  }

  /**
   * Records from an agent or another in-process source, coalesced with the tenant's next
   * batch; resolves once they are durable with their counts.
   */
  async submitRecords(
    tenantId: string,
    submission: RecordSubmission,
  ): Promise<Omit<IngestReceipt, 'batchId' | 'duplicate'>> {
    const max = this.#options.maxRecordsPerSubmission;
    if (submission.records.length > max) {
      throw new CordonError(
        'payload_too_large',
        `${submission.records.length} records in one submission; at most ${max}`,
      );
    }
    // Admitted like any other source: wait (the sender's acknowledgement waits with it)
    // rather than parse and queue past the limit.
    while (!this.#closed && this.#capacity.isFull()) await this.#capacity.whenRoom();
    if (this.#closed) throw new CordonError('unavailable', 'the server is shutting down');
    const job = this.#openJob(tenantId, submission.source);
    const context: ParseContext = {
      receivedAt: submission.receivedAt ?? new Date(),
      hint: submission.hint ?? 'auto',
      ...(submission.sourceAddress === undefined
        ? {}
        : { sourceAddress: submission.sourceAddress }),
    };
    const eventsBefore = job.events.length;
    const lettersBefore = job.letters.length;
    for (const record of submission.records) {
      this.#parseInto(job, submission, record, context);
    }
    const accepted = job.events.length - eventsBefore;
    const deadLettered = job.letters.length - lettersBefore;
    const durable = new Promise<AppendResult | Error>((resolve) => job.waiters.push(resolve));
    this.#afterAdd(job);
    const outcome = await durable;
    if (outcome instanceof Error) throw outcome;
    return { records: submission.records.length, accepted, deadLettered };
  }

  /** Stops intake, writes what is open and waits until every consumer has seen it. */
  async close(): Promise<void> {
    this.#closed = true;
    this.#flushAll();
    while (this.#writing !== undefined) await this.#writing;
    await this.#consumed;
    this.#capacity.wakeAll();
  }

  #parseInto(
    job: WriteJob,
    { source, provenance }: IngestOrigin,
    raw: Uint8Array | string,
    context: ParseContext,
  ): void {
    const outcome = parseRecord(raw, context);
    const size = typeof raw === 'string' ? raw.length : raw.byteLength;
    job.records += 1;
    job.bytes += size;
    this.#capacity.take(0, size);
    const { metrics } = this.#options;
    metrics.received.inc({ source });
    if (outcome.kind === 'events') {
      for (const event of outcome.events) {
        job.events.push(event);
        job.provenance.push(provenance);
      }
      this.#capacity.take(outcome.events.length, 0);
      metrics.parsed.inc({ source }, outcome.events.length);
    } else {
      job.letters.push(deadLetterOf(outcome, source, context.hint ?? 'auto'));
      metrics.deadLettered.inc({ source, code: outcome.code });
    }
  }

  #count(
    source: IngestSource,
    records: number,
    events: number,
    letters: readonly SinkDeadLetter[],
  ): void {
    const { metrics } = this.#options;
    metrics.received.inc({ source }, records);
    metrics.parsed.inc({ source }, events);
    for (const letter of letters) metrics.deadLettered.inc({ source, code: letter.code });
  }

  #openJob(tenantId: string, source: IngestSource): WriteJob {
    let job = this.#open.get(tenantId);
    if (job === undefined) {
      job = {
        tenantId,
        batchId: `${source}:${randomUUID()}`,
        source,
        events: [],
        provenance: [],
        letters: [],
        records: 0,
        bytes: 0,
        enqueuedAt: performance.now(),
        waiters: [],
      };
      this.#open.set(tenantId, job);
    }
    return job;
  }

  #afterAdd(job: WriteJob): void {
    if (job.events.length + job.letters.length >= this.#options.batchMaxEvents) {
      this.#open.delete(job.tenantId);
      this.#enqueue(job);
      return;
    }
    this.#flushTimer ??= setTimeout(() => {
      this.#flushTimer = undefined;
      this.#flushAll();
    }, this.#options.flushIntervalMs);
  }

  #flushAll(): void {
    if (this.#flushTimer !== undefined) clearTimeout(this.#flushTimer);
    this.#flushTimer = undefined;
    const jobs = [...this.#open.values()];
    this.#open.clear();
    for (const job of jobs) this.#enqueue(job);
  }

  #enqueueAndWait(job: WriteJob): Promise<AppendResult> {
    this.#capacity.take(job.events.length, job.bytes);
    const durable = new Promise<AppendResult>((resolve, reject) =>
      job.waiters.push((outcome) =>
        outcome instanceof Error ? reject(outcome) : resolve(outcome),
      ),
    );
    this.#enqueue(job);
    return durable;
  }

  #enqueue(job: WriteJob): void {
    const queue = this.#jobs.get(job.tenantId);
    if (queue) queue.push(job);
    else this.#jobs.set(job.tenantId, [job]);
    this.#writing ??= this.#writeAll();
  }

  async #writeAll(): Promise<void> {
    try {
      for (let job = this.#nextJob(); job !== undefined; job = this.#nextJob()) {
        await this.#write(job);
        // SQLite writes resolve without leaving the microtask queue: one turn of the event
        // loop between batches, so that a deep queue does not hold the thread (and requests).
        await nextTurn();
      }
    } finally {
      // No await between the empty queue and this line: an enqueue cannot slip in between.
      this.#writing = undefined;
    }
  }

  /** The first waiting tenant's oldest batch; that tenant then goes to the back of the turn. */
  #nextJob(): WriteJob | undefined {
    for (const [tenantId, queue] of this.#jobs) {
      const job = queue.shift();
      this.#jobs.delete(tenantId);
      if (queue.length > 0) this.#jobs.set(tenantId, queue);
      if (job) return job;
    }
    return undefined;
  }

  async #write(job: WriteJob): Promise<void> {
    const { sink, metrics, log } = this.#options;
    let result: AppendResult | Error = new Error('not written');
    for (let attempt = 1; attempt <= WRITE_ATTEMPTS; attempt += 1) {
      try {
        // The dead letters go in the events' transaction, only for a batch not seen before:
        // a crash keeps both or neither, a retried request repeats none.
        result = await sink.appendBatch(job.tenantId, {
          batchId: job.batchId,
          events: job.events as unknown as readonly Readonly<Record<string, unknown>>[],
          provenance: job.provenance,
          deadLetters: job.letters,
        });
        break;
      } catch (error) {
        metrics.writeErrors.inc();
        result = new CordonError('unavailable', 'the event store could not write the batch', {
          cause: error,
        });
        log.error(
          { err: error, tenantId: job.tenantId, batchId: job.batchId, attempt },
          'ingest batch write failed',
        );
        if (attempt < WRITE_ATTEMPTS) await sleep(100 * 4 ** (attempt - 1));
      }
    }
    metrics.batchSeconds.observe((performance.now() - job.enqueuedAt) / 1000);
    for (const settle of job.waiters) settle(result);
    if (result instanceof Error || result.duplicate) {
      if (!(result instanceof Error)) metrics.duplicateBatches.inc();
      this.#capacity.release(job.events.length, job.bytes);
      return;
    }
    metrics.stored.inc(result.ids.length);
    const ids = result.ids;
    const stored: StoredIngestEvent[] = job.events.map((event, index) => ({
      id: ids[index] ?? '',
      event,
      provenance: job.provenance[index]!,
    }));
    this.#stored.push({ tenantId: job.tenantId, events: stored, bytes: job.bytes });
    this.#consumed = this.#consumed.then(async () => {
      await nextTurn();
      const group = this.#nextDelivery();
      if (group === undefined) return;
      await this.#deliver(group.tenantId, group.events);
      this.#capacity.release(group.events.length, group.bytes);
    });
  }

  /**
   * The oldest stored batch, with the ones stored right after it for the same tenant, up to
   * DELIVERY_MAX_EVENTS and DELIVERY_MAX_BYTES: batches are written small (a short hold of the
   * thread each) but handed to the consumers together, since each call costs them a fixed
   * amount (a detection message, a triage transaction): at 250-event batches delivered one by
   * one, bench:ingest lost 38 % of its throughput. Order is kept: only neighbours merge.
   */
  #nextDelivery(): StoredBatch | undefined {
    const first = this.#stored.shift();
    if (first === undefined) return undefined;
    let events = first.events;
    let bytes = first.bytes;
    for (;;) {
      const next = this.#stored[0];
      if (
        next === undefined ||
        next.tenantId !== first.tenantId ||
        events.length + next.events.length > DELIVERY_MAX_EVENTS ||
        bytes + next.bytes > DELIVERY_MAX_BYTES
      )
        break;
      this.#stored.shift();
      events = [...events, ...next.events];
      bytes += next.bytes;
    }
    return { tenantId: first.tenantId, events, bytes };
  }

  async #deliver(tenantId: string, events: readonly StoredIngestEvent[]): Promise<void> {
    if (events.length === 0) return;
    for (const consumer of this.#consumers) {
      try {
        await consumer.consume(tenantId, events);
      } catch (error) {
        this.#options.metrics.consumerErrors.inc({ consumer: consumer.name });
        this.#options.log.error(
          { err: error, tenantId, consumer: consumer.name, events: events.length },
          'event consumer failed on a batch',
        );
      }
    }
  }
}

/** At most this much of one tenant is handed to the consumers in one call (`#nextDelivery`). */
const DELIVERY_MAX_EVENTS = 1_000;
const DELIVERY_MAX_BYTES = 1024 * 1024;

interface StoredBatch {
  readonly tenantId: string;
  readonly events: readonly StoredIngestEvent[];
  readonly bytes: number;
}

function deadLetterOf(
  failure: RecordFailure,
  source: IngestSource,
  hint: IngestFormat,
): SinkDeadLetter {
  return {
    source: deadLetterSource({
      source,
      hint,
      ...(failure.sourceAddress === undefined ? {} : { sourceAddress: failure.sourceAddress }),
    }),
    reason: failure.reason,
    code: failure.code,
    raw: failure.raw,
    receivedAt: Date.parse(failure.receivedAt),
  };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
