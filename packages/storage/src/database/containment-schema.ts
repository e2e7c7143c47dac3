/**
 * The containment tables (migrations 0005-agents, 0009-agent-identity and
 * 0011-containment-decisions), as Kysely sees them.
 */

export interface AgentsTable {
  tenant_id: string;
  agent_id: string;
  public_key: string;
  hostname: string;
  /** JSON `AgentIdentity`, fixed at enrolment (0009); null only before 0009 filled it. */
  identity: string | null;
  facts: string;
  isolated: number;
  online: number;
  enrolled_at: number;
  last_seen_at: number;
  telemetry_seq: number;
}

export interface AgentEnrolmentTokensTable {
  id: string;
  tenant_id: string;
  secret_hash: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  agent_id: string | null;
}

export interface AgentActionsTable {
  id: string;
  tenant_id: string;
  agent_id: string;
  incident_id: string | null;
  kind: string;
  action: string;
  state: string;
  requested_by: string;
  approved_by: string | null;
  /** 0011: distinct approvers needed; JSON `ActionApproval[]` given so far. */
  required_approvals: number;
  approvals: string;
  command_nonce: string | null;
  detail: string | null;
  result: string | null;
  created_at: number;
  updated_at: number;
}

export interface AgentActionTransitionsTable {
  action_id: string;
  tenant_id: string;
  seq: number;
  from_state: string | null;
  to_state: string;
  actor: string;
  at: number;
  detail: string | null;
}

export interface AgentReleaseCodesTable {
  code_id: string;
  tenant_id: string;
  agent_id: string;
  incident_id: string | null;
  issued_by: string;
  issued_at: number;
  expires_at: number;
}

export interface ContainmentPoliciesTable {
  tenant_id: string;
  rules: string;
  updated_at: number;
  updated_by: string;
  /** Null: the default limit (0008). */
  auto_isolation_max: number | null;
  auto_isolation_window_minutes: number | null;
  /** JSON `ContainmentOptionRule[]` and `OptionDurations` (0011); null: the defaults. */
  option_rules: string | null;
  option_durations: string | null;
}

export interface ContainmentDecisionsTable {
  id: string;
  tenant_id: string;
  incident_id: string;
  asset_id: string;
  asset_name: string;
  option: string;
  rationale: string;
  decided_by: string;
  decided_at: number;
  state: string;
  snapshot: string;
  commands: string;
  failover: string | null;
  action_ids: string;
  updated_at: number;
}

export interface AgentIdentityChangesTable {
  id: string;
  tenant_id: string;
  agent_id: string;
  from_identity: string;
  to_identity: string;
  state: string;
  reported_at: number;
  decided_by: string | null;
  decided_at: number | null;
  reason: string | null;
}

export interface ContainmentTables {
  agent_identity_changes: AgentIdentityChangesTable;
  agents: AgentsTable;
  agent_enrolment_tokens: AgentEnrolmentTokensTable;
  agent_actions: AgentActionsTable;
  agent_action_transitions: AgentActionTransitionsTable;
  agent_release_codes: AgentReleaseCodesTable;
  containment_policies: ContainmentPoliciesTable;
  containment_decisions: ContainmentDecisionsTable;
}
