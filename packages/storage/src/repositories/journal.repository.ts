/**
 * Appends to and reads a tenant's journal. Appending reads the last entry (the head), hashes
 * the new entry and inserts it, inside the caller's transaction. On PostgreSQL a
 * transaction-scoped advisory lock per tenant makes concurrent writers of one tenant take
 * turns; on SQLite the transaction is already exclusive (BEGIN IMMEDIATE), and the append uses
 * cached prepared statements on the raw handle because it is on every write path.
 *
 * The head is not stored separately: a row that records it could be rewritten by whoever can
 * rewrite the entries, and it costs a page write per append. Truncation of the tail is caught
 * by the signed, chained checkpoints instead, which the server makes every few seconds and
 * copies to a witness outside the database.
 */
import type {
  JournalCheckpoint,
  JournalEntry,
  JournalHead,
  JournalRecord,
  JournalRepository,
} from '@cordon/core';
import { GENESIS_HASH, canonicalJson, journalEntryHash } from '@cordon/core';
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { CordonDatabase } from '../database/schema.ts';
import { checkpointFromRow, journalEntryFromRow } from './row-mappers.ts';

interface SqliteJournalStatements {
  readonly head: StatementSync;
  readonly insert: StatementSync;
}

const statementsByHandle = new WeakMap<DatabaseSync, SqliteJournalStatements>();

function sqliteStatements(raw: DatabaseSync): SqliteJournalStatements {
  let statements = statementsByHandle.get(raw);
  if (!statements) {
    statements = {
      head: raw.prepare(
        'SELECT seq, hash FROM journal_entries WHERE tenant_id = ? ORDER BY seq DESC LIMIT 1',
      ),
      insert: raw.prepare(
        'INSERT INTO journal_entries (tenant_id, seq, at, actor, kind, incident_id, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
    };
    statementsByHandle.set(raw, statements);
  }
  return statements;
}

export interface JournalRepositoryOptions {
  readonly db: Kysely<CordonDatabase>;
  readonly tenantId: string;
  readonly now: () => number;
  /** Set on SQLite: the raw handle of the connection the transaction runs on. */
  readonly sqlite: DatabaseSync | undefined;
}

export class KyselyJournalRepository implements JournalRepository {
  readonly #db: Kysely<CordonDatabase>;
  readonly #tenantId: string;
  readonly #now: () => number;
  readonly #sqlite: DatabaseSync | undefined;

  constructor(options: JournalRepositoryOptions) {
    this.#db = options.db;
    this.#tenantId = options.tenantId;
    this.#now = options.now;
    this.#sqlite = options.sqlite;
  }

  async append(record: JournalRecord): Promise<JournalEntry> {
    const head = this.#sqlite ? this.#sqliteHead(this.#sqlite) : await this.#lockedHead();
    const unhashed = {
      tenantId: this.#tenantId,
      seq: (head?.seq ?? 0) + 1,
      at: this.#now(),
      actor: record.actor,
      kind: record.kind,
      incidentId: record.incidentId ?? null,
      payload: record.payload ?? null,
      prevHash: head?.hash ?? GENESIS_HASH,
    };
    const entry: JournalEntry = { ...unhashed, hash: journalEntryHash(unhashed) };
    const payload = canonicalJson(entry.payload);
    if (this.#sqlite) {
      const s = sqliteStatements(this.#sqlite);
      s.insert.run(
        entry.tenantId,
        entry.seq,
        entry.at,
        entry.actor,
        entry.kind,
        entry.incidentId,
        payload,
        entry.prevHash,
        entry.hash,
      );
      return entry;
    }
    await this.#db
      .insertInto('journal_entries')
      .values({
        tenant_id: entry.tenantId,
        seq: entry.seq,
        at: entry.at,
        actor: entry.actor,
        kind: entry.kind,
        incident_id: entry.incidentId,
        payload,
        prev_hash: entry.prevHash,
        hash: entry.hash,
      })
      .execute();
    return entry;
  }

  #sqliteHead(raw: DatabaseSync): JournalHead | undefined {
    const row = sqliteStatements(raw).head.get(this.#tenantId) as
      { seq: number; hash: string } | undefined;
    return row ? { seq: row.seq, hash: row.hash } : undefined;
  }

  /** PostgreSQL: take the tenant's journal lock for the rest of the transaction, then read the head. */
  async #lockedHead(): Promise<JournalHead | undefined> {
    await this.lock();
    return this.head();
  }

  async lock(): Promise<void> {
    // SQLite: the transaction is already exclusive (BEGIN IMMEDIATE).
    if (this.#sqlite) return;
    await sql`SELECT pg_advisory_xact_lock(hashtextextended(${'cordon-journal:' + this.#tenantId}, 0))`.execute(
      this.#db,
    );
  }

  async head(): Promise<JournalHead | undefined> {
    const row = await this.#db
      .selectFrom('journal_entries')
      .select(['seq', 'hash'])
      .where('tenant_id', '=', this.#tenantId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row;
  }

  async list(
    filter: { afterSeq?: number; incidentId?: string },
    limit: number,
  ): Promise<JournalEntry[]> {
    let query = this.#db
      .selectFrom('journal_entries')
      .selectAll()
      .where('tenant_id', '=', this.#tenantId)
      .orderBy('seq')
      .limit(limit);
    if (filter.afterSeq !== undefined) query = query.where('seq', '>', filter.afterSeq);
    if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
    return (await query.execute()).map(journalEntryFromRow);
  }

  async *scan(): AsyncIterable<JournalEntry> {
    const batch = 1000;
    let after = 0;
    for (;;) {
      // Ordered by seq as stored; rows are read in pages so that verifying a long journal stays in bounded memory.
      const rows = await this.#db
        .selectFrom('journal_entries')
        .selectAll()
        .where('tenant_id', '=', this.#tenantId)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(batch)
        .execute();
      for (const row of rows) yield journalEntryFromRow(row);
      const last = rows.at(-1);
      if (!last || rows.length < batch) return;
      after = last.seq;
    }
  }

  async insertCheckpoint(checkpoint: JournalCheckpoint): Promise<void> {
    await this.#db
      .insertInto('journal_checkpoints')
      .values({
        tenant_id: checkpoint.tenantId,
        seq: checkpoint.seq,
        hash: checkpoint.hash,
        at: checkpoint.at,
        key_id: checkpoint.keyId,
        signature: checkpoint.signature,
        number: checkpoint.chain?.number ?? null,
        entries: checkpoint.chain?.entries ?? null,
        prev_checkpoint_hash: checkpoint.chain?.prevHash ?? null,
      })
      .execute();
  }

  async checkpoints(): Promise<JournalCheckpoint[]> {
    const rows = await this.#db
      .selectFrom('journal_checkpoints')
      .selectAll()
      .where('tenant_id', '=', this.#tenantId)
      .orderBy('seq')
      .execute();
    return rows.map(checkpointFromRow);
  }

  async checkpointCovering(seq: number): Promise<JournalCheckpoint | undefined> {
    const row = await this.#db
      .selectFrom('journal_checkpoints')
      .selectAll()
      .where('tenant_id', '=', this.#tenantId)
      .where('seq', '>=', seq)
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    return row ? checkpointFromRow(row) : undefined;
  }

  async latestCheckpoint(): Promise<JournalCheckpoint | undefined> {
    const row = await this.#db
      .selectFrom('journal_checkpoints')
      .selectAll()
      .where('tenant_id', '=', this.#tenantId)
      .orderBy('seq', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? checkpointFromRow(row) : undefined;
  }
}
