/**
 * The console (issue 15): indexes so that the overview's figures and the first page of the
 * incident list and the alert queue, filtered as the console filters them, are index reads
 * whose cost does not grow with the store; and `demo_tenants`, the tenants `cordon demo` set
 * up (so the console can say "sample data" and a second run adds nothing).
 *
 * - incidents by phase or severity, newest first (list filters, keyset paging), and open
 *   incidents by phase and severity (the overview, covered by the index);
 * - alerts of an incident, of a rule, or of a level, most recently seen first;
 * - containment actions by state (awaiting approval), readiness snapshots by time (the latest).
 */
import type { Kysely } from 'kysely';

const INDEXES: readonly (readonly [name: string, table: string, columns: readonly string[]])[] = [
  ['incidents_tenant_phase_created', 'incidents', ['tenant_id', 'phase', 'created_at', 'number']],
  [
    'incidents_tenant_severity_created',
    'incidents',
    ['tenant_id', 'severity', 'created_at', 'number'],
  ],
  ['incidents_tenant_phase_severity', 'incidents', ['tenant_id', 'phase', 'severity']],
  ['alerts_incident_recent', 'alerts', ['tenant_id', 'incident_id', 'last_seen']],
  ['alerts_rule_recent', 'alerts', ['tenant_id', 'rule_id', 'last_seen']],
  ['alerts_level_recent', 'alerts', ['tenant_id', 'level', 'last_seen']],
  ['agent_actions_tenant_state', 'agent_actions', ['tenant_id', 'state']],
  ['readiness_snapshots_tenant_at', 'readiness_snapshots', ['tenant_id', 'at']],
];

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [name, table, columns] of INDEXES)
    await db.schema
      .createIndex(name)
      .on(table)
      .columns([...columns])
      .execute();
  await db.schema
    .createTable('demo_tenants')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable('demo_tenants').execute();
  for (const [name] of INDEXES) await db.schema.dropIndex(name).execute();
}
