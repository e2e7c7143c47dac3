/** Preparation: network documentation, continuity, the response plan and readiness history. */
import type { CreateTableBuilder, Kysely } from 'kysely';

type Table = CreateTableBuilder<string, never>;

/** Every preparation table: an id, its tenant, and the columns `extra` adds. */
async function tenantTable(
  db: Kysely<unknown>,
  name: string,
  extra: (t: Table) => Table,
  unique?: readonly string[],
): Promise<void> {
  let table = extra(
    db.schema
      .createTable(name)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id')),
  );
  if (unique)
    table = table.addUniqueConstraint(`${name}_unique`, ['tenant_id', ...unique] as never);
  await table.execute();
  await db.schema.createIndex(`${name}_tenant`).on(name).column('tenant_id').execute();
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await tenantTable(
    db,
    'segments',
    (t) =>
      t
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('cidr', 'text', (c) => c.notNull())
        .addColumn('vlan', 'integer')
        .addColumn('zone', 'text', (c) => c.notNull())
        .addColumn('gateway', 'text')
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()),
    ['name'],
  );
  await tenantTable(
    db,
    'assets',
    (t) =>
      t
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_key', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('addresses', 'text', (c) => c.notNull())
        .addColumn('mac', 'text')
        .addColumn('os', 'text')
        .addColumn('owner', 'text')
        .addColumn('location', 'text')
        .addColumn('criticality', 'text', (c) => c.notNull())
        .addColumn('tags', 'text', (c) => c.notNull())
        .addColumn('segment_id', 'text', (c) => c.references('segments.id'))
        .addColumn('redundancy_group', 'text')
        .addColumn('agent_installed', 'integer', (c) => c.notNull())
        .addColumn('operational_status', 'text', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint')
        .addColumn('retired_at', 'bigint')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull()),
    ['name_key'],
  );
  await tenantTable(
    db,
    'asset_relations',
    (t) =>
      t
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('from_asset_id', 'text', (c) => c.notNull().references('assets.id'))
        .addColumn('to_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull()),
    ['kind', 'from_asset_id', 'to_id'],
  );
  await tenantTable(
    db,
    'business_functions',
    (t) =>
      t
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('owner', 'text')
        .addColumn('mtd_minutes', 'integer', (c) => c.notNull())
        .addColumn('cost_per_hour', 'double precision', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull()),
    ['name'],
  );
  await tenantTable(db, 'backup_jobs', (t) =>
    t
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('asset_id', 'text', (c) => c.references('assets.id'))
      .addColumn('system', 'text')
      .addColumn('rpo_minutes', 'integer', (c) => c.notNull())
      .addColumn('rto_minutes', 'integer', (c) => c.notNull())
      .addColumn('last_success_at', 'bigint')
      .addColumn('last_restore_test_at', 'bigint')
      .addColumn('last_restore_test_passed', 'integer')
      .addColumn('offline_copy', 'integer', (c) => c.notNull())
      .addColumn('immutable_copy', 'integer', (c) => c.notNull())
      .addColumn('location', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull()),
  );
  await tenantTable(db, 'plan_documents', (t) =>
    t
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('current_version', 'integer', (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('approved_at', 'bigint')
      .addColumn('last_reviewed_at', 'bigint')
      .addColumn('next_review_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull()),
  );
  await db.schema
    .createTable('plan_versions')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('document_id', 'text', (c) => c.notNull().references('plan_documents.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('plan_versions_pk', ['document_id', 'version'])
    .execute();
  await db.schema
    .createTable('role_assignments')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('primary_person', 'text', (c) => c.notNull())
    .addColumn('backup_person', 'text')
    .addColumn('escalation_rank', 'integer')
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('role_assignments_pk', ['tenant_id', 'role'])
    .execute();
  await tenantTable(db, 'external_contacts', (t) =>
    t
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('organisation', 'text')
      .addColumn('phone', 'text')
      .addColumn('email', 'text')
      .addColumn('notes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull()),
  );
  await tenantTable(db, 'exercises', (t) =>
    t
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('held_at', 'bigint', (c) => c.notNull())
      .addColumn('notes', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull()),
  );
  await tenantTable(
    db,
    'observed_hosts',
    (t) =>
      t
        .addColumn('hostname', 'text', (c) => c.notNull())
        .addColumn('ip', 'text', (c) => c.notNull())
        .addColumn('first_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
        .addColumn('dismissed_at', 'bigint'),
    ['hostname', 'ip'],
  );
  await tenantTable(db, 'readiness_snapshots', (t) =>
    t
      .addColumn('at', 'bigint', (c) => c.notNull())
      .addColumn('score', 'double precision', (c) => c.notNull())
      .addColumn('checks', 'text', (c) => c.notNull()),
  );
}
