/** The identification table (migration 0010-identification), as Kysely sees it. */

export interface IncidentIdentificationFactsTable {
  tenant_id: string;
  incident_id: string;
  kind: string;
  key: string;
  /** JSON `IdentificationFactValue`. */
  value: string;
  /** JSON `FactSource[]`. */
  sources: string;
  state: string;
  updated_at: number;
  updated_by: string;
}

export interface IdentificationTables {
  incident_identification_facts: IncidentIdentificationFactsTable;
}
