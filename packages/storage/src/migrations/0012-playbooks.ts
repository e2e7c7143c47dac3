/**
 * Playbooks (issue 14): CACAO documents per tenant with immutable versions, and their runs on
 * incidents with the whole position of the run, so a restarted server resumes it.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('playbooks')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('latest_version', 'integer', (c) => c.notNull())
    .addColumn('categories', 'text', (c) => c.notNull())
    .addColumn('techniques', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('playbooks_pk', ['tenant_id', 'id'])
    .execute();
  await db.schema
    .createTable('playbook_versions')
    .addColumn('tenant_id', 'text', (c) => c.notNull())
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('author', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('playbook_versions_pk', ['tenant_id', 'playbook_id', 'version'])
    .addForeignKeyConstraint(
      'playbook_versions_playbook',
      ['tenant_id', 'playbook_id'],
      'playbooks',
      ['tenant_id', 'id'],
    )
    .execute();
  await db.schema
    .createTable('playbook_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull().references('incidents.id'))
    .addColumn('playbook_id', 'text', (c) => c.notNull())
    .addColumn('playbook_version', 'integer', (c) => c.notNull())
    .addColumn('playbook_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .addColumn('failure', 'text')
    .addColumn('revision', 'integer', (c) => c.notNull())
    .addColumn('position', 'text', (c) => c.notNull())
    .addForeignKeyConstraint(
      'playbook_runs_version',
      ['tenant_id', 'playbook_id', 'playbook_version'],
      'playbook_versions',
      ['tenant_id', 'playbook_id', 'version'],
    )
    .execute();
  await db.schema
    .createIndex('playbook_runs_incident')
    .on('playbook_runs')
    .columns(['tenant_id', 'incident_id'])
    .execute();
  await db.schema
    .createIndex('playbook_runs_status')
    .on('playbook_runs')
    .columns(['tenant_id', 'status'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('playbook_runs').execute();
  await db.schema.dropTable('playbook_versions').execute();
  await db.schema.dropTable('playbooks').execute();
}
