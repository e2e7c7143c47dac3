/**
 * Bulk loading for benchmarks and load tests: incidents and alerts (with their entity keys)
 * written as multi-row inserts in few transactions, through the same row mappers the
 * repositories use, so a store filled with 10,000 incidents and 100,000 alerts in seconds
 * reads back exactly like one filled by the services. It writes no journal entries: it is
 * for generated load, never for a tenant's real records.
 */
import type { Alert, Incident } from '@cordon/core';
import { sql } from 'kysely';
import type { KyselyStore } from '../kysely-store.ts';
import { alertToRow, entityRows } from '../repositories/detection/alert.repository.ts';
import { incidentToRow } from '../repositories/row-mappers.ts';

/** Rows per statement: under SQLite's 32,766 bound parameters with 20-odd columns. */
const ROWS_PER_STATEMENT = 500;
/** Statements per transaction. */
const STATEMENTS_PER_TRANSACTION = 20;

export interface BulkLoad {
  readonly incidents?: readonly Incident[];
  readonly alerts?: readonly Alert[];
}

export async function bulkLoad(
  store: KyselyStore,
  tenantId: string,
  load: BulkLoad,
): Promise<void> {
  const db = store.database.kysely;
  const incidents = (load.incidents ?? []).map((i) => ({
    ...incidentToRow(i),
    tenant_id: tenantId,
  }));
  const alerts = (load.alerts ?? []).map((a) => ({ ...alertToRow(a), tenant_id: tenantId }));
  const entities = (load.alerts ?? []).flatMap((a) =>
    entityRows(a).map((e) => ({ tenant_id: tenantId, alert_id: a.id, ...e })),
  );
  const chunks = <T>(rows: readonly T[]): T[][] => {
    const out: T[][] = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
      out.push(rows.slice(i, i + ROWS_PER_STATEMENT));
    return out;
  };
  const work = [
    ...chunks(incidents).map(
      (rows) => (trx: typeof db) => trx.insertInto('incidents').values(rows).execute(),
    ),
    ...chunks(alerts).map(
      (rows) => (trx: typeof db) => trx.insertInto('alerts').values(rows).execute(),
    ),
    ...chunks(entities).map(
      (rows) => (trx: typeof db) => trx.insertInto('alert_entities').values(rows).execute(),
    ),
  ];
  for (let i = 0; i < work.length; i += STATEMENTS_PER_TRANSACTION) {
    await db.transaction().execute(async (trx) => {
      for (const statement of work.slice(i, i + STATEMENTS_PER_TRANSACTION)) await statement(trx);
    });
  }
  // PostgreSQL plans from statistics; after a bulk load they describe empty tables until
  // autovacuum comes by, and the planner would sort whole tenants instead of reading an index.
  if (store.database.dialect === 'postgres')
    await sql`ANALYZE incidents, alerts, alert_entities`.execute(db);
}
