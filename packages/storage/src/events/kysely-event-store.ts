/**
 * The `EventStore` port over the store's own database.
 *
 * Writes (`appendBatch`) are the ingest hot path: one transaction per batch that checks the
 * batch ledger, inserts the events and records the batch id with the ids it got, so a retried
 * batch is stored once and answered with the same ids. On SQLite the transaction is taken
 * through Kysely (which serialises it with every other transaction on the one connection) and
 * filled through cached prepared statements on the raw handle; the database runs in WAL mode
 * with synchronous=NORMAL, so a resolved append survives a crash of the process (kill -9)
 * but the last commits may be lost to a power failure or kernel crash (FULL would fsync each
 * batch). On PostgreSQL a resolved append is committed. The pipeline calls `appendBatch` once
 * per batch it acknowledges.
 *
 * Reads compile the parsed query (query-compiler.ts) into one statement bound to the tenant.
 */
import type {
  AppendResult,
  Clock,
  DeadLetter,
  DeadLetterInput,
  DeadLetterStatus,
  EventBatch,
  EventDocument,
  EventFilter,
  EventSearchRequest,
  EventSearchResult,
  EventStore,
  Histogram,
  HistogramRequest,
  ReplayOutcome,
  StoredEvent,
  TermCount,
  TermsRequest,
} from '@cordon/core';
import {
  CordonError,
  hexToIp,
  histogramInterval,
  parseEventProvenance,
  systemClock,
} from '@cordon/core';
import type { Kysely, RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../database/open-database.ts';
import { DeadLetterRepository } from './dead-letters.ts';
import { afterPosition, formatEventCursor, parseEventCursor } from './event-cursor.ts';
import { EventPartitions } from './event-partitions.ts';
import { eventRow, eventTimeOfId } from './event-row.ts';
import type { EventDatabase } from './event-tables.ts';
import { postgresInsertEvents } from './postgres-event-writer.ts';
import { QueryCompiler, chooseIndex } from './query-compiler.ts';
import { sqliteInsertBatch, sqliteLedgerIds } from './sqlite-event-writer.ts';

const DEFAULT_COUNT_LIMIT = 10_000;
const DAY_MS = 86_400_000;
const MAX_BATCH_ID_LENGTH = 200;
/** The SQLite page cache of a store's connection (the ingest bench's baseline uses the same). */
export const SQLITE_CACHE_KIB = 65_536;

interface EventRecordRow {
  id: string;
  ts: number;
  ingested_at: number;
  doc: unknown;
  provenance: unknown;
}

export class KyselyEventStore implements EventStore {
  readonly #database: Database;
  readonly #db: Kysely<EventDatabase>;
  readonly #clock: Clock;
  readonly #compiler: QueryCompiler;
  readonly #partitions = new EventPartitions();
  readonly #deadLetters: DeadLetterRepository;
  /** tenant id → its small integer in the events table (never changes once given). */
  readonly #tenantKeys = new Map<string, number>();

  constructor(database: Database, clock: Clock = systemClock) {
    this.#database = database;
    this.#db = database.kysely as unknown as Kysely<EventDatabase>;
    this.#clock = clock;
    this.#compiler = new QueryCompiler(database.dialect);
    this.#deadLetters = new DeadLetterRepository(this.#db);
    // Event indexes take random inserts (addresses, users); SQLite's default 2 MB page cache
    // makes each of them a trip to the OS. 64 MB keeps their upper levels and hot leaves in memory.
    database.sqlite?.exec(`PRAGMA cache_size = -${SQLITE_CACHE_KIB}`);
  }

  async appendBatch(tenantId: string, batch: EventBatch): Promise<AppendResult> {
    const { batchId } = batch;
    if (batchId === '' || batchId.length > MAX_BATCH_ID_LENGTH) {
      throw new CordonError(
        'invalid_input',
        `a batch id is 1 to ${MAX_BATCH_ID_LENGTH} characters`,
      );
    }
    const now = this.#clock.now();
    if (batch.provenance !== undefined && batch.provenance.length !== batch.events.length) {
      throw new CordonError('invalid_input', 'a batch gives the provenance of every event or none');
    }
    const rows = batch.events.map((event, i) => eventRow(event, now, batch.provenance?.[i]));
    const tenantKey = await this.#keyOf(tenantId, true);
    const raw = this.#database.sqlite;
    if (raw) {
      return this.#db.transaction().execute(async (trx) => {
        const earlier = sqliteLedgerIds(raw, tenantId, batchId);
        if (earlier) return { batchId, duplicate: true, ids: earlier };
        sqliteInsertBatch(raw, { tenantId, tenantKey, batchId, rows, now });
        await this.#deadLetters.add(tenantId, batch.deadLetters ?? [], trx);
        return { batchId, duplicate: false, ids: rows.map((r) => r.id) };
      });
    }
    await this.#partitions.ensure(
      this.#db as unknown as Kysely<unknown>,
      rows.map((r) => r.ts),
      now,
    );
    return this.#db.transaction().execute(async (trx) => {
      const ids = rows.map((r) => r.id);
      const claimed = await trx
        .insertInto('event_batches')
        .values({
          tenant_id: tenantId,
          batch_id: batchId,
          ids: JSON.stringify(ids),
          created_at: now,
        })
        .onConflict((oc) => oc.doNothing())
        .returning('batch_id')
        .execute();
      if (claimed.length === 0) {
        const earlier = await trx
          .selectFrom('event_batches')
          .select('ids')
          .where('tenant_id', '=', tenantId)
          .where('batch_id', '=', batchId)
          .executeTakeFirstOrThrow();
        return { batchId, duplicate: true, ids: JSON.parse(earlier.ids) as string[] };
      }
      await postgresInsertEvents(trx as unknown as Kysely<unknown>, tenantKey, rows);
      await this.#deadLetters.add(tenantId, batch.deadLetters ?? [], trx);
      return { batchId, duplicate: false, ids };
    });
  }

  async getEvent(tenantId: string, id: string): Promise<StoredEvent | undefined> {
    const ts = eventTimeOfId(id);
    if (ts === undefined) return undefined;
    const row = await this.#db
      .selectFrom('events')
      .select(['id', 'ts', 'ingested_at', 'doc', 'provenance'])
      .where('tenant_key', '=', await this.#keyOf(tenantId))
      .where('ts', '=', ts)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? this.#stored(row) : undefined;
  }

  /**
   * The page and a count of matches up to `countLimit`. On SQLite the index is chosen here
   * (`chooseIndex`): an exact value on an indexed column reads that column's index, which also
   * gives the time order; an address range reads the address index to count, and then either
   * sorts the few matches it found or, when they are many, walks the time index newest first
   * and stops at the page (quick precisely because matches are many).
   */
  async search(tenantId: string, request: EventSearchRequest): Promise<EventSearchResult> {
    const { dialect } = this.#database;
    const sqlite = dialect === 'sqlite';
    const sort = request.sort === 'asc' ? 'asc' : 'desc';
    const choice = sqlite && request.query ? chooseIndex(request.query) : undefined;
    const countLimit = request.countLimit ?? DEFAULT_COUNT_LIMIT;
    const filtered = await this.#where(tenantId, request);
    const where =
      request.after === undefined
        ? filtered
        : sql`${filtered} AND ${afterPosition(parseEventCursor(request.after, dialect), sort, dialect)}`;
    const from = (index: string | undefined) =>
      index === undefined ? sql`events` : sql`events INDEXED BY ${sql.raw(index)}`;
    const counted = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM (SELECT 1 FROM ${from(choice?.index)}
      WHERE ${where} LIMIT ${countLimit + 1}) AS m`.execute(this.#db);
    const n = Number(counted.rows[0]?.n ?? 0);
    const pageIndex =
      choice === undefined || !choice.range || n <= countLimit ? choice?.index : 'events_tenant_ts';
    const direction = sql.raw(sort === 'asc' ? 'ASC' : 'DESC');
    // The tie-break keeps pages stable (and is the keyset cursor's key); on SQLite `seq` is the
    // rowid, which every index ends with.
    const tieBreak = sql.raw(sqlite ? 'seq' : 'id');
    const rows = await sql<EventRecordRow & { key: string | number }>`SELECT ${tieBreak} AS key,
      id, ts, ingested_at, doc, provenance FROM ${from(pageIndex)}
      WHERE ${where} ORDER BY ts ${direction}, ${tieBreak} ${direction}
      LIMIT ${request.limit} OFFSET ${request.offset ?? 0}`.execute(this.#db);
    const last = rows.rows.at(-1);
    return {
      total: Math.min(n, countLimit),
      totalIsLowerBound: n > countLimit,
      events: rows.rows.map((r) => this.#stored(r)),
      next:
        last === undefined
          ? null
          : formatEventCursor({ ts: Number(last.ts), key: String(last.key) }),
    };
  }

  async count(tenantId: string, filter: EventFilter): Promise<number> {
    const result = await sql<{
      n: number;
    }>`SELECT count(*) AS n FROM events WHERE ${await this.#where(tenantId, filter)}`.execute(
      this.#db,
    );
    return Number(result.rows[0]?.n ?? 0);
  }

  async terms(tenantId: string, request: TermsRequest): Promise<TermCount[]> {
    const { expression, ip } = this.#compiler.fieldValue(request.field);
    const result = await sql<{ value: string | number | null; n: number }>`
      SELECT ${expression} AS value, count(*) AS n FROM events
      WHERE ${await this.#where(tenantId, request)} AND ${expression} IS NOT NULL
      GROUP BY 1 ORDER BY n DESC, value LIMIT ${request.size}`.execute(this.#db);
    return result.rows.map((r) => ({
      value: ip && typeof r.value === 'string' ? hexToIp(r.value) : r.value,
      count: Number(r.n),
    }));
  }

  async histogram(tenantId: string, request: HistogramRequest): Promise<Histogram> {
    const where = await this.#where(tenantId, request);
    let { from, to } = request;
    if (from === undefined || to === undefined) {
      const bounds = await sql<{ low: number | null; high: number | null }>`
        SELECT min(ts) AS low, max(ts) AS high FROM events WHERE ${where}`.execute(this.#db);
      from ??= Number(bounds.rows[0]?.low ?? 0);
      to ??= Number(bounds.rows[0]?.high ?? 0) + 1;
    }
    const intervalMs = request.intervalMs ?? histogramInterval(Math.max(1, to - from));
    const interval =
      this.#database.dialect === 'sqlite'
        ? sql`CAST(${intervalMs} AS INTEGER)`
        : sql`${intervalMs}::bigint`;
    const result = await sql<{ start: number; n: number }>`
      SELECT (ts / ${interval}) * ${interval} AS start, count(*) AS n FROM events
      WHERE ${where} GROUP BY 1 ORDER BY 1`.execute(this.#db);
    return {
      intervalMs,
      buckets: result.rows.map((r) => ({ start: Number(r.start), count: Number(r.n) })),
    };
  }

  async purgeOlderThan(tenantId: string, before: number): Promise<number> {
    const result = await this.#db
      .deleteFrom('events')
      .where('tenant_key', '=', await this.#keyOf(tenantId))
      .where('ts', '<', before)
      .executeTakeFirst();
    // The batch ledger only has to outlive retries; it goes with the events it describes.
    await this.#db
      .deleteFrom('event_batches')
      .where('tenant_id', '=', tenantId)
      .where('created_at', '<', before)
      .execute();
    return Number(result.numDeletedRows);
  }

  async setRetention(tenantId: string, days: number | null): Promise<void> {
    if (days === null) {
      await this.#db.deleteFrom('event_retention').where('tenant_id', '=', tenantId).execute();
      return;
    }
    if (!Number.isInteger(days) || days < 1) {
      throw new CordonError('invalid_input', 'retention is a whole number of days, at least 1');
    }
    await this.#db
      .insertInto('event_retention')
      .values({ tenant_id: tenantId, days })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ days }))
      .execute();
  }

  async retention(tenantId: string): Promise<number | null> {
    const row = await this.#db
      .selectFrom('event_retention')
      .select('days')
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return row ? Number(row.days) : null;
  }

  async purgeExpired(now: number): Promise<{ tenantId: string; deleted: number }[]> {
    const settings = await this.#db.selectFrom('event_retention').selectAll().execute();
    const purged: { tenantId: string; deleted: number }[] = [];
    for (const s of settings) {
      const deleted = await this.purgeOlderThan(s.tenant_id, now - Number(s.days) * DAY_MS);
      purged.push({ tenantId: s.tenant_id, deleted });
    }
    return purged;
  }

  addDeadLetters(tenantId: string, letters: readonly DeadLetterInput[]): Promise<string[]> {
    return this.#deadLetters.add(tenantId, letters);
  }

  listDeadLetters(
    tenantId: string,
    options: { limit: number; offset: number; status?: DeadLetterStatus },
  ): Promise<{ total: number; items: DeadLetter[] }> {
    return this.#deadLetters.list(tenantId, options);
  }

  getDeadLetter(tenantId: string, id: string): Promise<DeadLetter | undefined> {
    return this.#deadLetters.get(tenantId, id);
  }

  markReplayed(tenantId: string, ids: readonly string[], outcome: ReplayOutcome): Promise<void> {
    return this.#deadLetters.markReplayed(tenantId, ids, outcome);
  }

  /**
   * The tenant's key in the events table. Reads of a tenant that never stored an event get a
   * key that matches nothing; appends create it (the foreign key refuses unknown tenants).
   */
  async #keyOf(tenantId: string, create = false): Promise<number> {
    const cached = this.#tenantKeys.get(tenantId);
    if (cached !== undefined) return cached;
    const find = () =>
      this.#db
        .selectFrom('event_tenants')
        .select('tenant_key')
        .where('tenant_id', '=', tenantId)
        .executeTakeFirst();
    let row = await find();
    if (!row && create) {
      const tenant = await this.#db
        .selectFrom('tenants')
        .select('id')
        .where('id', '=', tenantId)
        .executeTakeFirst();
      if (!tenant) throw new CordonError('not_found', 'tenant not found');
      await this.#db
        .insertInto('event_tenants')
        .values({ tenant_id: tenantId })
        .onConflict((oc) => oc.column('tenant_id').doNothing())
        .execute();
      row = await find();
    }
    if (!row) return -1;
    const key = Number(row.tenant_key);
    this.#tenantKeys.set(tenantId, key);
    return key;
  }

  async #where(tenantId: string, filter: EventFilter): Promise<RawBuilder<unknown>> {
    const parts: RawBuilder<unknown>[] = [sql`tenant_key = ${await this.#keyOf(tenantId)}`];
    if (filter.from !== undefined) parts.push(sql`ts >= ${filter.from}`);
    if (filter.to !== undefined) parts.push(sql`ts < ${filter.to}`);
    if (filter.query) parts.push(this.#compiler.compile(filter.query));
    return sql.join(parts, sql` AND `);
  }

  #stored(row: EventRecordRow): StoredEvent {
    const event = (typeof row.doc === 'string' ? JSON.parse(row.doc) : row.doc) as EventDocument;
    const provenance = parseEventProvenance(
      typeof row.provenance === 'string' ? JSON.parse(row.provenance) : row.provenance,
    );
    return {
      id: row.id,
      timestamp: Number(row.ts),
      ingestedAt: Number(row.ingested_at),
      event,
      provenance,
    };
  }
}
