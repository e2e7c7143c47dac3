/** The recovery, verification and closure tables (migration 0014-recovery), as Kysely sees them. */

export interface ChangeRecordsTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  area: string;
  title: string;
  description: string;
  reason: string;
  changed_by: string;
  changed_at: number;
  finding: string;
  mitigation_id: string | null;
  recorded_by: string;
  created_at: number;
}

export interface RestoresTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  task_id: string;
  backup_job_id: string;
  restore_point_at: number | null;
  restore_point_label: string | null;
  status: string;
  detail: string | null;
  requested_by: string;
  completed_by: string | null;
  created_at: number;
  completed_at: number | null;
}

export interface ContainmentReleasesTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  checklist: string;
  override_justification: string | null;
  action_ids: string;
  released_by: string;
  created_at: number;
}

export interface VerificationChecksTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  title: string;
  kind: string;
  spec: string;
  reopens: string;
  interval_minutes: number | null;
  until_at: number | null;
  next_run_at: number | null;
  last_status: string | null;
  created_by: string;
  created_at: number;
}

export interface VerificationRunsTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  check_id: string;
  status: string;
  actor: string;
  started_at: number;
  finished_at: number | null;
  window_from: number | null;
  window_to: number | null;
  findings: string;
  reason: string | null;
  action_id: string | null;
}

export interface ClosingReviewsTable {
  tenant_id: string;
  incident_id: string;
  what_happened: string;
  what_worked: string;
  what_to_change: string;
  follow_ups: string;
  author: string;
  created_at: number;
  updated_at: number;
}

export interface RecoveryTables {
  change_records: ChangeRecordsTable;
  restores: RestoresTable;
  containment_releases: ContainmentReleasesTable;
  verification_checks: VerificationChecksTable;
  verification_runs: VerificationRunsTable;
  closing_reviews: ClosingReviewsTable;
}
