/**
 * The tables as Kysely sees them. Times are epoch milliseconds (bigint columns), booleans are
 * 0/1 integers and structured values are JSON text, so SQLite and PostgreSQL hold exactly the
 * same values and one set of repositories serves both.
 */
import type { IdentificationTables } from './identification-schema.ts';
import type { ContainmentTables } from './containment-schema.ts';
import type { EradicationTables } from './eradication-schema.ts';
import type { ContractTables } from './contract-schema.ts';
import type { PlaybookTables } from './playbook-schema.ts';
import type { DetectionTables } from './detection-schema.ts';
import type { ConsoleTables } from './console-schema.ts';
import type { RecoveryTables } from './recovery-schema.ts';
import type { NotifyTables } from './notify-schema.ts';
import type { DetectorTables } from './detector-schema.ts';
import type { IntelTables } from './intel-schema.ts';
import type { ReportTemplateTables } from './report-template-schema.ts';

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
  /** 0013-eradication: why a `waived` task was waived. */
  waiver_reason: string | null;
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
  /** Chain link (migration 0007); null on checkpoints signed before chaining. */
  number: number | null;
  entries: number | null;
  prev_checkpoint_hash: string | null;
}

export interface SegmentsTable {
  id: string;
  tenant_id: string;
  name: string;
  cidr: string;
  vlan: number | null;
  zone: string;
  gateway: string | null;
  description: string;
  created_at: number;
}

export interface AssetsTable {
  id: string;
  tenant_id: string;
  name: string;
  /** Lower-case name: names are unique per tenant regardless of case. */
  name_key: string;
  kind: string;
  addresses: string;
  mac: string | null;
  os: string | null;
  owner: string | null;
  location: string | null;
  criticality: string;
  tags: string;
  segment_id: string | null;
  redundancy_group: string | null;
  agent_installed: number;
  operational_status: string;
  last_seen_at: number | null;
  retired_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface AssetRelationsTable {
  id: string;
  tenant_id: string;
  kind: string;
  from_asset_id: string;
  to_id: string;
  created_at: number;
}

export interface BusinessFunctionsTable {
  id: string;
  tenant_id: string;
  name: string;
  description: string;
  owner: string | null;
  mtd_minutes: number;
  cost_per_hour: number;
  created_at: number;
  updated_at: number;
}

export interface BackupJobsTable {
  id: string;
  tenant_id: string;
  name: string;
  asset_id: string | null;
  system: string | null;
  rpo_minutes: number;
  rto_minutes: number;
  last_success_at: number | null;
  last_restore_test_at: number | null;
  last_restore_test_passed: number | null;
  offline_copy: number;
  immutable_copy: number;
  location: string | null;
  created_at: number;
  updated_at: number;
}

export interface PlanDocumentsTable {
  id: string;
  tenant_id: string;
  title: string;
  owner: string;
  current_version: number;
  approved_by: string | null;
  approved_at: number | null;
  last_reviewed_at: number | null;
  next_review_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface PlanVersionsTable {
  tenant_id: string;
  document_id: string;
  version: number;
  body: string;
  author: string;
  created_at: number;
}

export interface RoleAssignmentsTable {
  tenant_id: string;
  role: string;
  primary_person: string;
  backup_person: string | null;
  escalation_rank: number | null;
  updated_at: number;
}

export interface OnCallShiftsTable {
  id: string;
  tenant_id: string;
  level: string;
  /** JSON: name, phone, email, chat. */
  person: string;
  starts_at: number;
  ends_at: number;
  note: string;
  created_at: number;
}

export interface ExternalContactsTable {
  id: string;
  tenant_id: string;
  kind: string;
  name: string;
  organisation: string | null;
  phone: string | null;
  email: string | null;
  notes: string;
  created_at: number;
}

export interface ExercisesTable {
  id: string;
  tenant_id: string;
  kind: string;
  held_at: number;
  notes: string;
  created_at: number;
}

export interface ObservedHostsTable {
  id: string;
  tenant_id: string;
  hostname: string;
  ip: string;
  first_seen_at: number;
  last_seen_at: number;
  dismissed_at: number | null;
}

export interface ReadinessSnapshotsTable {
  id: string;
  tenant_id: string;
  at: number;
  score: number;
  checks: string;
}

export interface CordonDatabase
  extends
    ContainmentTables,
    DetectionTables,
    EradicationTables,
    ConsoleTables,
    RecoveryTables,
    IdentificationTables,
    PlaybookTables,
    ContractTables,
    NotifyTables,
    DetectorTables,
    IntelTables,
    ReportTemplateTables {
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
  segments: SegmentsTable;
  assets: AssetsTable;
  asset_relations: AssetRelationsTable;
  business_functions: BusinessFunctionsTable;
  backup_jobs: BackupJobsTable;
  plan_documents: PlanDocumentsTable;
  plan_versions: PlanVersionsTable;
  role_assignments: RoleAssignmentsTable;
  oncall_shifts: OnCallShiftsTable;
  external_contacts: ExternalContactsTable;
  exercises: ExercisesTable;
  observed_hosts: ObservedHostsTable;
  readiness_snapshots: ReadinessSnapshotsTable;
}
