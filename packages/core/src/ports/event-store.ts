/**
 * The event store port: durable, searchable telemetry per tenant, and the dead letters of what
 * could not be parsed. It is separate from the transactional `Store` because it is on the hot
 * path (batches of thousands of events, no journal entry per event), but it lives in the same
 * database. Every method takes the tenant and every query is bound to it.
 *
 * Events are the normalised JSON objects of `@cordon/ingest` (`IngestEvent`); core does not
 * depend on that package, so the port types them as JSON objects and storage extracts the
 * indexed columns itself.
 */
import type { EventProvenance } from '../provenance/event-provenance.ts';
import type { QueryNode } from '../search/query-node.ts';

/** A normalised event as a JSON object (`IngestEvent` of @cordon/ingest). */
export type EventDocument = Readonly<Record<string, unknown>>;

export interface EventBatch {
  /** Chosen by the sender; a retried batch with the same id is stored once. */
  readonly batchId: string;
  readonly events: readonly EventDocument[];
  /** Where each event came from, in the order of `events` (missing: `unrecorded`). */
  readonly provenance?: readonly EventProvenance[];
  /**
   * What of the batch could not be parsed: written in the same transaction as the events, and
   * only when the batch is new, so a crash keeps both or neither and a retry repeats none.
   */
  readonly deadLetters?: readonly DeadLetterInput[];
}

export interface AppendResult {
  readonly batchId: string;
  /** True when this batch id was stored before: nothing was written, `ids` are the first ones. */
  readonly duplicate: boolean;
  /** Ids of the stored events, in the order of the batch. */
  readonly ids: readonly string[];
}

export interface StoredEvent {
  readonly id: string;
  /** Event time (`@timestamp`), epoch ms. */
  readonly timestamp: number;
  /** When it was stored, epoch ms. */
  readonly ingestedAt: number;
  readonly event: EventDocument;
  /** How it arrived (stored beside the event, not inside it). */
  readonly provenance: EventProvenance;
}

/** What every read filters on: the parsed query (none = everything) and a time range. */
export interface EventFilter {
  readonly query?: QueryNode | undefined;
  /** Inclusive lower bound of `@timestamp`, epoch ms. */
  readonly from?: number | undefined;
  /** Exclusive upper bound of `@timestamp`, epoch ms. */
  readonly to?: number | undefined;
}

/**
 * A position in the store's stable order of a tenant's events (`@timestamp`, then the store's
 * own tie-breaker): opaque, made by the store (`EventSearchResult.next`), valid for the store
 * that made it. Safe to persist (a resumable re-hunt keeps one) and to send back.
 */
export type EventCursor = string;

export interface EventSearchRequest extends EventFilter {
  readonly sort?: 'asc' | 'desc';
  readonly limit: number;
  readonly offset?: number;
  /**
   * Keyset paging: only events after this position in the order of `sort` (the count too).
   * Unlike `offset`, it costs the same on the last page as on the first, and events stored
   * meanwhile before the position do not shift the pages. A cursor the store did not make is
   * refused (`invalid_input`).
   */
  readonly after?: EventCursor;
  /**
   * Count matches up to this many (default 10,000); beyond it `total` is this bound and
   * `totalIsLowerBound` is true. Exact counts over millions of rows cost a full index scan.
   */
  readonly countLimit?: number;
}

export interface EventSearchResult {
  readonly total: number;
  readonly totalIsLowerBound: boolean;
  readonly events: readonly StoredEvent[];
  /** The position of the last event returned (`after` of the next page); null for none. */
  readonly next: EventCursor | null;
}

export interface TermsRequest extends EventFilter {
  readonly field: string;
  readonly size: number;
}

export interface TermCount {
  readonly value: string | number | boolean | null;
  readonly count: number;
}

export interface HistogramRequest extends EventFilter {
  /** Bucket width in ms; chosen from the time range when absent (`histogramInterval`). */
  readonly intervalMs?: number;
}

export interface Histogram {
  readonly intervalMs: number;
  readonly buckets: readonly { readonly start: number; readonly count: number }[];
}

export type DeadLetterStatus = 'pending' | 'replayed' | 'failed';

export interface DeadLetterInput {
  /** Where it came from: `syslog-udp:514`, `http`, `file:auth.log` … */
  readonly source: string;
  /** Human-readable reason (the parser's message). */
  readonly reason: string;
  /** Stable machine code of the reason (`invalid_utf8`, `line_too_long` …). */
  readonly code: string;
  /** The bytes exactly as received. */
  readonly raw: Uint8Array;
  readonly receivedAt: number;
}

export interface DeadLetter extends DeadLetterInput {
  readonly id: string;
  readonly tenantId: string;
  readonly status: DeadLetterStatus;
  readonly replayedAt: number | null;
  /** What the last replay said (the new parse error, or the stored event id). */
  readonly replayOutcome: string | null;
}

export interface ReplayOutcome {
  readonly status: 'replayed' | 'failed';
  readonly at: number;
  readonly detail?: string;
}

export interface EventStore {
  /** Stores a batch atomically; resolved means durable (see the storage docs for SQLite). */
  appendBatch(tenantId: string, batch: EventBatch): Promise<AppendResult>;
  getEvent(tenantId: string, id: string): Promise<StoredEvent | undefined>;
  search(tenantId: string, request: EventSearchRequest): Promise<EventSearchResult>;
  /** Exact number of matching events. */
  count(tenantId: string, filter: EventFilter): Promise<number>;
  terms(tenantId: string, request: TermsRequest): Promise<TermCount[]>;
  histogram(tenantId: string, request: HistogramRequest): Promise<Histogram>;

  /** Deletes the tenant's events with `@timestamp` before `before`; returns how many. */
  purgeOlderThan(tenantId: string, before: number): Promise<number>;
  /** Retention in days for a tenant (null: keep forever). */
  setRetention(tenantId: string, days: number | null): Promise<void>;
  retention(tenantId: string): Promise<number | null>;
  /** Applies every tenant's retention at `now`; what the server runs periodically. */
  purgeExpired(now: number): Promise<readonly { tenantId: string; deleted: number }[]>;

  addDeadLetters(tenantId: string, letters: readonly DeadLetterInput[]): Promise<string[]>;
  listDeadLetters(
    tenantId: string,
    options: { limit: number; offset: number; status?: DeadLetterStatus },
  ): Promise<{ total: number; items: DeadLetter[] }>;
  getDeadLetter(tenantId: string, id: string): Promise<DeadLetter | undefined>;
  markReplayed(tenantId: string, ids: readonly string[], outcome: ReplayOutcome): Promise<void>;
}
