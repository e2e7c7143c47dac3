/**
 * The tables as Kysely sees them. Times are epoch milliseconds (bigint columns), booleans are
 * 0/1 integers and structured values are JSON text, so SQLite and PostgreSQL hold exactly the
 * same values and one set of repositories serves both.
 */

export interface TenantsTable {
  id: string;
  name: string;
  created_at: number;
}

export interface UsersTable {
  id: string;
  email: string;
  display_name: string;
  password_hash: string;
  platform_admin: number;
  disabled: number;
  created_at: number;
}

export interface MembershipsTable {
  user_id: string;
  tenant_id: string;
  role: string;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  address: string;
}

export interface ApiTokensTable {
  id: string;
  tenant_id: string;
  role: string;
  name: string;
  token_hash: string;
  created_by: string;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface IncidentsTable {
  id: string;
  tenant_id: string;
  number: number;
  title: string;
  summary: string;
  severity: string;
  phase: string;
  assignee_user_id: string | null;
  affected_assets: string;
  attack_techniques: string;
  origins: string;
  containment_note: string | null;
  root_cause: string | null;
  scope: string | null;
  lessons_learned: string | null;
  closure_reason: string | null;
  duplicate_of: string | null;
  first_activity_at: number | null;
  phase_times: string;
  acknowledged_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface IncidentNotesTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  author: string;
  body: string;
  created_at: number;
}

export interface ObservablesTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  kind: string;
  value: string;
  first_seen: number;
  last_seen: number;
  note: string | null;
}

export interface AlertLinksTable {
  tenant_id: string;
  incident_id: string;
  alert_id: string;
  linked_at: number;
  linked_by: string;
}

export interface IncidentTasksTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  phase: string;
  title: string;
  status: string;
  created_at: number;
  completed_at: number | null;
  completed_by: string | null;
}

export interface PhaseTransitionsTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  from_phase: string;
  to_phase: string;
  at: number;
  actor: string;
  override_justification: string | null;
  unmet_conditions: string;
}

export interface EvidenceTable {
  id: string;
  tenant_id: string;
  incident_id: string | null;
  sha256: string;
  size: number;
  filename: string;
  media_type: string;
  description: string;
  collected_by: string;
  collected_from: string;
  collected_at: number;
  method: string;
  uploaded_by: string;
  created_at: number;
}

export interface JournalEntriesTable {
  tenant_id: string;
  seq: number;
  at: number;
  actor: string;
  kind: string;
  incident_id: string | null;
  payload: string;
  prev_hash: string;
  hash: string;
}

export interface JournalCheckpointsTable {
  tenant_id: string;
  seq: number;
  hash: string;
  at: number;
  key_id: string;
  signature: string;
}

export interface CordonDatabase {
  tenants: TenantsTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  incidents: IncidentsTable;
  incident_notes: IncidentNotesTable;
  observables: ObservablesTable;
  alert_links: AlertLinksTable;
  incident_tasks: IncidentTasksTable;
  phase_transitions: PhaseTransitionsTable;
  evidence: EvidenceTable;
  journal_entries: JournalEntriesTable;
  journal_checkpoints: JournalCheckpointsTable;
}
