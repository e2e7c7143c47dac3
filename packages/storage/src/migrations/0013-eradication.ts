/**
 * Eradication (issue 14): the reason a task was waived (its status `waived`; who and when are
 * `completed_by` and `completed_at`), and waivers of eradication actions that failed or will
 * not run, one per action.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('incident_tasks').addColumn('waiver_reason', 'text').execute();
  await db.schema
    .createTable('action_waivers')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('action_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('waived_by', 'text', (c) => c.notNull())
    .addColumn('waived_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('action_waivers_pk', ['tenant_id', 'action_id'])
    .execute();
  await db.schema
    .createIndex('action_waivers_incident')
    .on('action_waivers')
    .columns(['tenant_id', 'incident_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('action_waivers').execute();
  await db.schema.alterTable('incident_tasks').dropColumn('waiver_reason').execute();
}
