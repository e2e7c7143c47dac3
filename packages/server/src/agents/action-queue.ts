/**
 * Containment actions waiting for approval, for the agent, or for its result, in the store:
 * each transition is written with its row and its journal entry (`action.<state>`, against the
 * incident) in one transaction, and a move is compare-and-set on the state, so two writers (an
 * approval and a timeout, two gateways) cannot both move one action. Illegal transitions
 * throw: the state machine is the audit trail, so it must not be bent. `onTransition` sees
 * every transition once it is durable (the dispatcher, the lab and the bench listen there).
 * Approval may need two distinct approvers (`requiredApprovals`): the two-person rule
 * (`ruleApprovals`: an action with business impact on a critical asset) is applied here, when
 * an action is requested and again when it is approved, whoever asked for it (a decision, the
 * policy, a responder, a playbook), and it overrides a request that would not hold the action.
 * Only a principal that may approve containment (an incident lead, a platform admin) approves;
 * each approval short of the last is recorded on the action and journalled
 * (`action.approval-recorded`), and only the last moves it to approved, so nothing is dispatched
 * before both people stood behind it.
 */
import { randomUUID } from 'node:crypto';
import { CordonError, actorOf, approvalCheck, authorize, ruleApprovals } from '@cordon/core';
import type { ActionFilter, ActionTransitionRecord, Principal, Store } from '@cordon/core';
import type { CommandAction } from '@cordon/protocol';
import { canTransition } from './agent-action.ts';
import type { ActionState, ActionTransition, AgentAction } from './agent-action.ts';

export interface ActionQueueOptions {
  readonly store: Store;
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
  /** Why it was requested so (kept on the action and journalled with the request). */
  readonly detail?: string;
  /**
   * Distinct approvers needed (default 1); more than one always holds it for approval. The
   * two-person rule may raise it, never lower it.
   */
  readonly requiredApprovals?: number;
}

/** How many times a contended approval is re-read and retried before it reports a conflict. */
const APPROVAL_ATTEMPTS = 3;

export interface ActionChanges {
  readonly detail?: string;
  readonly result?: unknown;
  readonly approvedBy?: string;
  readonly commandNonce?: string;
}

export class ActionQueue {
  readonly #store: Store;
  readonly #now: () => number;
  readonly #onTransition: ActionQueueOptions['onTransition'];

  constructor(options: ActionQueueOptions) {
    this.#store = options.store;
    this.#now = options.now ?? Date.now;
    this.#onTransition = options.onTransition;
  }

  async request(input: ActionRequest): Promise<AgentAction> {
    const requiredApprovals = Math.max(
      1,
      Math.trunc(input.requiredApprovals ?? 1),
      await this.#ruleApprovals(input.tenantId, input.agentId, input.action.kind),
    );
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
      requiredApprovals,
      approvals: [],
      commandNonce: null,
      createdAt: at,
      updatedAt: at,
      detail: input.detail ?? null,
      result: null,
    };
    const transition: ActionTransitionRecord = {
      actionId: action.id,
      from: null,
      to: 'requested',
      actor: input.requestedBy,
      at,
      detail: input.detail ?? null,
    };
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(action.tenantId);
      await scope.containment.actions.insert(action);
      await scope.containment.actions.insertTransition(transition);
      await scope.journal.append(journalRecord(action, transition));
    });
    await this.#onTransition?.({ action, from: null, to: 'requested', actor: input.requestedBy });
    if (input.requiresApproval === true || action.requiredApprovals > 1) return action;
    return this.transition(action.tenantId, action.id, 'approved', input.requestedBy, {
      approvedBy: input.requestedBy,
    });
  }

  get(tenantId: string, id: string): Promise<AgentAction | undefined> {
    return this.#store.transaction(
      async (uow) =>
        (await uow.forTenant(tenantId).containment.actions.get(id)) as AgentAction | undefined,
    );
  }

  list(tenantId: string, filter: ActionFilter = {}, limit = 500): Promise<AgentAction[]> {
    return this.#store.transaction(
      async (uow) =>
        (await uow.forTenant(tenantId).containment.actions.list(filter, limit)) as AgentAction[],
    );
  }

  transitions(tenantId: string, id: string): Promise<ActionTransitionRecord[]> {
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.actions.transitions(id),
    );
  }

  async transition(
    tenantId: string,
    id: string,
    to: ActionState,
    actor: string,
    changes: ActionChanges = {},
  ): Promise<AgentAction> {
    const current = await this.get(tenantId, id);
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
      approvals:
        changes.approvedBy === undefined ||
        current.approvals.some((a) => a.by === changes.approvedBy)
          ? current.approvals
          : [...current.approvals, { by: changes.approvedBy, at }],
    };
    const transition: ActionTransitionRecord = {
      actionId: id,
      from: current.state,
      to,
      actor,
      at,
      detail: changes.detail ?? null,
    };
    const moved = await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await scope.containment.actions.update(next, current.state))) return false;
      await scope.containment.actions.insertTransition(transition);
      await scope.journal.append(journalRecord(next, transition));
      return true;
    });
    if (!moved) throw new CordonError('conflict', `action ${id} changed state meanwhile`);
    await this.#onTransition?.({ action: next, from: current.state, to, actor });
    return next;
  }

  /**
   * One approval by `approver`: refused (403) unless it may approve containment in the tenant;
   * refused (409) when the action is not awaiting approval, when the approver approved it
   * already, or when the requester would be the second of two approvers; recorded while more
   * approvers are needed; the move to approved when it is the last. The two-person rule is
   * asked again here, so an action requested before its asset was marked critical still waits
   * for a second approver.
   */
  async approve(tenantId: string, id: string, approver: Principal): Promise<AgentAction> {
    authorize(approver, tenantId, 'containment:approve');
    const actor = actorOf(approver);
    for (let attempt = 1; ; attempt++) {
      const stored = await this.get(tenantId, id);
      if (stored === undefined) throw new CordonError('not_found', `no action ${id}`);
      const required = await this.#ruleApprovals(tenantId, stored.agentId, stored.action.kind);
      const current =
        required > stored.requiredApprovals ? { ...stored, requiredApprovals: required } : stored;
      const check = approvalCheck(current, actor);
      switch (check.kind) {
        case 'refused':
          throw new CordonError('conflict', `action ${id} cannot be approved: ${check.reason}`, {
            details: {
              requiredApprovals: current.requiredApprovals,
              approvals: current.approvals.map((a) => a.by),
            },
          });
        case 'complete':
          return this.transition(tenantId, id, 'approved', actor, { approvedBy: actor });
        case 'recorded': {
          const at = this.#now();
          const next: AgentAction = {
            ...current,
            approvals: [...current.approvals, { by: actor, at }],
            updatedAt: at,
          };
          const recorded = await this.#store.transaction(async (uow) => {
            const scope = uow.forTenant(tenantId);
            if (!(await scope.containment.actions.update(next, 'requested', stored.approvals)))
              return false;
            await scope.journal.append({
              actor,
              kind: 'action.approval-recorded',
              incidentId: current.incidentId,
              payload: {
                actionId: id,
                agentId: current.agentId,
                action: current.action,
                approvals: next.approvals.map((a) => a.by),
                requiredApprovals: current.requiredApprovals,
                remaining: check.remaining,
              },
            });
            return true;
          });
          if (recorded) return next;
          if (attempt >= APPROVAL_ATTEMPTS)
            throw new CordonError('conflict', `action ${id} changed meanwhile; approve again`);
        }
      }
    }
  }

  /** What the two-person rule asks of `kind` on the agent's host, by the inventory now. */
  #ruleApprovals(tenantId: string, agentId: string, kind: string): Promise<number> {
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const agent = await scope.containment.agents.get(agentId);
      if (agent === undefined) return 1;
      return ruleApprovals(kind, agent, await scope.preparation.assets.list());
    });
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
