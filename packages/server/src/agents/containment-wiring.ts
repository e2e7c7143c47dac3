/**
 * Builds the containment side of the server on its store: the persistent registry, action
 * queue and enrolment tokens, the agent gateway (signing with the server key), the
 * `ContainmentService`, and the gateway's own HTTPS listener — agents pin its certificate,
 * so it is not the API's listener (which may sit behind a proxy or run plain HTTP locally).
 */
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Clock, EvidenceService, Store } from '@cordon/core';
import { Readable } from 'node:stream';
import type { ServerKey } from '@cordon/storage';
import type { ActionTransition } from './agent-action.ts';
import { AGENT_GATEWAY_PATH, AgentGateway } from './agent-gateway.ts';
import { StoreAgentRegistry } from './agent-registry.ts';
import { StoreActionLedger } from './action-ledger.ts';
import { ActionQueue } from './action-queue.ts';
import { loadOrCreateAgentTls } from './agent-tls.ts';
import type { AgentTls } from './agent-tls.ts';
import { ContainmentService } from './containment.service.ts';
import { StoreEnrolmentTokens } from './enrolment-tokens.ts';

/** Where agent telemetry goes: the ingestion pipeline (`IngestPipeline.submitRecords`). */
export type AgentTelemetrySink = (
  tenantId: string,
  agentId: string,
  events: readonly Readonly<Record<string, unknown>>[],
) => Promise<void>;

export interface ContainmentOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly key: ServerKey;
  readonly dataDir: string;
  readonly tlsCertFile?: string | undefined;
  readonly tlsKeyFile?: string | undefined;
  /** Extra names/addresses for a self-signed certificate. */
  readonly tlsHosts?: readonly string[];
  readonly warn: (message: string, error?: unknown) => void;
  /** Where `collect-triage` documents go, with their custody record. */
  readonly evidence?: EvidenceService;
}

export interface Containment {
  readonly service: ContainmentService;
  readonly gateway: AgentGateway;
  readonly queue: ActionQueue;
  /** Set by the composition root once ingestion exists; until then telemetry is acknowledged and dropped. */
  telemetrySink: AgentTelemetrySink | undefined;
  /** Listeners of every action transition, after it is stored (lab, bench, metrics). */
  readonly transitionListeners: ((transition: ActionTransition) => void)[];
  tls(): AgentTls;
  /** Starts the agent gateway's HTTPS listener; resolves with its wss:// URL. */
  listen(host: string, port: number): Promise<string>;
  close(): Promise<void>;
}

export function createContainment(options: ContainmentOptions): Containment {
  const { store } = options;
  let tls: AgentTls | undefined;
  const loadTls = (): AgentTls =>
    (tls ??= loadOrCreateAgentTls({
      dataDir: options.dataDir,
      certFile: options.tlsCertFile,
      keyFile: options.tlsKeyFile,
      hosts: options.tlsHosts ?? [],
    }));
  const transitionListeners: ((transition: ActionTransition) => void)[] = [];
  const queue = new ActionQueue({
    ledger: new StoreActionLedger(store),
    now: () => options.clock.now(),
    onTransition: (transition) => {
      for (const listener of transitionListeners) listener(transition);
    },
  });
  const registry = new StoreAgentRegistry(store);
  const tokens = new StoreEnrolmentTokens(store);
  let https: Server | undefined;
  // Assigned below; the gateway's hooks only run once connections arrive.
  let sinkOwner: { telemetrySink: AgentTelemetrySink | undefined } = { telemetrySink: undefined };
  const gateway = new AgentGateway({
    registry,
    tokens,
    queue,
    serverKey: { privateKey: options.key.privateKey, publicKey: options.key.publicKey },
    now: () => options.clock.now(),
    onTelemetry: async (tenantId, agentId, events) => {
      await sinkOwner.telemetrySink?.(tenantId, agentId, events);
    },
    onEnrolled: async (tenantId, agentId, facts) => {
      await store.transaction(async (uow) =>
        uow.forTenant(tenantId).journal.append({
          actor: `agent:${agentId}`,
          kind: 'agent.enrolled',
          payload: { agentId, hostname: facts.hostname, addresses: facts.addresses },
        }),
      );
    },
    onResult: async (action, result) => {
      if (
        options.evidence === undefined ||
        action.action.kind !== 'collect-triage' ||
        action.state !== 'applied' ||
        result.output === undefined
      )
        return;
      const agent = await registry.get(action.tenantId, action.agentId);
      const host = agent?.facts.hostname ?? action.agentId;
      // A failure here must not drop the agent's connection: the result is already recorded.
      await options.evidence
        .add(
          { kind: 'system', name: 'agent-gateway' },
          action.tenantId,
          {
            filename: `triage-${host}-${new Date(result.completedAt).toISOString()}.json`,
            mediaType: 'application/json',
            description: `triage collected by the agent on ${host} (action ${action.id})`,
            incidentId: action.incidentId,
            collectedBy: `agent:${action.agentId}`,
            collectedFrom: host,
            collectedAt: result.completedAt,
            method: 'cordon agent collect-triage, result signed by the agent key',
          },
          Readable.from([Buffer.from(JSON.stringify(result))]),
        )
        .catch((error: unknown) => options.warn('storing triage as evidence failed', error));
    },
    onRejection: (tenantId, agentId, result) => {
      store
        .transaction(async (uow) =>
          uow.forTenant(tenantId).journal.append({
            actor: `agent:${agentId}`,
            kind: 'agent.command-rejected',
            payload: {
              agentId,
              commandId: result.commandId ?? null,
              reason: result.rejectionReason ?? null,
              detail: result.detail,
            },
          }),
        )
        .catch((error: unknown) => options.warn('journalling a rejected command failed', error));
    },
  });
  const service = new ContainmentService({
    store,
    clock: options.clock,
    registry,
    queue,
    gateway,
    tokens,
    certificateSha256: () => loadTls().certificateSha256,
  });
  const containment: Containment = {
    telemetrySink: undefined,
    transitionListeners,
    tls: loadTls,
    queue,
    gateway,
    service,
    listen: async (host, port) => {
      const { cert, key } = loadTls();
      https = createHttpsServer({ cert, key });
      gateway.attach(https);
      const server = https;
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen({ host, port }, () => resolve());
      });
      const address = server.address() as AddressInfo;
      const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return `wss://${shown}:${address.port}${AGENT_GATEWAY_PATH}`;
    },
    close: async () => {
      await gateway.close();
      const server = https;
      if (server !== undefined) await new Promise((resolve) => server.close(resolve));
    },
  };
  sinkOwner = containment;
  return containment;
}
