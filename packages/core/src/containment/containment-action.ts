/**
 * A containment action and its life: requested → approved → sent → applied | failed |
 * rolled-back, and applied → reverted when undone (isolation released, block lifted). Every
 * transition is kept with its actor and time, and journalled against the incident.
 */
export const ACTION_STATES = [
  'requested',
  'approved',
  'sent',
  'applied',
  'failed',
  'rolled-back',
  'reverted',
] as const;
export type ActionState = (typeof ACTION_STATES)[number];

export const ACTION_TRANSITIONS: Readonly<Record<ActionState, readonly ActionState[]>> = {
  requested: ['approved', 'failed'],
  approved: ['sent', 'failed'],
  sent: ['applied', 'failed', 'rolled-back'],
  applied: ['reverted'],
  failed: [],
  'rolled-back': [],
  reverted: [],
};

export function canTransition(from: ActionState, to: ActionState): boolean {
  return ACTION_TRANSITIONS[from].includes(to);
}

/** What the agent is asked to do; the protocol package owns its exact grammar. */
export interface ContainmentCommand {
  readonly kind: string;
  readonly [parameter: string]: unknown;
}

export interface ContainmentAction<C extends ContainmentCommand = ContainmentCommand> {
  readonly id: string;
  readonly tenantId: string;
  readonly agentId: string;
  readonly incidentId: string | null;
  readonly action: C;
  readonly state: ActionState;
  readonly requestedBy: string;
  /** The approver whose approval moved it to approved. */
  readonly approvedBy: string | null;
  /**
   * Distinct approvers needed before it is approved: 1, or 2 under the two-person rule (a
   * containment decision on a critical asset). Absent in a stored row: 1.
   */
  readonly requiredApprovals: number;
  /** The approvals given so far, in order; each approver once. */
  readonly approvals: readonly ActionApproval[];
  /** The nonce of the signed command, once sent. */
  readonly commandNonce: string | null;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly detail: string | null;
  /** The agent's signed result body, once it reported. */
  readonly result: unknown;
}

export interface ActionApproval {
  readonly by: string;
  /** Epoch ms. */
  readonly at: number;
}

export type ApprovalCheck =
  | { readonly kind: 'refused'; readonly reason: string }
  /** Counted; more approvers are needed. */
  | { readonly kind: 'recorded'; readonly remaining: number }
  /** The last approval needed: the action moves to approved. */
  | { readonly kind: 'complete' };

/**
 * What one more approval by `actor` does. The two-person rule: an approver counts once, and
 * when two are needed the requester may give the first approval but never the second, so two
 * different people always stand behind the action.
 */
export function approvalCheck(
  action: Pick<ContainmentAction, 'state' | 'requestedBy' | 'requiredApprovals' | 'approvals'>,
  actor: string,
): ApprovalCheck {
  if (action.state !== 'requested')
    return { kind: 'refused', reason: `it is ${action.state}, not awaiting approval` };
  if (action.approvals.some((a) => a.by === actor))
    return {
      kind: 'refused',
      reason: `${actor} has already approved it; it needs a second, different approver`,
    };
  if (action.requiredApprovals > 1 && action.approvals.length > 0 && actor === action.requestedBy)
    return {
      kind: 'refused',
      reason: `${actor} requested it and cannot be its second approver (two-person rule)`,
    };
  const remaining = action.requiredApprovals - action.approvals.length - 1;
  return remaining > 0 ? { kind: 'recorded', remaining } : { kind: 'complete' };
}

export interface ActionTransitionRecord {
  readonly actionId: string;
  readonly from: ActionState | null;
  readonly to: ActionState;
  readonly actor: string;
  /** Epoch ms. */
  readonly at: number;
  readonly detail: string | null;
}
