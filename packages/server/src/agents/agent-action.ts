/**
 * A containment action as the server handles it: the core's `ContainmentAction` with the
 * protocol's command grammar, and the transition that listeners (journal, lab, bench) see.
 */
import type { ActionState, ContainmentAction } from '@cordon/core';
import type { CommandAction } from '@cordon/protocol';

export { ACTION_TRANSITIONS, canTransition } from '@cordon/core';
export type { ActionState } from '@cordon/core';

export type AgentAction = ContainmentAction<CommandAction>;

export interface ActionTransition {
  readonly action: AgentAction;
  readonly from: ActionState | null;
  readonly to: ActionState;
  readonly actor: string;
}
