/**
 * Dead letters: input that could not be parsed, kept byte for byte with the reason, until a
 * replay (after a parser fix) turns it into events. Replay itself belongs to the pipeline;
 * this records its outcome.
 */
import type { DeadLetter, DeadLetterInput, DeadLetterStatus, ReplayOutcome } from '@cordon/core';
import { newId } from '@cordon/core';
import type { Kysely, Selectable } from 'kysely';
import type { DeadLettersTable, EventDatabase } from './event-tables.ts';

const letterOf = (row: Selectable<DeadLettersTable>): DeadLetter => ({
  id: row.id,
  tenantId: row.tenant_id,
  source: row.source,
  reason: row.reason,
  code: row.code,
  // node:sqlite gives a Uint8Array, pg a Buffer (a Uint8Array subclass): hand out a plain copy.
  raw: new Uint8Array(row.raw),
  receivedAt: row.received_at,
  status: row.status as DeadLetterStatus,
  replayedAt: row.replayed_at,
  replayOutcome: row.replay_outcome,
});

/** 10 columns a row: 5,000 variables a statement, far inside both dialects' limits. */
const ROWS_PER_INSERT = 500;
const IDS_PER_UPDATE = 1000;

export class DeadLetterRepository {
  readonly #db: Kysely<EventDatabase>;

  constructor(db: Kysely<EventDatabase>) {
    this.#db = db;
  }

  /** Adds letters; `db` is the transaction to write them in, when they belong to one. */
  async add(
    tenantId: string,
    letters: readonly DeadLetterInput[],
    db: Kysely<EventDatabase> = this.#db,
  ): Promise<string[]> {
    if (letters.length === 0) return [];
    const rows = letters.map((l) => ({
      id: newId(),
      tenant_id: tenantId,
      source: l.source,
      reason: l.reason,
      code: l.code,
      raw: l.raw,
      received_at: l.receivedAt,
      status: 'pending',
      replayed_at: null,
      replay_outcome: null,
    }));
    // One statement per slice: a body of many bad lines would otherwise bind more variables
    // than SQLite (32,766) or PostgreSQL (65,535) take, and fail its whole batch for good.
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT)
      await db
        .insertInto('dead_letters')
        .values(rows.slice(i, i + ROWS_PER_INSERT))
        .execute();
    return rows.map((r) => r.id);
  }

  async list(
    tenantId: string,
    options: { limit: number; offset: number; status?: DeadLetterStatus },
  ): Promise<{ total: number; items: DeadLetter[] }> {
    let base = this.#db.selectFrom('dead_letters').where('tenant_id', '=', tenantId);
    if (options.status) base = base.where('status', '=', options.status);
    const [rows, count] = await Promise.all([
      base
        .selectAll()
        .orderBy('received_at', 'desc')
        .orderBy('id')
        .limit(options.limit)
        .offset(options.offset)
        .execute(),
      base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    ]);
    return { total: Number(count.n), items: rows.map(letterOf) };
  }

  async get(tenantId: string, id: string): Promise<DeadLetter | undefined> {
    const row = await this.#db
      .selectFrom('dead_letters')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row ? letterOf(row) : undefined;
  }

  async markReplayed(
    tenantId: string,
    ids: readonly string[],
    outcome: ReplayOutcome,
  ): Promise<void> {
    for (let i = 0; i < ids.length; i += IDS_PER_UPDATE) {
      await this.#db
        .updateTable('dead_letters')
        .set({
          status: outcome.status,
          replayed_at: outcome.at,
          replay_outcome: outcome.detail ?? null,
        })
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', ids.slice(i, i + IDS_PER_UPDATE))
        .execute();
    }
  }
}
