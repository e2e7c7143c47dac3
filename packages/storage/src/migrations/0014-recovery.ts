/**
 * Recovery, verification and closure (issue 14): change records, restores linked to backup
 * jobs, containment releases with their checklist, verification checks (with a persisted next
 * run, so schedules survive restarts) and their runs, and the closing review.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('change_records')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('area', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'text', (c) => c.notNull())
    .addColumn('changed_at', 'bigint', (c) => c.notNull())
    .addColumn('finding', 'text', (c) => c.notNull())
    .addColumn('mitigation_id', 'text')
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('restores')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('task_id', 'text', (c) => c.notNull())
    .addColumn('backup_job_id', 'text', (c) => c.notNull())
    .addColumn('restore_point_at', 'bigint')
    .addColumn('restore_point_label', 'text')
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('completed_by', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  await db.schema
    .createTable('containment_releases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('checklist', 'text', (c) => c.notNull())
    .addColumn('override_justification', 'text')
    .addColumn('action_ids', 'text', (c) => c.notNull())
    .addColumn('released_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('verification_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('spec', 'text', (c) => c.notNull())
    .addColumn('reopens', 'text', (c) => c.notNull())
    .addColumn('interval_minutes', 'integer')
    .addColumn('until_at', 'bigint')
    .addColumn('next_run_at', 'bigint')
    .addColumn('last_status', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('verification_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('check_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('finished_at', 'bigint')
    .addColumn('window_from', 'bigint')
    .addColumn('window_to', 'bigint')
    .addColumn('findings', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('action_id', 'text')
    .execute();
  await db.schema
    .createTable('closing_reviews')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('what_happened', 'text', (c) => c.notNull())
    .addColumn('what_worked', 'text', (c) => c.notNull())
    .addColumn('what_to_change', 'text', (c) => c.notNull())
    .addColumn('follow_ups', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('closing_reviews_pk', ['tenant_id', 'incident_id'])
    .execute();
  for (const table of ['change_records', 'restores', 'containment_releases', 'verification_runs'])
    await db.schema
      .createIndex(`${table}_incident`)
      .on(table)
      .columns(['tenant_id', 'incident_id'])
      .execute();
  await db.schema
    .createIndex('verification_checks_incident')
    .on('verification_checks')
    .columns(['tenant_id', 'incident_id'])
    .execute();
  await db.schema
    .createIndex('verification_checks_due')
    .on('verification_checks')
    .columns(['tenant_id', 'next_run_at'])
    .execute();
  await db.schema
    .createIndex('verification_runs_action')
    .on('verification_runs')
    .columns(['tenant_id', 'action_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'closing_reviews',
    'verification_runs',
    'verification_checks',
    'containment_releases',
    'restores',
    'change_records',
  ])
    await db.schema.dropTable(table).execute();
}
