/**
 * Containment as the API and the pipeline use it: enrolment tokens, the agent registry and
 * agents' reported identity changes, actions (requested by responders, approved or denied by
 * incident leads, sent by the dispatcher), offline release codes, the tenant's
 * auto-containment policy, and the listener that applies that policy to incidents raised by
 * live detection. A target names exactly one agent by the identity it enrolled with, or the
 * action is refused with the candidates. Every entry point authorises first; every change is
 * journalled.
 */
import type {
  ActionFilter,
  ActionTransitionRecord,
  AgentIdentityChange,
  AgentPage,
  AgentRecord,
  AssetRole,
  AutoContainmentTarget,
  AutoIsolationLimit,
  Clock,
  ContainmentOptionRule,
  ContainmentPolicy,
  ContainmentRule,
  NamePage,
  OptionDurations,
  EventStore,
  IdentityChangeFilter,
  Principal,
  Store,
} from '@cordon/core';
import {
  CordonError,
  DEFAULT_AUTO_ISOLATION_LIMIT,
  DEFAULT_CONTAINMENT_RULES,
  DEFAULT_OPTION_RULES,
  actorOf,
  assetIndex,
  authorize,
  autoContainmentDecision,
  containmentDecision,
  resolveAgentTarget,
} from '@cordon/core';
import { WireFormatError, parseCommandAction } from '@cordon/protocol';
import type { CommandAction } from '@cordon/protocol';
import type { RaisedIncident } from '../pipeline/contracts.ts';
import type { AgentAction } from './agent-action.ts';
import type { AgentGateway } from './agent-gateway.ts';
import { decideIdentityChange } from './agent-identity.ts';
import type { ActionQueue } from './action-queue.ts';
import type { ContainmentDispatcher } from './containment-dispatcher.ts';
import { issueEnrolmentToken } from './enrolment-tokens.ts';
import {
  AUTO_CONTAINMENT_ACTOR,
  recentAutomaticIsolations,
  triggeringProvenance,
} from './auto-containment-inputs.ts';

export interface ContainmentServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly queue: ActionQueue;
  readonly gateway: AgentGateway;
  readonly dispatcher: ContainmentDispatcher;
  /** The pinned certificate's SHA-256; made on first need (self-signed in the data dir). */
  readonly certificateSha256: () => string;
  /** Where auto-containment reads the provenance of an alert's events; none: always ask. */
  readonly events?: Pick<EventStore, 'getEvent'> | undefined;
}

export interface ActionRequestInput {
  /** Agent id, host name or address. */
  readonly host: string;
  readonly action: unknown;
  readonly incidentId?: string | undefined;
}

/** How a refused target's candidates are shown (409 `details`). */
const candidateView = (agent: AgentRecord) => ({
  agentId: agent.agentId,
  hostname: agent.identity.hostname,
  addresses: [...agent.identity.addresses.v4, ...agent.identity.addresses.v6],
});

export class ContainmentService {
  readonly #o: ContainmentServiceOptions;
  constructor(options: ContainmentServiceOptions) {
    this.#o = options;
  }

  async createEnrolmentToken(
    principal: Principal,
    tenantId: string,
    ttlMinutes = 60,
  ): Promise<{ token: string; expiresAt: number; certificateSha256: string }> {
    authorize(principal, tenantId, 'containment:approve');
    await this.#tenantExists(tenantId);
    const now = this.#o.clock.now();
    const certificateSha256 = this.#o.certificateSha256();
    const token = await issueEnrolmentToken(this.#o.store, tenantId, {
      certificateSha256,
      ttlMs: ttlMinutes * 60_000,
      now,
      createdBy: actorOf(principal),
    });
    return { token, expiresAt: now + ttlMinutes * 60_000, certificateSha256 };
  }

  async listAgents(principal: Principal, tenantId: string): Promise<AgentRecord[]> {
    authorize(principal, tenantId, 'tenant:read');
    return (await this.#agents(tenantId)).map((agent) => this.#live(agent));
  }

  /** A page of the agents; `online` counts the stored flags (as the overview does). */
  async pageAgents(principal: Principal, tenantId: string, page: NamePage): Promise<AgentPage> {
    authorize(principal, tenantId, 'tenant:read');
    const found = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.agents.page(page),
    );
    return { ...found, items: found.items.map((agent) => this.#live(agent)) };
  }

  async getAgent(principal: Principal, tenantId: string, agentId: string): Promise<AgentRecord> {
    authorize(principal, tenantId, 'tenant:read');
    const agent = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.agents.get(agentId),
    );
    if (agent === undefined) throw new CordonError('not_found', `agent ${agentId} not found`);
    return this.#live(agent);
  }

  /** Online means connected to this gateway now (a stored flag can outlive a crash). */
  #live(agent: AgentRecord): AgentRecord {
    const online = this.#o.gateway.isConnected(agent.tenantId, agent.agentId);
    return online === agent.online ? agent : { ...agent, online };
  }

  async requestAction(
    principal: Principal,
    tenantId: string,
    input: ActionRequestInput,
  ): Promise<AgentAction> {
    authorize(principal, tenantId, 'containment:run');
    let action: CommandAction;
    try {
      action = parseCommandAction(input.action);
    } catch (error) {
      if (error instanceof WireFormatError)
        throw new CordonError('invalid_input', `action: ${error.message}`, { cause: error });
      throw error;
    }
    // A key rotation is the server's own act, never a user's request (issue 13 item 3);
    // `force` overrides the agent's account safeguards and is an incident lead's call.
    if (action.kind === 'rotate-server-key')
      throw new CordonError('invalid_input', 'action: rotate-server-key is issued by the server');
    // Probes go only to documented addresses: a verification check checks them and sends it.
    if (action.kind === 'reachability-test')
      throw new CordonError(
        'invalid_input',
        'action: reachability-test is run by a verification check (…/incidents/{id}/verification/checks)',
      );
    if (action.kind === 'disable-account' && action.force === true)
      authorize(principal, tenantId, 'containment:approve');
    const agent = await this.#target(tenantId, input.host);
    if (input.incidentId !== undefined) await this.#incidentExists(tenantId, input.incidentId);
    return this.#queueAndSend(tenantId, {
      agentId: agent.agentId,
      action,
      requestedBy: actorOf(principal),
      incidentId: input.incidentId ?? null,
      requiresApproval: false,
    });
  }

  /**
   * An incident lead's approval. An action under the two-person rule needs two different
   * approvers (the queue refuses the same one twice, and the requester as the second); it is
   * sent only once the last approval is in.
   */
  async approve(principal: Principal, tenantId: string, actionId: string): Promise<AgentAction> {
    authorize(principal, tenantId, 'containment:approve');
    const current = await this.#action(tenantId, actionId);
    if (current.state !== 'requested')
      throw new CordonError(
        'conflict',
        `action ${actionId} is ${current.state}, not awaiting approval`,
      );
    const approved = await this.#o.queue.approve(tenantId, actionId, principal);
    if (approved.state !== 'approved') return approved;
    await this.#o.dispatcher.wake(tenantId, approved.agentId);
    return this.#action(tenantId, actionId);
  }

  async deny(
    principal: Principal,
    tenantId: string,
    actionId: string,
    reason: string,
  ): Promise<AgentAction> {
    authorize(principal, tenantId, 'containment:approve');
    const current = await this.#action(tenantId, actionId);
    if (current.state !== 'requested')
      throw new CordonError(
        'conflict',
        `action ${actionId} is ${current.state}, not awaiting approval`,
      );
    return this.#o.queue.transition(tenantId, actionId, 'failed', actorOf(principal), {
      detail: `denied: ${reason}`,
    });
  }

  async listActions(
    principal: Principal,
    tenantId: string,
    filter: ActionFilter,
    limit = 100,
  ): Promise<AgentAction[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#o.queue.list(tenantId, filter, limit);
  }

  async getAction(
    principal: Principal,
    tenantId: string,
    actionId: string,
  ): Promise<{ action: AgentAction; transitions: ActionTransitionRecord[] }> {
    authorize(principal, tenantId, 'tenant:read');
    const action = await this.#action(tenantId, actionId);
    return { action, transitions: await this.#o.queue.transitions(tenantId, actionId) };
  }

  /** An offline release code: shown once to the incident lead, only its id is kept. */
  async issueReleaseCode(
    principal: Principal,
    tenantId: string,
    agentId: string,
    input: { incidentId?: string | undefined; ttlMinutes?: number | undefined },
  ): Promise<{ code: string; codeId: string; expiresAt: number }> {
    authorize(principal, tenantId, 'containment:approve');
    await this.getAgent(principal, tenantId, agentId);
    if (input.incidentId !== undefined) await this.#incidentExists(tenantId, input.incidentId);
    const issued = await this.#o.gateway.issueReleaseCode(
      tenantId,
      agentId,
      (input.ttlMinutes ?? 24 * 60) * 60_000,
    );
    const actor = actorOf(principal);
    await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await scope.containment.releaseCodes.insert({
        codeId: issued.codeId,
        tenantId,
        agentId,
        incidentId: input.incidentId ?? null,
        issuedBy: actor,
        issuedAt: this.#o.clock.now(),
        expiresAt: issued.expiresAt,
      });
      await scope.journal.append({
        actor,
        kind: 'agent.release-code-issued',
        incidentId: input.incidentId ?? null,
        payload: { agentId, codeId: issued.codeId, expiresAt: issued.expiresAt },
      });
    });
    return issued;
  }

  async listIdentityChanges(
    principal: Principal,
    tenantId: string,
    filter: IdentityChangeFilter,
    limit = 100,
  ): Promise<AgentIdentityChange[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.identityChanges.list(filter, limit),
    );
  }

  /** An incident lead approves (the agent then answers to the claim) or denies a change. */
  async decideIdentityChange(
    principal: Principal,
    tenantId: string,
    changeId: string,
    input: { readonly decision: 'approved' | 'denied'; readonly reason?: string | undefined },
  ): Promise<AgentIdentityChange> {
    authorize(principal, tenantId, 'containment:approve');
    return decideIdentityChange(this.#o.store, {
      tenantId,
      changeId,
      decision: input.decision,
      actor: actorOf(principal),
      reason: input.reason ?? null,
      now: this.#o.clock.now(),
    });
  }

  async getPolicy(principal: Principal, tenantId: string): Promise<ContainmentPolicy> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#policy(tenantId);
  }

  async setPolicy(
    principal: Principal,
    tenantId: string,
    input: {
      readonly rules: readonly ContainmentRule[];
      /** Absent: the default (5 per 10 minutes). */
      readonly autoIsolationLimit?: AutoIsolationLimit | undefined;
      /** Absent: the default option rules (`DEFAULT_OPTION_RULES`). */
      readonly optionRules?: readonly ContainmentOptionRule[] | undefined;
      /** Absent: the default durations. */
      readonly optionDurations?: OptionDurations | undefined;
    },
  ): Promise<ContainmentPolicy> {
    authorize(principal, tenantId, 'containment:approve');
    const actor = actorOf(principal);
    const policy = {
      rules: input.rules,
      autoIsolationLimit: input.autoIsolationLimit ?? DEFAULT_AUTO_ISOLATION_LIMIT,
      ...(input.optionRules === undefined ? {} : { optionRules: input.optionRules }),
      ...(input.optionDurations === undefined ? {} : { optionDurations: input.optionDurations }),
    };
    await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await scope.containment.policy.set(policy, actor, this.#o.clock.now());
      await scope.journal.append({
        actor,
        kind: 'containment.policy-set',
        payload: policy,
      });
    });
    return this.#policy(tenantId);
  }

  /**
   * The auto-containment listener (`IncidentRaisedListener`): for each affected host that has an
   * agent, the policy's intent by the incident's severity and the host's role in the asset
   * inventory (a host missing there counts as a server: ask, do not act); then
   * `autoContainmentDecision` says whether it may happen without a person — only for hosts the
   * provenance of the triggering events confirms, within the tenant's rate limit — and the
   * isolation is stored, held for an incident lead with the reason otherwise. Sending is the
   * dispatcher's, not awaited here: this runs in the ingest consumer chain. One raise at a time
   * per tenant, so that two raises cannot both take the last slot of the rate limit.
   */
  readonly onIncidentRaised = (raised: RaisedIncident): Promise<AgentAction[]> => {
    const before = this.#raising.get(raised.tenantId) ?? Promise.resolve();
    const run = before.then(() => this.#containRaised(raised));
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    this.#raising.set(raised.tenantId, tail);
    void tail.then(() => {
      if (this.#raising.get(raised.tenantId) === tail) this.#raising.delete(raised.tenantId);
    });
    return run;
  };

  readonly #raising = new Map<string, Promise<void>>();

  async #containRaised(raised: RaisedIncident): Promise<AgentAction[]> {
    const { tenantId, incident } = raised;
    const policy = await this.#policy(tenantId);
    const inventory = await this.#assets(tenantId);
    const assets = assetIndex(inventory);
    const agents = await this.#agents(tenantId);
    const targets: AutoContainmentTarget[] = [];
    for (const host of raised.hosts) {
      const target = resolveAgentTarget(agents, host, inventory);
      if (target.kind === 'none') continue;
      if (target.kind !== 'agent') {
        await this.#journalRefusedTarget(tenantId, incident.id, host, target);
        continue;
      }
      const { agent } = target;
      if (targets.some((t) => t.agentId === agent.agentId)) continue;
      const asset = assets.byName(agent.identity.hostname) ?? assets.byName(host);
      const assetRole: AssetRole = asset?.kind === 'workstation' ? 'workstation' : 'server';
      const intent = containmentDecision(policy, { severity: incident.severity, assetRole });
      if (intent.kind === 'none') continue;
      const pending = await this.#o.queue.list(tenantId, {
        agentId: agent.agentId,
        incidentId: incident.id,
      });
      // One isolation in flight or in force per host and incident; after a release (reverted)
      // or a failure, new detections on the incident may isolate again.
      const live = new Set(['requested', 'approved', 'sent', 'applied']);
      if (pending.some((a) => a.action.kind === 'isolate' && live.has(a.state))) continue;
      targets.push({ host, agentId: agent.agentId, intent });
    }
    if (targets.length === 0) return [];
    const now = this.#o.clock.now();
    const { autoIsolationLimit: limit } = policy;
    const outcomes = autoContainmentDecision({
      targets,
      evidence: await triggeringProvenance(this.#o.events, tenantId, raised.eventIds),
      recentAutomaticIsolations: await recentAutomaticIsolations(this.#o.queue, tenantId, {
        since: now - limit.windowMinutes * 60_000,
        maxIsolations: limit.maxIsolations,
        now,
      }),
      limit,
      now,
    });
    const queued: AgentAction[] = [];
    for (const { target, verdict } of outcomes) {
      if (verdict.kind === 'nothing') continue;
      const action = await this.#o.queue.request({
        tenantId,
        agentId: target.agentId,
        action: { kind: 'isolate' },
        requestedBy: AUTO_CONTAINMENT_ACTOR,
        incidentId: incident.id,
        requiresApproval: verdict.kind !== 'act-now',
        detail: verdict.reason,
      });
      if (action.state === 'approved') void this.#o.dispatcher.wake(tenantId, target.agentId);
      queued.push(action);
    }
    return queued;
  }

  /** Stores the action; an approved one is sent before this returns if its agent is connected. */
  async #queueAndSend(
    tenantId: string,
    request: {
      agentId: string;
      action: CommandAction;
      requestedBy: string;
      incidentId: string | null;
      requiresApproval: boolean;
    },
  ): Promise<AgentAction> {
    const action = await this.#o.queue.request({ tenantId, ...request });
    if (action.state === 'approved') await this.#o.dispatcher.wake(tenantId, action.agentId);
    return (await this.#o.queue.get(tenantId, action.id)) ?? action;
  }

  /** The one agent `host` names, or a refusal: 404 for none, 409 with the candidates. */
  async #target(tenantId: string, host: string): Promise<AgentRecord> {
    const target = resolveAgentTarget(
      await this.#agents(tenantId),
      host,
      await this.#assets(tenantId),
    );
    switch (target.kind) {
      case 'agent':
        return target.agent;
      case 'none':
        throw new CordonError('not_found', `no enrolled agent answers to host "${host}"`);
      case 'ambiguous':
        throw new CordonError(
          'conflict',
          `"${host}" names ${target.candidates.length} agents; name one by its agent id`,
          { details: { candidates: target.candidates.map(candidateView) } },
        );
      case 'inventory-mismatch':
        throw new CordonError('conflict', `"${host}": ${target.reason}`, {
          details: {
            candidates: [candidateView(target.agent)],
            asset: {
              id: target.asset.id,
              name: target.asset.name,
              addresses: target.asset.addresses,
            },
          },
        });
    }
  }

  async #journalRefusedTarget(
    tenantId: string,
    incidentId: string,
    host: string,
    target: Exclude<ReturnType<typeof resolveAgentTarget>, { kind: 'agent' } | { kind: 'none' }>,
  ): Promise<void> {
    const candidates =
      target.kind === 'ambiguous'
        ? target.candidates.map(candidateView)
        : [candidateView(target.agent)];
    await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).journal.append({
        actor: 'policy:auto-containment',
        kind: 'containment.target-refused',
        incidentId,
        payload: {
          host,
          reason: target.kind === 'ambiguous' ? 'names several agents' : target.reason,
          candidates,
        },
      }),
    );
  }

  #agents(tenantId: string): Promise<AgentRecord[]> {
    return this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.agents.list(),
    );
  }

  #assets(tenantId: string) {
    return this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).preparation.assets.list(),
    );
  }

  /** The tenant's policy, or the default while it has not set one. */
  policy(tenantId: string): Promise<ContainmentPolicy> {
    return this.#policy(tenantId);
  }

  async #policy(tenantId: string): Promise<ContainmentPolicy> {
    const stored = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.policy.get(),
    );
    return (
      stored ?? {
        tenantId,
        rules: DEFAULT_CONTAINMENT_RULES,
        autoIsolationLimit: DEFAULT_AUTO_ISOLATION_LIMIT,
        optionRules: DEFAULT_OPTION_RULES,
        optionDurations: {},
        updatedAt: null,
        updatedBy: null,
      }
    );
  }

  async #action(tenantId: string, actionId: string): Promise<AgentAction> {
    const action = await this.#o.queue.get(tenantId, actionId);
    if (action === undefined) throw new CordonError('not_found', `action ${actionId} not found`);
    return action;
  }

  async #incidentExists(tenantId: string, incidentId: string): Promise<void> {
    const incident = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).incidents.get(incidentId),
    );
    if (incident === undefined)
      throw new CordonError('not_found', `incident ${incidentId} not found`);
  }

  async #tenantExists(tenantId: string): Promise<void> {
    const tenant = await this.#o.store.transaction(async (uow) => uow.tenants.get(tenantId));
    if (tenant === undefined) throw new CordonError('not_found', `tenant ${tenantId} not found`);
  }
}
