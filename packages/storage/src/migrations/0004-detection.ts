/**
 * Live detection: alerts (with their entities in a table of their own, so that "alerts about
 * this host / user / address lately" is an index read), suppressions, exclusions and the
 * tenant's own Sigma rules.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('alerts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('rule_id', 'text', (c) => c.notNull())
    .addColumn('rule_title', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('tags', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('dedupe_key', 'text', (c) => c.notNull())
    .addColumn('entities', 'text', (c) => c.notNull())
    .addColumn('first_seen', 'bigint', (c) => c.notNull())
    .addColumn('last_seen', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addColumn('event_ids', 'text', (c) => c.notNull())
    .addColumn('event_count', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text')
    .addColumn('suppression_id', 'text')
    .addColumn('closed_reason', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('alerts_merge')
    .on('alerts')
    .columns(['tenant_id', 'rule_id', 'dedupe_key', 'last_seen'])
    .execute();
  await db.schema
    .createIndex('alerts_status')
    .on('alerts')
    .columns(['tenant_id', 'status', 'last_seen'])
    .execute();
  await db.schema
    .createIndex('alerts_recent')
    .on('alerts')
    .columns(['tenant_id', 'last_seen'])
    .execute();
  await db.schema
    .createTable('alert_entities')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text', (c) => c.notNull().references('alerts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('value', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('alert_entities_pk', ['alert_id', 'kind', 'value'])
    .execute();
  await db.schema
    .createIndex('alert_entities_lookup')
    .on('alert_entities')
    .columns(['tenant_id', 'kind', 'value'])
    .execute();
  for (const table of ['alert_suppressions', 'detection_exclusions'] as const) {
    let builder = db.schema
      .createTable(table)
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
      .addColumn('rule_id', 'text')
      .addColumn('fields', 'text', (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull());
    if (table === 'alert_suppressions')
      builder = builder
        .addColumn('expires_at', 'bigint')
        .addColumn('hits', 'bigint', (c) => c.notNull().defaultTo(0));
    await builder.execute();
    await db.schema.createIndex(`${table}_tenant`).on(table).column('tenant_id').execute();
  }
  await db.schema
    .createTable('detection_rules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('yaml', 'text', (c) => c.notNull())
    .addColumn('rule_ids', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('detection_rules_tenant')
    .on('detection_rules')
    .column('tenant_id')
    .execute();
}
