/**
 * Day partitions of the PostgreSQL events table, created on demand before a batch is inserted.
 * Each process remembers which days it has seen; creating is idempotent across processes
 * (IF NOT EXISTS, and a lost race is ignored). Days far from now (a clock-less device that
 * says 1970, a typo'd year) are not given partitions of their own: they land in the default
 * partition rather than littering the schema. A day whose rows are already in the default
 * partition cannot get its own partition either (PostgreSQL refuses); it stays there.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';

const DAY_MS = 86_400_000;
/** Partitions are made for days from this far back … */
const PAST_DAYS = 3 * 366;
/** … up to this far ahead of now. */
const FUTURE_DAYS = 2;

export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

const partitionName = (day: number): string =>
  `events_p${new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '')}`;

export class EventPartitions {
  readonly #known = new Set<number>();

  async ensure(db: Kysely<unknown>, timestamps: Iterable<number>, now: number): Promise<void> {
    const today = dayOf(now);
    const missing = new Set<number>();
    for (const ts of timestamps) {
      const day = dayOf(ts);
      if (this.#known.has(day) || day < today - PAST_DAYS || day > today + FUTURE_DAYS) continue;
      missing.add(day);
    }
    for (const day of missing) {
      try {
        // Names and bounds are computed from integers, never from input text.
        await sql
          .raw(
            `CREATE TABLE IF NOT EXISTS ${partitionName(day)} PARTITION OF events FOR VALUES FROM (${day * DAY_MS}) TO (${(day + 1) * DAY_MS})`,
          )
          .execute(db);
      } catch (error) {
        const code = (error as { code?: string }).code;
        // 42P07/23505: another process made it first. 23514: the default partition already
        // holds rows of that day, so they (and the new ones) stay there.
        if (code !== '42P07' && code !== '23505' && code !== '23514') throw error;
      }
      this.#known.add(day);
    }
  }

  /** Partitions that exist, oldest first (for tests and operators). */
  static async list(db: Kysely<unknown>): Promise<string[]> {
    const result = await sql<{ name: string }>`
      SELECT c.relname AS name FROM pg_inherits i
      JOIN pg_class c ON c.oid = i.inhrelid
      JOIN pg_class p ON p.oid = i.inhparent
      WHERE p.relname = 'events' AND p.relnamespace = to_regnamespace(current_schema())::oid
      ORDER BY c.relname`.execute(db);
    return result.rows.map((r) => r.name);
  }
}
