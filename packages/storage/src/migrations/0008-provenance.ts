/**
 * Provenance (issue 13 item 5): where each event came from, stored beside it — `provenance`
 * (the `EventProvenance` of core as JSON: TEXT on SQLite, jsonb on PostgreSQL) and
 * `provenance_kind` (its `kind`, for `provenance.kind:agent` searches; no index of its own: a
 * handful of values, the time index serves it, as for `dataset`). Rows written before this
 * migration have neither and read back as `unrecorded`, which confirms nothing.
 *
 * On PostgreSQL the events table is partitioned: columns added to the parent reach every
 * partition, the default one included. Adding nullable columns without a default rewrites no
 * rows on either dialect.
 *
 * The containment policy gains its automatic isolation limit (null: the documented default).
 */
import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const run = async (statement: string) => sql.raw(statement).execute(db);
  await run(`ALTER TABLE events ADD COLUMN provenance ${postgres ? 'jsonb' : 'TEXT'}`);
  await run('ALTER TABLE events ADD COLUMN provenance_kind text');
  await run('ALTER TABLE containment_policies ADD COLUMN auto_isolation_max integer');
  await run('ALTER TABLE containment_policies ADD COLUMN auto_isolation_window_minutes integer');
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of [
    ['containment_policies', 'auto_isolation_window_minutes'],
    ['containment_policies', 'auto_isolation_max'],
    ['events', 'provenance_kind'],
    ['events', 'provenance'],
  ] as const) {
    await db.schema.alterTable(table).dropColumn(column).execute();
  }
}
