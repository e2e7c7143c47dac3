/**
 * Counting a list's matches up to a bound: `SELECT count(*) FROM (… LIMIT bound + 1)` reads at
 * most bound + 1 index entries, so the first page of a list costs the same with a hundred
 * matches or a million. Beyond the bound the caller shows "10,000+" (event search does too).
 */
import type { Kysely, SelectQueryBuilder } from 'kysely';
import { sql } from 'kysely';

export const LIST_COUNT_LIMIT = 10_000;

export async function boundedCount<DB, TB extends keyof DB, O>(
  db: Kysely<DB>,
  query: SelectQueryBuilder<DB, TB, O>,
  bound = LIST_COUNT_LIMIT,
): Promise<{ total: number; totalIsLowerBound: boolean }> {
  const inner = query
    .clearSelect()
    .select(sql<number>`1`.as('one'))
    .limit(bound + 1);
  const row = await sql<{ n: number | string }>`SELECT count(*) AS n FROM (${inner}) AS m`
    .execute(db)
    .then((r) => r.rows[0]);
  const n = Number(row?.n ?? 0);
  return { total: Math.min(n, bound), totalIsLowerBound: n > bound };
}
