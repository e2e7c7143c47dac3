/**
 * Where the action queue keeps actions and their transitions. `move` is compare-and-set on the
 * state, so two writers (an approval and a timeout, two gateways) cannot both move one action.
 * The store-backed ledger writes the action, its transition and the journal entry in one
 * transaction; the in-memory one serves tests that need no database.
 */
import type { ActionFilter, ActionState, ActionTransitionRecord, Store } from '@cordon/core';
import type { AgentAction } from './agent-action.ts';

export interface ActionLedger {
  insert(action: AgentAction, transition: ActionTransitionRecord): Promise<void>;
  move(next: AgentAction, from: ActionState, transition: ActionTransitionRecord): Promise<boolean>;
  get(tenantId: string, id: string): Promise<AgentAction | undefined>;
  list(tenantId: string, filter: ActionFilter, limit: number): Promise<AgentAction[]>;
  transitions(tenantId: string, id: string): Promise<ActionTransitionRecord[]>;
}

export class InMemoryActionLedger implements ActionLedger {
  readonly #actions = new Map<string, AgentAction>();
  readonly #transitions = new Map<string, ActionTransitionRecord[]>();

  async insert(action: AgentAction, transition: ActionTransitionRecord): Promise<void> {
    this.#actions.set(action.id, action);
    this.#transitions.set(action.id, [transition]);
  }

  async move(
    next: AgentAction,
    from: ActionState,
    transition: ActionTransitionRecord,
  ): Promise<boolean> {
    if (this.#actions.get(next.id)?.state !== from) return false;
    this.#actions.set(next.id, next);
    this.#transitions.get(next.id)?.push(transition);
    return true;
  }

  async get(tenantId: string, id: string): Promise<AgentAction | undefined> {
    const action = this.#actions.get(id);
    return action?.tenantId === tenantId ? action : undefined;
  }

  async list(tenantId: string, filter: ActionFilter, limit: number): Promise<AgentAction[]> {
    return [...this.#actions.values()]
      .filter(
        (a) =>
          a.tenantId === tenantId &&
          (filter.agentId === undefined || a.agentId === filter.agentId) &&
          (filter.incidentId === undefined || a.incidentId === filter.incidentId) &&
          (filter.state === undefined || a.state === filter.state),
      )
      .reverse()
      .slice(0, limit);
  }

  async transitions(tenantId: string, id: string): Promise<ActionTransitionRecord[]> {
    return (await this.get(tenantId, id)) === undefined
      ? []
      : [...(this.#transitions.get(id) ?? [])];
  }
}

/** Actions in the store; each transition journalled (`action.<state>`) against the incident. */
export class StoreActionLedger implements ActionLedger {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }

  async insert(action: AgentAction, transition: ActionTransitionRecord): Promise<void> {
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(action.tenantId);
      await scope.containment.actions.insert(action);
      await scope.containment.actions.insertTransition(transition);
      await scope.journal.append(journalRecord(action, transition));
    });
  }

  async move(
    next: AgentAction,
    from: ActionState,
    transition: ActionTransitionRecord,
  ): Promise<boolean> {
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(next.tenantId);
      if (!(await scope.containment.actions.update(next, from))) return false;
      await scope.containment.actions.insertTransition(transition);
      await scope.journal.append(journalRecord(next, transition));
      return true;
    });
  }

  async get(tenantId: string, id: string): Promise<AgentAction | undefined> {
    return this.#store.transaction(
      async (uow) =>
        (await uow.forTenant(tenantId).containment.actions.get(id)) as AgentAction | undefined,
    );
  }

  async list(tenantId: string, filter: ActionFilter, limit: number): Promise<AgentAction[]> {
    return this.#store.transaction(
      async (uow) =>
        (await uow.forTenant(tenantId).containment.actions.list(filter, limit)) as AgentAction[],
    );
  }

  async transitions(tenantId: string, id: string): Promise<ActionTransitionRecord[]> {
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.actions.transitions(id),
    );
  }
}

function journalRecord(action: AgentAction, transition: ActionTransitionRecord) {
  return {
    actor: transition.actor,
    kind: `action.${transition.to}`,
    incidentId: action.incidentId,
    payload: {
      actionId: action.id,
      agentId: action.agentId,
      action: action.action,
      from: transition.from,
      to: transition.to,
      ...(transition.detail === null ? {} : { detail: transition.detail }),
      ...(action.commandNonce === null ? {} : { commandNonce: action.commandNonce }),
    },
  };
}
