/** The detection tables (migration 0004-detection), as Kysely sees them. */

export interface AlertsTable {
  id: string;
  tenant_id: string;
  rule_id: string;
  rule_title: string;
  level: string;
  tags: string;
  source: string;
  dedupe_key: string;
  entities: string;
  first_seen: number;
  last_seen: number;
  count: number;
  event_ids: string;
  event_count: number;
  status: string;
  incident_id: string | null;
  suppression_id: string | null;
  closed_reason: string | null;
  /** JSON `AlertExplanation` (behavioural detectors, migration 0022); null for rules. */
  explanation: string | null;
  created_at: number;
  updated_at: number;
}

export interface AlertEntitiesTable {
  tenant_id: string;
  alert_id: string;
  kind: string;
  value: string;
}

export interface AlertSuppressionsTable {
  id: string;
  tenant_id: string;
  rule_id: string | null;
  fields: string;
  reason: string;
  expires_at: number | null;
  created_by: string;
  created_at: number;
  hits: number;
}

export interface DetectionExclusionsTable {
  id: string;
  tenant_id: string;
  rule_id: string | null;
  fields: string;
  reason: string;
  created_by: string;
  created_at: number;
}

export interface DetectionRulesTable {
  id: string;
  tenant_id: string;
  title: string;
  yaml: string;
  rule_ids: string;
  enabled: number;
  created_by: string;
  created_at: number;
  updated_at: number;
}

export interface RulePackSettingsTable {
  tenant_id: string;
  pack: string;
  enabled: number;
  reason: string;
  changed_by: string;
  changed_at: number;
}

export interface DetectionTables {
  alerts: AlertsTable;
  alert_entities: AlertEntitiesTable;
  alert_suppressions: AlertSuppressionsTable;
  detection_exclusions: DetectionExclusionsTable;
  detection_rules: DetectionRulesTable;
  rule_pack_settings: RulePackSettingsTable;
}
