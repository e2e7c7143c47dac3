/**
 * A containment action and its life: requested → approved → sent → applied | failed |
 * rolled-back, and applied → reverted when undone (isolation released, file restored). Each
 * transition is recorded (`ActionTransition`) so the composition root can journal it against
 * the incident.
 */
import type { CommandAction } from '@cordon/protocol';

export type ActionState =
  'requested' | 'approved' | 'sent' | 'applied' | 'failed' | 'rolled-back' | 'reverted';

export const ACTION_TRANSITIONS: Readonly<Record<ActionState, readonly ActionState[]>> = {
  requested: ['approved', 'failed'],
  approved: ['sent', 'failed'],
  sent: ['applied', 'failed', 'rolled-back'],
  applied: ['reverted'],
  failed: [],
  'rolled-back': [],
  reverted: [],
};

export interface AgentAction {
  readonly id: string;
  readonly tenantId: string;
  readonly agentId: string;
  readonly incidentId: string | null;
  readonly action: CommandAction;
  readonly state: ActionState;
  readonly requestedBy: string;
  readonly approvedBy: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly detail: string | null;
  /** The agent's signed result body, once it reported. */
  readonly result: unknown;
}

export interface ActionTransition {
  readonly action: AgentAction;
  readonly from: ActionState | null;
  readonly to: ActionState;
  readonly actor: string;
}

export function canTransition(from: ActionState, to: ActionState): boolean {
  return ACTION_TRANSITIONS[from].includes(to);
}
