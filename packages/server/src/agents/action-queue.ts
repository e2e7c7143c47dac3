/**
 * Containment actions waiting for approval, for the agent, or for its result. In memory; every
 * transition goes to `onTransition` (journal it there). Illegal transitions throw: the state
 * machine is the audit trail, so it must not be bent.
 */
import { randomUUID } from 'node:crypto';
import type { CommandAction } from '@cordon/protocol';
import { canTransition } from './agent-action.ts';
import type { ActionState, ActionTransition, AgentAction } from './agent-action.ts';

export interface ActionQueueOptions {
  readonly now?: () => Date;
  readonly onTransition?: (transition: ActionTransition) => Promise<void> | void;
}

export class ActionQueue {
  readonly #actions = new Map<string, AgentAction>();
  readonly #now: () => Date;
  readonly #onTransition: ActionQueueOptions['onTransition'];

  constructor(options: ActionQueueOptions = {}) {
    this.#now = options.now ?? (() => new Date());
    this.#onTransition = options.onTransition;
  }

  async request(input: {
    tenantId: string;
    agentId: string;
    action: CommandAction;
    requestedBy: string;
    incidentId?: string | null;
    /** Policy said approval is needed (e.g. a server, not a workstation). */
    requiresApproval?: boolean;
  }): Promise<AgentAction> {
    const at = this.#now().toISOString();
    const action: AgentAction = {
      id: randomUUID(),
      tenantId: input.tenantId,
      agentId: input.agentId,
      incidentId: input.incidentId ?? null,
      action: input.action,
      state: 'requested',
      requestedBy: input.requestedBy,
      approvedBy: null,
      createdAt: at,
      updatedAt: at,
      detail: null,
      result: null,
    };
    this.#actions.set(action.id, action);
    await this.#onTransition?.({ action, from: null, to: 'requested', actor: input.requestedBy });
    if (input.requiresApproval !== true)
      return this.transition(action.id, 'approved', input.requestedBy, {
        approvedBy: input.requestedBy,
      });
    return action;
  }

  get(id: string): AgentAction | undefined {
    return this.#actions.get(id);
  }

  list(filter: { tenantId: string; agentId?: string; state?: ActionState }): AgentAction[] {
    return [...this.#actions.values()].filter(
      (action) =>
        action.tenantId === filter.tenantId &&
        (filter.agentId === undefined || action.agentId === filter.agentId) &&
        (filter.state === undefined || action.state === filter.state),
    );
  }

  async transition(
    id: string,
    to: ActionState,
    actor: string,
    changes: { detail?: string; result?: unknown; approvedBy?: string } = {},
  ): Promise<AgentAction> {
    const current = this.#actions.get(id);
    if (current === undefined) throw new Error(`no action ${id}`);
    if (!canTransition(current.state, to))
      throw new Error(`action ${id} cannot go from ${current.state} to ${to}`);
    const next: AgentAction = {
      ...current,
      state: to,
      updatedAt: this.#now().toISOString(),
      ...(changes.detail === undefined ? {} : { detail: changes.detail }),
      ...(changes.result === undefined ? {} : { result: changes.result }),
      ...(changes.approvedBy === undefined ? {} : { approvedBy: changes.approvedBy }),
    };
    this.#actions.set(id, next);
    await this.#onTransition?.({ action: next, from: current.state, to, actor });
    return next;
  }
}
