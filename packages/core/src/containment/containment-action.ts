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
  readonly approvedBy: string | null;
  /** The nonce of the signed command, once sent. */
  readonly commandNonce: string | null;
  /** Epoch ms. */
  readonly createdAt: number;
  readonly updatedAt: number;
  readonly detail: string | null;
  /** The agent's signed result body, once it reported. */
  readonly result: unknown;
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
