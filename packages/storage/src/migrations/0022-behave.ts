/**
 * Behavioural detection (issue 17): an alert's explanation (a detector's score, features and
 * baseline, JSON), each detector's persisted state per tenant (so a restart keeps baselines),
 * the allow-list fed by false-positive verdicts, and per-tenant threshold overrides.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('alerts').addColumn('explanation', 'text').execute();
  await db.schema
    .createTable('detector_states')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('detector', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('detector_states_pk', ['tenant_id', 'detector'])
    .execute();
  await db.schema
    .createTable('detector_allow_list')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('detector', 'text', (c) => c.notNull())
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('alert_id', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('detector_allow_list_pk', ['tenant_id', 'detector', 'key'])
    .execute();
  await db.schema
    .createTable('detector_settings')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('detector', 'text', (c) => c.notNull())
    .addColumn('enabled', 'integer', (c) => c.notNull())
    .addColumn('thresholds', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('detector_settings_pk', ['tenant_id', 'detector'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('detector_settings').execute();
  await db.schema.dropTable('detector_allow_list').execute();
  await db.schema.dropTable('detector_states').execute();
  await db.schema.alterTable('alerts').dropColumn('explanation').execute();
}
