/** The contract tables (migration 0020-contracts), as Kysely sees them. */

export interface TenantContractsTable {
  tenant_id: string;
  version: number;
  /** JSON: calendar, SLA terms, regimes, custom regimes, near share, reporting profile. */
  body: string;
  updated_by: string;
  updated_at: number;
}

export interface SlaPausesTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  reason: string;
  started_by: string;
  started_at: number;
  ended_by: string | null;
  ended_at: number | null;
}

export interface ClockMarksTable {
  tenant_id: string;
  incident_id: string;
  clock: string;
  mark: string;
  at: number;
}

export interface ReportabilityDeterminationsTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  reportable: number;
  regimes: string;
  reason: string;
  awareness_at: number;
  payment_at: number | null;
  determined_by: string;
  determined_at: number;
}

export interface RegulatoryNoticesTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  regime_id: string;
  obligation_id: string;
  recipient: string;
  channel: string;
  sent_at: number;
  content: string;
  content_sha256: string;
  recorded_by: string;
  recorded_at: number;
}

export interface ContractTables {
  tenant_contracts: TenantContractsTable;
  sla_pauses: SlaPausesTable;
  clock_marks: ClockMarksTable;
  reportability_determinations: ReportabilityDeterminationsTable;
  regulatory_notices: RegulatoryNoticesTable;
}
