/** Identification facts in SQL: one row per (tenant, incident, kind, key), JSON value and sources. */
import type {
  FactKind,
  FactSource,
  FactState,
  IdentificationFact,
  IdentificationFactValue,
  IdentificationRepository,
} from '@cordon/core';
import type { Selectable } from 'kysely';
import type { IncidentIdentificationFactsTable } from '../../database/identification-schema.ts';
import { TenantBound, fromJson, toJson } from '../preparation/tenant-bound.ts';

const toFact = (row: Selectable<IncidentIdentificationFactsTable>): IdentificationFact => ({
  tenantId: row.tenant_id,
  incidentId: row.incident_id,
  kind: row.kind as FactKind,
  key: row.key,
  value: fromJson<IdentificationFactValue>(row.value),
  sources: fromJson<FactSource[]>(row.sources),
  state: row.state as FactState,
  updatedAt: Number(row.updated_at),
  updatedBy: row.updated_by,
});

export class KyselyIdentificationRepository
  extends TenantBound
  implements IdentificationRepository
{
  async list(incidentId: string): Promise<IdentificationFact[]> {
    const rows = await this.db
      .selectFrom('incident_identification_facts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('kind')
      .orderBy('key')
      .execute();
    return rows.map(toFact);
  }

  async get(
    incidentId: string,
    kind: FactKind,
    key: string,
  ): Promise<IdentificationFact | undefined> {
    const row = await this.db
      .selectFrom('incident_identification_facts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .where('kind', '=', kind)
      .where('key', '=', key)
      .executeTakeFirst();
    return row && toFact(row);
  }

  async put(fact: IdentificationFact): Promise<void> {
    const values = {
      value: toJson(fact.value),
      sources: toJson(fact.sources),
      state: fact.state,
      updated_at: fact.updatedAt,
      updated_by: fact.updatedBy,
    };
    await this.db
      .insertInto('incident_identification_facts')
      .values({
        tenant_id: this.tenantId,
        incident_id: fact.incidentId,
        kind: fact.kind,
        key: fact.key,
        ...values,
      })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'incident_id', 'kind', 'key']).doUpdateSet(values),
      )
      .execute();
  }
}
