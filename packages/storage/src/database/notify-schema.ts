/** The guarantee and notification tables (migration 0021-notify), as Kysely sees them. */

export interface GuaranteeContractsTable {
  tenant_id: string;
  version: number;
  terms: string;
  created_by: string;
  created_at: number;
}

export interface GuaranteeGapNoticesTable {
  id: string;
  tenant_id: string;
  check_id: string;
  measured: string;
  note: string;
  notified_by: string;
  notified_at: number;
}

export interface GuaranteeEntriesTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  kind: string;
  body: string;
  reverses: string | null;
  occurred_at: number;
  recorded_by: string;
  recorded_at: number;
}

export interface NotificationChannelsTable {
  id: string;
  tenant_id: string;
  kind: string;
  name: string;
  target: string | null;
  secret: string | null;
  enabled: number;
  created_by: string;
  created_at: number;
}

export interface NotificationRulesTable {
  id: string;
  tenant_id: string;
  channel_id: string;
  spec: string;
  created_by: string;
  created_at: number;
}

export interface NotificationCursorsTable {
  tenant_id: string;
  last_seq: number;
}

export interface NotificationOutboxTable {
  id: string;
  tenant_id: string;
  channel_id: string;
  rule_id: string;
  journal_seq: number;
  event: string;
  recipient: string;
  message: string;
  state: string;
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface NotifyTables {
  guarantee_contracts: GuaranteeContractsTable;
  guarantee_gap_notices: GuaranteeGapNoticesTable;
  guarantee_entries: GuaranteeEntriesTable;
  notification_channels: NotificationChannelsTable;
  notification_rules: NotificationRulesTable;
  notification_cursors: NotificationCursorsTable;
  notification_outbox: NotificationOutboxTable;
}
