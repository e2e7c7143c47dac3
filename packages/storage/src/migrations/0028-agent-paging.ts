/**
 * The console pages the agent list by hostname (keyset: hostname, then agent id): an index in
 * that order keeps a page an index read, however many agents a tenant enrols.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createIndex('agents_tenant_hostname')
    .on('agents')
    .columns(['tenant_id', 'hostname', 'agent_id'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropIndex('agents_tenant_hostname').execute();
}
