/**
 * The containment part of the storage port, reached as `scope.containment` from a
 * `TenantScope`: enrolled agents, containment actions with their transitions, enrolment
 * tokens (hashes only), offline release codes issued (never the code itself), reported
 * identity changes awaiting an incident lead, and the tenant's auto-containment policy.
 */
import type {
  AgentIdentityChange,
  IdentityChangeState,
} from '../containment/agent-identity-change.ts';
import type { AgentIdentity, AgentRecord } from '../containment/agent-record.ts';
import type {
  ActionApproval,
  ActionState,
  ActionTransitionRecord,
  ContainmentAction,
} from '../containment/containment-action.ts';
import type { ContainmentPolicy } from '../containment/containment-policy.ts';
import type { BoundedPage, NamePage } from './page.ts';
import type { ContainmentDecisionRecord } from '../decisions/containment-decision.ts';

export interface ContainmentRepositories {
  readonly agents: AgentRepository;
  readonly actions: ActionRepository;
  readonly enrolmentTokens: EnrolmentTokenRepository;
  readonly releaseCodes: ReleaseCodeRepository;
  readonly policy: ContainmentPolicyRepository;
  readonly identityChanges: AgentIdentityChangeRepository;
  readonly decisions: ContainmentDecisionRepository;
}

/** Containment decisions on servers (`decisions/`), per incident. */
export interface ContainmentDecisionRepository {
  insert(decision: ContainmentDecisionRecord): Promise<void>;
  get(id: string): Promise<ContainmentDecisionRecord | undefined>;
  /** Oldest first. */
  list(incidentId: string): Promise<ContainmentDecisionRecord[]>;
  /** Writes state, failover, action ids and updatedAt if the stored state is still `expected`. */
  update(
    next: ContainmentDecisionRecord,
    expected: ContainmentDecisionRecord['state'],
  ): Promise<boolean>;
}

export interface IdentityChangeFilter {
  readonly agentId?: string;
  readonly state?: IdentityChangeState;
}

export interface AgentIdentityChangeRepository {
  insert(change: AgentIdentityChange): Promise<void>;
  get(id: string): Promise<AgentIdentityChange | undefined>;
  /** Newest first. */
  list(filter: IdentityChangeFilter, limit: number): Promise<AgentIdentityChange[]>;
  /** Moves a pending change to `next.state`; false if it was no longer pending. */
  decide(next: AgentIdentityChange): Promise<boolean>;
}

export interface AgentRepository {
  get(agentId: string): Promise<AgentRecord | undefined>;
  list(): Promise<AgentRecord[]>;
  /**
   * A page of the agents ordered by hostname (lower case) then id, with the total and how many
   * were online when last stored, each counted up to a bound.
   */
  page(page: NamePage): Promise<AgentPage>;
  /**
   * Inserts the record, or replaces all of it but its identity: an agent's identity is written
   * at enrolment and changed only by `setIdentity` (an incident lead's approval).
   */
  put(record: AgentRecord): Promise<void>;
  /** false if there is no such agent. */
  setIdentity(agentId: string, identity: AgentIdentity): Promise<boolean>;
}

export interface AgentPage extends BoundedPage<AgentRecord> {
  readonly online: number;
}

export interface ActionFilter {
  readonly agentId?: string;
  readonly incidentId?: string;
  readonly state?: ActionState;
}

export interface ActionRepository {
  insert(action: ContainmentAction): Promise<void>;
  get(id: string): Promise<ContainmentAction | undefined>;
  /** Newest first. */
  list(filter: ActionFilter, limit: number): Promise<ContainmentAction[]>;
  /**
   * Writes `next` only if the stored state is still `expected` (and, when given, the approvals
   * are still `expectedApprovals`); false if it moved meanwhile.
   */
  update(
    next: ContainmentAction,
    expected: ActionState | null,
    expectedApprovals?: readonly ActionApproval[],
  ): Promise<boolean>;
  insertTransition(transition: ActionTransitionRecord): Promise<void>;
  transitions(actionId: string): Promise<ActionTransitionRecord[]>;
}

export interface EnrolmentTokenRecord {
  readonly id: string;
  readonly tenantId: string;
  /** SHA-256 (hex) of the token's secret part. */
  readonly secretHash: string;
  readonly createdBy: string;
  readonly createdAt: number;
  readonly expiresAt: number;
  readonly usedAt: number | null;
  readonly agentId: string | null;
}

export interface EnrolmentTokenRepository {
  insert(token: EnrolmentTokenRecord): Promise<void>;
  list(): Promise<EnrolmentTokenRecord[]>;
}

/**
 * Consuming happens before the tenant is known (the agent presents only the token), so it is
 * platform-level, like API token lookup.
 */
export interface EnrolmentTokenConsumer {
  /** Marks the unused, unexpired token used; returns its tenant, or undefined. Atomic. */
  consume(secretHash: string, now: number): Promise<{ tenantId: string; id: string } | undefined>;
  /** Records which agent the token enrolled. */
  recordAgent(id: string, agentId: string): Promise<void>;
}

export interface ReleaseCodeRecord {
  readonly codeId: string;
  readonly tenantId: string;
  readonly agentId: string;
  readonly incidentId: string | null;
  readonly issuedBy: string;
  readonly issuedAt: number;
  readonly expiresAt: number;
}

export interface ReleaseCodeRepository {
  insert(code: ReleaseCodeRecord): Promise<void>;
  list(agentId?: string): Promise<ReleaseCodeRecord[]>;
}

export interface ContainmentPolicyRepository {
  /** undefined while the tenant has not set one (the default applies). */
  get(): Promise<ContainmentPolicy | undefined>;
  set(
    policy: Pick<ContainmentPolicy, 'rules' | 'autoIsolationLimit'> &
      Partial<Pick<ContainmentPolicy, 'optionRules' | 'optionDurations'>>,
    by: string,
    at: number,
  ): Promise<void>;
}
