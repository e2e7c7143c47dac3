/** The behavioural detectors' tables (migration 0022-behave), as Kysely sees them. */

export interface DetectorStatesTable {
  tenant_id: string;
  detector: string;
  /** The detector's own snapshot, JSON. */
  state: string;
  updated_at: number;
}

export interface DetectorAllowListTable {
  tenant_id: string;
  detector: string;
  key: string;
  reason: string;
  alert_id: string | null;
  created_by: string;
  created_at: number;
}

export interface DetectorSettingsTable {
  tenant_id: string;
  detector: string;
  enabled: number;
  /** JSON `Record<string, number>`. */
  thresholds: string;
  updated_by: string;
  updated_at: number;
}

export interface DetectorTables {
  detector_states: DetectorStatesTable;
  detector_allow_list: DetectorAllowListTable;
  detector_settings: DetectorSettingsTable;
}
