/**
 * Containment decisions for servers, as the API uses them: the options for an incident's
 * affected servers with their figures (`containmentOptions`, from the inventory, the business
 * functions, the agents and the tenant's containment policy), a decision on one of them with
 * its rationale — recorded with the figures as they stood, journalled, and the agent actions it
 * implies queued for approval — and the failover step a lead confirms before the isolation of
 * a failover-then-isolate decision is queued.
 *
 * The actions a decision queues always wait for an incident lead's approval; on a critical asset
 * they need two different approvers (`requiredApprovals: 2`, enforced by the action queue). The
 * decision is written (with its journal entry) before any action is queued, and every command is
 * checked against the agent protocol first, so a refused command writes nothing.
 */
import type {
  AgentRecord,
  AgentStatus,
  AssetContainmentOptions,
  Clock,
  Asset,
  AssetRelation,
  BusinessFunction,
  NetworkSegment,
  ContainmentCommand,
  ContainmentDecisionRecord,
  ContainmentOptionKind,
  ContainmentPolicy,
  Incident,
  KeepOpenRule,
  Principal,
  Store,
  TenantScope,
} from '@cordon/core';
import {
  CordonError,
  actorOf,
  affectedServers,
  authorize,
  containmentOptions,
  newId,
  optionDurations,
  peerHealth,
  resolveAgentTarget,
} from '@cordon/core';
import { WireFormatError, parseCommandAction } from '@cordon/protocol';
import type { AssetOptionsViewType, CommandAction } from '@cordon/protocol';
import type { ActionQueue } from '../agents/action-queue.ts';
import type { AgentAction } from '../agents/agent-action.ts';
import type { ContainmentService } from '../agents/containment.service.ts';
import { assetOptionsView, optionView } from './decision-views.ts';

export interface ContainmentDecisionServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly queue: ActionQueue;
  /** The agent registry with live connection state, and the tenant's policy. */
  readonly containment: Pick<ContainmentService, 'policy'>;
  readonly isConnected: (tenantId: string, agentId: string) => boolean;
}

export interface OptionsRequest {
  readonly assetId?: string | undefined;
  readonly keepOpen?: readonly KeepOpenRule[] | undefined;
}

export interface IncidentOptions {
  readonly incident: Incident;
  readonly durations: Readonly<Record<ContainmentOptionKind, number>>;
  readonly assets: readonly AssetContainmentOptions[];
  readonly skipped: readonly { entry: string; assetId: string | null; reason: string }[];
  readonly generatedAt: number;
}

export interface DecisionInput {
  readonly assetId: string;
  readonly option: ContainmentOptionKind;
  readonly rationale: string;
  readonly keepOpen?: readonly KeepOpenRule[] | undefined;
}

export interface DecisionWithActions {
  readonly decision: ContainmentDecisionRecord;
  readonly actions: readonly AgentAction[];
}

const PENDING_ISOLATION = new Set(['requested', 'approved', 'sent']);

/** Why the agent would refuse the command, in the protocol's words, or undefined. */
function commandProblem(command: ContainmentCommand): string | undefined {
  try {
    parseCommandAction(command);
    return undefined;
  } catch (error) {
    if (error instanceof WireFormatError) return `${command.kind}: ${error.message}`;
    throw error;
  }
}

export class ContainmentDecisionService {
  readonly #o: ContainmentDecisionServiceOptions;
  constructor(options: ContainmentDecisionServiceOptions) {
    this.#o = options;
  }

  async options(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    request: OptionsRequest = {},
  ): Promise<IncidentOptions> {
    authorize(principal, tenantId, 'tenant:read');
    const facts = await this.#facts(tenantId, incidentId);
    const now = this.#o.clock.now();
    const entries = affectedServers(facts.incident.affectedAssets, facts.assets, facts.relations);
    const assets: AssetContainmentOptions[] = [];
    for (const entry of entries) {
      if (entry.kind !== 'asset') continue;
      if (request.assetId !== undefined && entry.asset.id !== request.assetId) continue;
      assets.push(this.#compute(facts, entry.asset.id, request.keepOpen, now));
    }
    if (request.assetId !== undefined && assets.length === 0)
      throw new CordonError(
        'not_found',
        `asset ${request.assetId} is not an affected server of incident ${incidentId}`,
      );
    return {
      incident: facts.incident,
      durations: optionDurations(facts.policy.optionDurations),
      assets,
      skipped: entries.flatMap((e) =>
        e.kind === 'skipped'
          ? [{ entry: e.entry, assetId: e.asset?.id ?? null, reason: e.reason }]
          : [],
      ),
      generatedAt: now,
    };
  }

  async decide(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: DecisionInput,
  ): Promise<DecisionWithActions> {
    authorize(principal, tenantId, 'containment:run');
    const rationale = input.rationale.trim();
    if (rationale === '') throw new CordonError('invalid_input', 'a decision needs a rationale');
    const actor = actorOf(principal);
    const facts = await this.#facts(tenantId, incidentId);
    if (facts.incident.phase === 'closed')
      throw new CordonError('conflict', `incident ${incidentId} is closed`);
    // An id that is no asset of this tenant is not found (as another tenant's asset must be);
    // one of its own assets that the incident does not affect is a conflict.
    if (!facts.assets.some((a) => a.id === input.assetId))
      throw new CordonError('not_found', `no asset ${input.assetId}`);
    const affected = affectedServers(facts.incident.affectedAssets, facts.assets, facts.relations);
    if (!affected.some((e) => e.kind === 'asset' && e.asset.id === input.assetId))
      throw new CordonError(
        'conflict',
        `asset ${input.assetId} is not an affected server of incident ${incidentId}`,
      );
    const now = this.#o.clock.now();
    const computed = this.#compute(facts, input.assetId, input.keepOpen, now);
    const chosen = computed.options.find((o) => o.kind === input.option);
    if (chosen === undefined) throw new Error(`no option ${input.option}`);
    if (!chosen.available)
      throw new CordonError(
        'conflict',
        `${input.option} is not available for ${computed.asset.name}: ${chosen.unavailableReasons.join('; ')}`,
        { details: { unavailableReasons: [...chosen.unavailableReasons] } },
      );
    // Every command is checked before anything is written (they were when computed; this turns
    // them into the protocol's type).
    const commandsOf = (steps: typeof chosen.steps, afterFailover: boolean): CommandAction[] =>
      steps.flatMap((s) =>
        s.kind === 'agent-action' && s.afterFailover === afterFailover
          ? [parseCommandAction(s.command)]
          : [],
      );
    const immediate = commandsOf(chosen.steps, false);
    const failoverStep = chosen.steps.find((s) => s.kind === 'failover');
    const snapshot = assetOptionsView(computed);
    const figures = optionView(chosen);
    const decision: ContainmentDecisionRecord = {
      id: newId(),
      tenantId,
      incidentId,
      assetId: computed.asset.id,
      assetName: computed.asset.name,
      option: input.option,
      rationale,
      decidedBy: actor,
      decidedAt: now,
      state:
        input.option === 'watch'
          ? 'recorded'
          : failoverStep !== undefined
            ? 'awaiting-failover'
            : 'actions-queued',
      snapshot,
      commands: chosen.steps.flatMap((s) => (s.kind === 'agent-action' ? [s.openc2] : [])),
      failover:
        failoverStep === undefined
          ? null
          : {
              peerAssetId: failoverStep.peer.id,
              peerName: failoverStep.peer.name,
              state: 'pending',
              by: null,
              at: null,
              note: null,
            },
      actionIds: [],
      updatedAt: now,
    };
    await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await scope.containment.decisions.insert(decision);
      await scope.journal.append({
        actor,
        kind: 'containment.decision-recorded',
        incidentId,
        payload: {
          decisionId: decision.id,
          assetId: decision.assetId,
          assetName: decision.assetName,
          option: decision.option,
          rationale,
          state: decision.state,
          recommendation: snapshot.recommendation,
          figures,
          commands: decision.commands,
          failover: decision.failover,
        },
      });
    });
    const agentId = computed.agent?.agentId;
    const actions =
      agentId === undefined
        ? []
        : await this.#queue(decision, agentId, chosen.requiredApprovals, immediate);
    const stored = await this.#setActions(decision, decision.state, actions);
    return { decision: stored, actions };
  }

  /** An incident lead reports the failover done (the isolation is then queued) or failed. */
  async failoverOutcome(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    decisionId: string,
    input: { readonly outcome: 'confirmed' | 'failed'; readonly note?: string | undefined },
  ): Promise<DecisionWithActions> {
    authorize(principal, tenantId, 'containment:approve');
    const actor = actorOf(principal);
    const decision = await this.#decision(tenantId, incidentId, decisionId);
    if (decision.state !== 'awaiting-failover' || decision.failover === null)
      throw new CordonError(
        'conflict',
        `decision ${decisionId} is ${decision.state}, not awaiting a failover`,
      );
    const now = this.#o.clock.now();
    if (input.outcome === 'confirmed') {
      const facts = await this.#facts(tenantId, incidentId);
      const peer = facts.assets.find((a) => a.id === decision.failover?.peerAssetId);
      const health =
        peer === undefined
          ? undefined
          : peerHealth(peer, {
              affectedAssetIds: facts.affectedIds,
              agent: facts.agentOf(peer),
              now,
            });
      if (health === undefined || !health.healthy)
        throw new CordonError(
          'conflict',
          `${decision.failover.peerName} is not healthy enough to carry the load: ${health?.reasons.join('; ') ?? 'it is no longer documented'}`,
          { details: { reasons: [...(health?.reasons ?? [])] } },
        );
    }
    const next: ContainmentDecisionRecord = {
      ...decision,
      state: input.outcome === 'confirmed' ? 'actions-queued' : 'failover-failed',
      failover: {
        ...decision.failover,
        state: input.outcome,
        by: actor,
        at: now,
        note: input.note ?? null,
      },
      updatedAt: now,
    };
    const moved = await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await scope.containment.decisions.update(next, 'awaiting-failover'))) return false;
      await scope.journal.append({
        actor,
        kind:
          input.outcome === 'confirmed'
            ? 'containment.failover-confirmed'
            : 'containment.failover-failed',
        incidentId,
        payload: {
          decisionId,
          assetId: decision.assetId,
          peerAssetId: decision.failover?.peerAssetId ?? null,
          peerName: decision.failover?.peerName ?? null,
          note: input.note ?? null,
        },
      });
      return true;
    });
    if (!moved) throw new CordonError('conflict', `decision ${decisionId} changed meanwhile`);
    if (input.outcome === 'failed') return { decision: next, actions: await this.#actions(next) };
    const snapshot = decision.snapshot as AssetOptionsViewType;
    const figures = snapshot.options.find((o) => o.option === decision.option);
    const held = (figures?.steps ?? []).flatMap((s) =>
      s.kind === 'agent-action' && s.afterFailover ? [parseCommandAction(s.action)] : [],
    );
    const agentId = snapshot.agent?.agentId;
    const queued =
      agentId === undefined
        ? []
        : await this.#queue(next, agentId, figures?.requiredApprovals ?? 1, held);
    const stored = await this.#setActions(next, next.state, queued);
    return { decision: stored, actions: await this.#actions(stored) };
  }

  async list(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<DecisionWithActions[]> {
    authorize(principal, tenantId, 'tenant:read');
    const decisions = await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadIncident(scope, incidentId);
      return scope.containment.decisions.list(incidentId);
    });
    const out: DecisionWithActions[] = [];
    for (const decision of decisions)
      out.push({ decision, actions: await this.#actions(decision) });
    return out;
  }

  async get(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    decisionId: string,
  ): Promise<DecisionWithActions> {
    authorize(principal, tenantId, 'tenant:read');
    const decision = await this.#decision(tenantId, incidentId, decisionId);
    return { decision, actions: await this.#actions(decision) };
  }

  async #queue(
    decision: ContainmentDecisionRecord,
    agentId: string,
    requiredApprovals: number,
    commands: readonly CommandAction[],
  ): Promise<AgentAction[]> {
    const queued: AgentAction[] = [];
    for (const action of commands) {
      queued.push(
        await this.#o.queue.request({
          tenantId: decision.tenantId,
          agentId,
          action,
          requestedBy: decision.decidedBy,
          incidentId: decision.incidentId,
          requiresApproval: true,
          requiredApprovals,
          detail:
            `containment decision ${decision.id} (${decision.option} of ${decision.assetName}): ${decision.rationale}`.slice(
              0,
              2000,
            ),
        }),
      );
    }
    return queued;
  }

  async #setActions(
    decision: ContainmentDecisionRecord,
    state: ContainmentDecisionRecord['state'],
    actions: readonly AgentAction[],
  ): Promise<ContainmentDecisionRecord> {
    if (actions.length === 0) return decision;
    const next = {
      ...decision,
      actionIds: [...decision.actionIds, ...actions.map((a) => a.id)],
      updatedAt: this.#o.clock.now(),
    };
    await this.#o.store.transaction(async (uow) =>
      uow.forTenant(decision.tenantId).containment.decisions.update(next, state),
    );
    return next;
  }

  async #actions(decision: ContainmentDecisionRecord): Promise<AgentAction[]> {
    const out: AgentAction[] = [];
    for (const id of decision.actionIds) {
      const action = await this.#o.queue.get(decision.tenantId, id);
      if (action !== undefined) out.push(action);
    }
    return out;
  }

  async #decision(
    tenantId: string,
    incidentId: string,
    decisionId: string,
  ): Promise<ContainmentDecisionRecord> {
    const decision = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.decisions.get(decisionId),
    );
    if (decision === undefined || decision.incidentId !== incidentId)
      throw new CordonError('not_found', `decision ${decisionId} not found`);
    return decision;
  }

  #compute(
    facts: DecisionFacts,
    assetId: string,
    keepOpen: readonly KeepOpenRule[] | undefined,
    now: number,
  ): AssetContainmentOptions {
    const asset = facts.assets.find((a) => a.id === assetId);
    if (asset === undefined) throw new CordonError('not_found', `asset ${assetId} not found`);
    return containmentOptions({
      incident: facts.incident,
      asset,
      facts: {
        assets: facts.assets,
        relations: facts.relations,
        functions: facts.functions,
        segments: facts.segments,
      },
      affectedAssetIds: facts.affectedIds,
      agentOf: facts.agentOf,
      accounts: facts.accounts,
      keepOpen,
      rules: facts.policy.optionRules,
      durations: facts.policy.optionDurations,
      now,
      commandProblem,
    });
  }

  async #facts(tenantId: string, incidentId: string): Promise<DecisionFacts> {
    const policy = await this.#o.containment.policy(tenantId);
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await loadIncident(scope, incidentId);
      const p = scope.preparation;
      const assets = await p.assets.list();
      const relations = await p.relations.list();
      const agents = await scope.containment.agents.list();
      const pending = new Set<string>();
      for (const state of PENDING_ISOLATION)
        for (const a of await scope.containment.actions.list({ state: state as 'requested' }, 1000))
          if (a.action.kind === 'isolate') pending.add(a.agentId);
      const status = (agent: AgentRecord): AgentStatus => ({
        agentId: agent.agentId,
        online: this.#o.isConnected(tenantId, agent.agentId),
        lastSeenAt: agent.lastSeenAt,
        isolated: agent.facts.isolated,
        isolationPending: pending.has(agent.agentId),
      });
      const agentOf = (asset: { readonly name: string; readonly addresses: readonly string[] }) => {
        for (const host of [asset.name, ...asset.addresses]) {
          const target = resolveAgentTarget(agents, host, assets);
          if (target.kind === 'agent') return status(target.agent);
        }
        return undefined;
      };
      const entries = affectedServers(incident.affectedAssets, assets, relations);
      return {
        incident,
        policy,
        assets,
        relations,
        functions: await p.functions.list(),
        segments: await p.segments.list(),
        accounts: (await scope.observables.list(incidentId))
          .filter((o) => o.kind === 'user')
          .map((o) => o.value),
        affectedIds: new Set(entries.flatMap((e) => (e.asset === null ? [] : [e.asset.id]))),
        agentOf,
      };
    });
  }
}

interface DecisionFacts {
  readonly incident: Incident;
  readonly policy: ContainmentPolicy;
  readonly assets: readonly Asset[];
  readonly relations: readonly AssetRelation[];
  readonly functions: readonly BusinessFunction[];
  readonly segments: readonly NetworkSegment[];
  readonly accounts: readonly string[];
  readonly affectedIds: ReadonlySet<string>;
  readonly agentOf: (asset: {
    readonly name: string;
    readonly addresses: readonly string[];
  }) => AgentStatus | undefined;
}

async function loadIncident(scope: TenantScope, incidentId: string): Promise<Incident> {
  const incident = await scope.incidents.get(incidentId);
  if (incident === undefined)
    throw new CordonError('not_found', `incident ${incidentId} not found`);
  return incident;
}
