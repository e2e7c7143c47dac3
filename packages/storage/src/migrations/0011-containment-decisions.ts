/**
 * Containment decisions for servers (issue 14): the decisions with their figures, the policy's
 * option rules and per-tenant expected durations, and approvals on actions — how many distinct
 * approvers an action needs (the two-person rule for critical assets) and who approved so far.
 * Existing actions need one approval and keep the one they had.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable('agent_actions')
    .addColumn('required_approvals', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .alterTable('agent_actions')
    .addColumn('approvals', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  // An approved action's approver is its one approval, at the row's last change. Typed
  // locally: the migration must keep working whatever the schema types become.
  const actions = db as unknown as Kysely<{
    agent_actions: {
      tenant_id: string;
      id: string;
      approved_by: string | null;
      updated_at: number;
      approvals: string;
    };
  }>;
  const approved = await actions
    .selectFrom('agent_actions')
    .select(['tenant_id', 'id', 'approved_by', 'updated_at'])
    .where('approved_by', 'is not', null)
    .execute();
  for (const row of approved) {
    await actions
      .updateTable('agent_actions')
      .set({ approvals: JSON.stringify([{ by: row.approved_by, at: Number(row.updated_at) }]) })
      .where('tenant_id', '=', row.tenant_id)
      .where('id', '=', row.id)
      .execute();
  }
  await db.schema.alterTable('containment_policies').addColumn('option_rules', 'text').execute();
  await db.schema
    .alterTable('containment_policies')
    .addColumn('option_durations', 'text')
    .execute();
  await db.schema
    .createTable('containment_decisions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('asset_id', 'text', (c) => c.notNull())
    .addColumn('asset_name', 'text', (c) => c.notNull())
    .addColumn('option', 'text', (c) => c.notNull())
    .addColumn('rationale', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'bigint', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('commands', 'text', (c) => c.notNull())
    .addColumn('failover', 'text')
    .addColumn('action_ids', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('containment_decisions_incident')
    .on('containment_decisions')
    .columns(['tenant_id', 'incident_id', 'decided_at'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('containment_decisions').execute();
  await db.schema.alterTable('containment_policies').dropColumn('option_durations').execute();
  await db.schema.alterTable('containment_policies').dropColumn('option_rules').execute();
  await db.schema.alterTable('agent_actions').dropColumn('approvals').execute();
  await db.schema.alterTable('agent_actions').dropColumn('required_approvals').execute();
}
