/**
 * Containment actions waiting for approval, for the agent, or for its result, kept in an
 * `ActionLedger` (the store in the server, memory in tests). Illegal transitions throw: the
 * state machine is the audit trail, so it must not be bent. `onTransition` sees every
 * transition once it is durable (the lab and the bench listen there).
 */
import { randomUUID } from 'node:crypto';
import { CordonError } from '@cordon/core';
import type { ActionFilter, ActionTransitionRecord } from '@cordon/core';
import type { CommandAction } from '@cordon/protocol';
import { canTransition } from './agent-action.ts';
import type { ActionState, ActionTransition, AgentAction } from './agent-action.ts';
import { InMemoryActionLedger } from './action-ledger.ts';
import type { ActionLedger } from './action-ledger.ts';

export interface ActionQueueOptions {
  readonly ledger?: ActionLedger;
  readonly now?: () => number;
  readonly onTransition?: (transition: ActionTransition) => Promise<void> | void;
}

export interface ActionRequest {
  readonly tenantId: string;
  readonly agentId: string;
  readonly action: CommandAction;
  readonly requestedBy: string;
  readonly incidentId?: string | null;
  /** Held for an incident lead's approval (e.g. a server, not a workstation). */
  readonly requiresApproval?: boolean;
}

export interface ActionChanges {
  readonly detail?: string;
  readonly result?: unknown;
  readonly approvedBy?: string;
  readonly commandNonce?: string;
}

export class ActionQueue {
  readonly ledger: ActionLedger;
  readonly #now: () => number;
  readonly #onTransition: ActionQueueOptions['onTransition'];

  constructor(options: ActionQueueOptions = {}) {
    this.ledger = options.ledger ?? new InMemoryActionLedger();
    this.#now = options.now ?? Date.now;
    this.#onTransition = options.onTransition;
  }

  async request(input: ActionRequest): Promise<AgentAction> {
    const at = this.#now();
    const action: AgentAction = {
      id: randomUUID(),
      tenantId: input.tenantId,
      agentId: input.agentId,
      incidentId: input.incidentId ?? null,
      action: input.action,
      state: 'requested',
      requestedBy: input.requestedBy,
      approvedBy: null,
      commandNonce: null,
      createdAt: at,
      updatedAt: at,
      detail: null,
      result: null,
    };
    await this.ledger.insert(action, {
      actionId: action.id,
      from: null,
      to: 'requested',
      actor: input.requestedBy,
      at,
      detail: null,
    });
    await this.#onTransition?.({ action, from: null, to: 'requested', actor: input.requestedBy });
    if (input.requiresApproval === true) return action;
    return this.transition(action.tenantId, action.id, 'approved', input.requestedBy, {
      approvedBy: input.requestedBy,
    });
  }

  get(tenantId: string, id: string): Promise<AgentAction | undefined> {
    return this.ledger.get(tenantId, id);
  }

  list(tenantId: string, filter: ActionFilter = {}, limit = 500): Promise<AgentAction[]> {
    return this.ledger.list(tenantId, filter, limit);
  }

  transitions(tenantId: string, id: string): Promise<ActionTransitionRecord[]> {
    return this.ledger.transitions(tenantId, id);
  }

  async transition(
    tenantId: string,
    id: string,
    to: ActionState,
    actor: string,
    changes: ActionChanges = {},
  ): Promise<AgentAction> {
    const current = await this.ledger.get(tenantId, id);
    if (current === undefined) throw new CordonError('not_found', `no action ${id}`);
    if (!canTransition(current.state, to))
      throw new CordonError('conflict', `action ${id} cannot go from ${current.state} to ${to}`);
    const at = this.#now();
    const next: AgentAction = {
      ...current,
      state: to,
      updatedAt: at,
      ...(changes.detail === undefined ? {} : { detail: changes.detail }),
      ...(changes.result === undefined ? {} : { result: changes.result }),
      ...(changes.approvedBy === undefined ? {} : { approvedBy: changes.approvedBy }),
      ...(changes.commandNonce === undefined ? {} : { commandNonce: changes.commandNonce }),
    };
    const moved = await this.ledger.move(next, current.state, {
      actionId: id,
      from: current.state,
      to,
      actor,
      at,
      detail: changes.detail ?? null,
    });
    if (!moved) throw new CordonError('conflict', `action ${id} changed state meanwhile`);
    await this.#onTransition?.({ action: next, from: current.state, to, actor });
    return next;
  }
}
