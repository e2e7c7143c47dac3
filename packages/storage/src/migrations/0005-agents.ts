/**
 * Containment (issue 6): enrolled agents per tenant, enrolment tokens (SHA-256 of the secret,
 * one-time, expiring), containment actions with every transition, offline release codes
 * issued (ids only: the code is shown once and never stored), and the per-tenant
 * auto-containment policy.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('agents')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('public_key', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('isolated', 'integer', (c) => c.notNull())
    .addColumn('online', 'integer', (c) => c.notNull())
    .addColumn('enrolled_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('telemetry_seq', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('agents_pk', ['tenant_id', 'agent_id'])
    .execute();
  await db.schema
    .createTable('agent_enrolment_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('agent_id', 'text')
    .execute();
  await db.schema
    .createIndex('agent_enrolment_tokens_tenant')
    .on('agent_enrolment_tokens')
    .column('tenant_id')
    .execute();
  await db.schema
    .createTable('agent_actions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('command_nonce', 'text')
    .addColumn('detail', 'text')
    .addColumn('result', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('agent_actions_tenant_agent')
    .on('agent_actions')
    .columns(['tenant_id', 'agent_id', 'state'])
    .execute();
  await db.schema
    .createIndex('agent_actions_tenant_incident')
    .on('agent_actions')
    .columns(['tenant_id', 'incident_id'])
    .execute();
  await db.schema
    .createTable('agent_action_transitions')
    .addColumn('action_id', 'text', (c) => c.notNull().references('agent_actions.id'))
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('from_state', 'text')
    .addColumn('to_state', 'text', (c) => c.notNull())
    .addColumn('actor', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('detail', 'text')
    .addPrimaryKeyConstraint('agent_action_transitions_pk', ['action_id', 'seq'])
    .execute();
  await db.schema
    .createTable('agent_release_codes')
    .addColumn('code_id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('incident_id', 'text', (c) => c.references('incidents.id'))
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('containment_policies')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('rules', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'containment_policies',
    'agent_release_codes',
    'agent_action_transitions',
    'agent_actions',
    'agent_enrolment_tokens',
    'agents',
  ])
    await db.schema.dropTable(table).execute();
}
