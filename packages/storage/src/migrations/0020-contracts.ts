/**
 * Contracts (issue 16): a tenant's contract (calendar, SLA terms, regulatory regimes) as one
 * versioned JSON body, the pauses of an incident's SLA clocks, the marks that make each
 * at-risk / breach / near / missed event journalled once, reportability determinations and the
 * notices sent to regulators.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenant_contracts')
    .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('sla_pauses')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('started_by', 'text', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_by', 'text')
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema
    .createTable('clock_marks')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('clock', 'text', (c) => c.notNull())
    .addColumn('mark', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('clock_marks_pk', ['tenant_id', 'incident_id', 'clock', 'mark'])
    .execute();
  await db.schema
    .createTable('reportability_determinations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('reportable', 'integer', (c) => c.notNull())
    .addColumn('regimes', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('awareness_at', 'bigint', (c) => c.notNull())
    .addColumn('payment_at', 'bigint')
    .addColumn('determined_by', 'text', (c) => c.notNull())
    .addColumn('determined_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('regulatory_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('incident_id', 'text', (c) => c.notNull())
    .addColumn('regime_id', 'text', (c) => c.notNull())
    .addColumn('obligation_id', 'text', (c) => c.notNull())
    .addColumn('recipient', 'text', (c) => c.notNull())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('content_sha256', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  for (const table of ['sla_pauses', 'reportability_determinations', 'regulatory_notices'])
    await db.schema
      .createIndex(`${table}_incident`)
      .on(table)
      .columns(['tenant_id', 'incident_id'])
      .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of [
    'regulatory_notices',
    'reportability_determinations',
    'clock_marks',
    'sla_pauses',
    'tenant_contracts',
  ])
    await db.schema.dropTable(table).execute();
}
