/**
 * Agent identity (issue 13 item 7): the host name and addresses an agent enrolled with, which
 * containment targets it by, and the identity changes its heartbeats reported, each waiting for
 * an incident lead's decision. Agents enrolled before this get their last reported facts as
 * their identity: the best record there is.
 */
import type { Kysely } from 'kysely';

interface AgentRow {
  tenant_id: string;
  agent_id: string;
  facts: string;
}

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('agents').addColumn('identity', 'text').execute();
  // Typed locally: the migration must keep working whatever the schema types become.
  const agents = db as unknown as Kysely<{
    agents: AgentRow & { identity: string | null };
  }>;
  const rows = await agents
    .selectFrom('agents')
    .select(['tenant_id', 'agent_id', 'facts'])
    .execute();
  for (const row of rows) {
    const facts = JSON.parse(row.facts) as {
      hostname: string;
      addresses: { v4: string[]; v6: string[] };
    };
    const identity = { hostname: facts.hostname, addresses: facts.addresses };
    await agents
      .updateTable('agents')
      .set({ identity: JSON.stringify(identity) })
      .where('tenant_id', '=', row.tenant_id)
      .where('agent_id', '=', row.agent_id)
      .execute();
  }
  await db.schema
    .createTable('agent_identity_changes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('agent_id', 'text', (c) => c.notNull())
    .addColumn('from_identity', 'text', (c) => c.notNull())
    .addColumn('to_identity', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reported_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('reason', 'text')
    .execute();
  await db.schema
    .createIndex('agent_identity_changes_agent')
    .on('agent_identity_changes')
    .columns(['tenant_id', 'agent_id', 'state'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('agent_identity_changes').execute();
  await db.schema.alterTable('agents').dropColumn('identity').execute();
}
