/**
 * The event store: events, the batch ledger (idempotent appends), dead letters and per-tenant
 * retention.
 *
 * Events keep the whole normalised event (`doc`: TEXT on SQLite, jsonb on PostgreSQL so that
 * search can read any field without re-parsing) plus the columns searches filter on, each
 * indexed behind the tenant and followed by the time, so that "this host, newest first, 100
 * rows" is one index range read. IP columns hold the family-prefixed hex form (`ipToHex`),
 * which turns a CIDR block into a range; on PostgreSQL they use the "C" collation so that
 * ranges compare bytes. `code_num` is `event.code` when it is an integer, for ranges.
 *
 * Index entries are most of the cost of writing an event, so they are kept small: the tenant
 * is a small integer (`event_tenants` maps tenant ids to it) rather than its 36-character id,
 * and there is no index on the event id — ids begin with the event time (event-row.ts), so a
 * lookup by id is a lookup by (tenant, time). `event.dataset` has a column but no index: it
 * has a handful of values, and the time index serves it.
 *
 * On PostgreSQL the events table is partitioned by day on `ts` (epoch ms). Day partitions are
 * created on demand before a batch is inserted (event-partitions.ts); the default partition
 * catches anything that arrives before its day exists. Event rows carry no foreign key to
 * tenants: the hot path should not pay for it, and a partition cannot be dropped under one.
 */
import type { Kysely } from 'kysely';
import { PostgresAdapter, sql } from 'kysely';

/** Indexed columns after `tenant_key` (each index ends with `ts`). */
export const EVENT_INDEXED_COLUMNS = [
  'host',
  'user_name',
  'source_ip',
  'destination_ip',
  'event_code',
  'category',
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const run = async (statement: string) => sql.raw(statement).execute(db);

  if (postgres) {
    await run(`CREATE TABLE events (
      id text NOT NULL,
      tenant_key integer NOT NULL,
      ts bigint NOT NULL,
      ingested_at bigint NOT NULL,
      host text,
      user_name text,
      source_ip text COLLATE "C",
      destination_ip text COLLATE "C",
      event_code text,
      code_num bigint,
      category text,
      dataset text,
      doc jsonb NOT NULL
    ) PARTITION BY RANGE (ts)`);
    await run('CREATE TABLE events_default PARTITION OF events DEFAULT');
    await run(`CREATE TABLE event_tenants (
      tenant_key integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      tenant_id text NOT NULL UNIQUE REFERENCES tenants (id) ON DELETE CASCADE
    )`);
  } else {
    await run(`CREATE TABLE events (
      seq INTEGER PRIMARY KEY,
      id TEXT NOT NULL,
      tenant_key INTEGER NOT NULL,
      ts INTEGER NOT NULL,
      ingested_at INTEGER NOT NULL,
      host TEXT,
      user_name TEXT,
      source_ip TEXT,
      destination_ip TEXT,
      event_code TEXT,
      code_num INTEGER,
      category TEXT,
      dataset TEXT,
      doc TEXT NOT NULL
    )`);
    await run(`CREATE TABLE event_tenants (
      tenant_key INTEGER PRIMARY KEY,
      tenant_id TEXT NOT NULL UNIQUE REFERENCES tenants (id) ON DELETE CASCADE
    )`);
  }
  await run('CREATE INDEX events_tenant_ts ON events (tenant_key, ts)');
  for (const column of EVENT_INDEXED_COLUMNS) {
    // Address indexes also carry the event code, so that "failed logons from this subnet"
    // (a CIDR range and a code) is answered from the index without reading each event.
    const extra = column === 'source_ip' || column === 'destination_ip' ? ', event_code' : '';
    await run(`CREATE INDEX events_${column} ON events (tenant_key, ${column}, ts${extra})`);
  }

  await db.schema
    .createTable('event_batches')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('batch_id', 'text', (c) => c.notNull())
    .addColumn('ids', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_batches_pk', ['tenant_id', 'batch_id'] as never)
    .execute();
  await run('CREATE INDEX event_batches_created ON event_batches (tenant_id, created_at)');

  await db.schema
    .createTable('dead_letters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('raw', postgres ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('replayed_at', 'bigint')
    .addColumn('replay_outcome', 'text')
    .execute();
  await run('CREATE INDEX dead_letters_tenant ON dead_letters (tenant_id, received_at)');

  await db.schema
    .createTable('event_retention')
    .addColumn('tenant_id', 'text', (c) =>
      c.primaryKey().references('tenants.id').onDelete('cascade'),
    )
    .addColumn('days', 'integer', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'event_retention',
    'dead_letters',
    'event_batches',
    'events',
    'event_tenants',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
