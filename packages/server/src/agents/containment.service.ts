/**
 * Containment as the API and the pipeline use it: enrolment tokens, the agent registry,
 * actions (requested by responders, approved or denied by incident leads, sent by the
 * gateway), offline release codes, the tenant's auto-containment policy, and the listener that
 * applies that policy to incidents raised by live detection. Every entry point authorises
 * first; every change is journalled.
 */
import type {
  ActionFilter,
  ActionTransitionRecord,
  AgentRecord,
  AssetRole,
  Clock,
  ContainmentPolicy,
  ContainmentRule,
  Principal,
  Store,
} from '@cordon/core';
import {
  CordonError,
  DEFAULT_CONTAINMENT_RULES,
  actorOf,
  assetIndex,
  authorize,
  containmentDecision,
} from '@cordon/core';
import { WireFormatError, parseCommandAction } from '@cordon/protocol';
import type { CommandAction } from '@cordon/protocol';
import type { RaisedIncident } from '../pipeline/contracts.ts';
import type { AgentAction } from './agent-action.ts';
import type { AgentGateway } from './agent-gateway.ts';
import type { AgentRegistry } from './agent-registry.ts';
import type { ActionQueue } from './action-queue.ts';
import type { EnrolmentTokenStore } from './enrolment-tokens.ts';

export interface ContainmentServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly registry: AgentRegistry;
  readonly queue: ActionQueue;
  readonly gateway: AgentGateway;
  readonly tokens: EnrolmentTokenStore;
  /** The pinned certificate's SHA-256; made on first need (self-signed in the data dir). */
  readonly certificateSha256: () => string;
}

export interface ActionRequestInput {
  /** Agent id, host name or address. */
  readonly host: string;
  readonly action: unknown;
  readonly incidentId?: string | undefined;
}

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
    const token = await this.#o.tokens.issue(tenantId, {
      certificateSha256,
      ttlMs: ttlMinutes * 60_000,
      now,
      createdBy: actorOf(principal),
    });
    return { token, expiresAt: now + ttlMinutes * 60_000, certificateSha256 };
  }

  async listAgents(principal: Principal, tenantId: string): Promise<AgentRecord[]> {
    authorize(principal, tenantId, 'tenant:read');
    return (await this.#o.registry.list(tenantId)).map((agent) => this.#live(agent));
  }

  async getAgent(principal: Principal, tenantId: string, agentId: string): Promise<AgentRecord> {
    authorize(principal, tenantId, 'tenant:read');
    const agent = await this.#o.registry.get(tenantId, agentId);
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
    if (action.kind === 'disable-account' && action.force === true)
      authorize(principal, tenantId, 'containment:approve');
    const agent = await this.#o.registry.findByHost(tenantId, input.host);
    if (agent === undefined)
      throw new CordonError('not_found', `no enrolled agent answers to host "${input.host}"`);
    if (input.incidentId !== undefined) await this.#incidentExists(tenantId, input.incidentId);
    return this.#queueAndSend(tenantId, {
      agentId: agent.agentId,
      action,
      requestedBy: actorOf(principal),
      incidentId: input.incidentId ?? null,
      requiresApproval: false,
    });
  }

  async approve(principal: Principal, tenantId: string, actionId: string): Promise<AgentAction> {
    authorize(principal, tenantId, 'containment:approve');
    const actor = actorOf(principal);
    const current = await this.#action(tenantId, actionId);
    if (current.state !== 'requested')
      throw new CordonError(
        'conflict',
        `action ${actionId} is ${current.state}, not awaiting approval`,
      );
    await this.#o.queue.transition(tenantId, actionId, 'approved', actor, { approvedBy: actor });
    await this.#o.gateway.dispatch(tenantId, actionId);
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

  async getPolicy(principal: Principal, tenantId: string): Promise<ContainmentPolicy> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#policy(tenantId);
  }

  async setPolicy(
    principal: Principal,
    tenantId: string,
    rules: readonly ContainmentRule[],
  ): Promise<ContainmentPolicy> {
    authorize(principal, tenantId, 'containment:approve');
    const actor = actorOf(principal);
    await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await scope.containment.policy.set(rules, actor, this.#o.clock.now());
      await scope.journal.append({
        actor,
        kind: 'containment.policy-set',
        payload: { rules },
      });
    });
    return this.#policy(tenantId);
  }

  /**
   * The auto-containment listener (`IncidentRaisedListener`): for each affected host that has an
   * agent, decide by the tenant's policy and the host's role in the asset inventory (a host
   * missing there counts as a server: ask, do not act) and queue the isolation.
   */
  readonly onIncidentRaised = async (raised: RaisedIncident): Promise<AgentAction[]> => {
    const { tenantId, incident } = raised;
    const policy = await this.#policy(tenantId);
    const assets = assetIndex(
      await this.#o.store.transaction(async (uow) =>
        uow.forTenant(tenantId).preparation.assets.list(),
      ),
    );
    const queued: AgentAction[] = [];
    for (const host of raised.hosts) {
      const agent = await this.#o.registry.findByHost(tenantId, host);
      if (agent === undefined) continue;
      const asset = assets.byName(agent.facts.hostname) ?? assets.byName(host);
      const assetRole: AssetRole = asset?.kind === 'workstation' ? 'workstation' : 'server';
      const decision = containmentDecision(policy, { severity: incident.severity, assetRole });
      if (decision.kind === 'none') continue;
      const pending = await this.#o.queue.list(tenantId, {
        agentId: agent.agentId,
        incidentId: incident.id,
      });
      // One isolation in flight or in force per host and incident; after a release (reverted)
      // or a failure, new detections on the incident may isolate again.
      const live = new Set(['requested', 'approved', 'sent', 'applied']);
      if (pending.some((a) => a.action.kind === 'isolate' && live.has(a.state))) continue;
      queued.push(
        await this.#queueAndSend(tenantId, {
          agentId: agent.agentId,
          action: { kind: 'isolate' },
          requestedBy: 'policy:auto-containment',
          incidentId: incident.id,
          requiresApproval: decision.kind === 'request-approval',
        }),
      );
    }
    return queued;
  };

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
    if (action.state === 'approved') await this.#o.gateway.dispatch(tenantId, action.id);
    return (await this.#o.queue.get(tenantId, action.id)) ?? action;
  }

  async #policy(tenantId: string): Promise<ContainmentPolicy> {
    const stored = await this.#o.store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.policy.get(),
    );
    return (
      stored ?? { tenantId, rules: DEFAULT_CONTAINMENT_RULES, updatedAt: null, updatedBy: null }
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
