/**
 * Builds the containment side of the server on its store, once: the action queue, the agent
 * gateway (signing with the server key, telemetry into the sink given here), the dispatcher
 * that sends approved actions off the ingest path, the `ContainmentService`, and the gateway's
 * own HTTPS listener — agents pin its certificate, so it is not the API's listener (which may
 * sit behind a proxy or run plain HTTP locally), nor the syslog TLS listener's.
 */
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:https';
import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Clock, EventStore, EvidenceService, Store } from '@cordon/core';
import { Readable } from 'node:stream';
import type { ServerKey } from '@cordon/storage';
import { loadOrCreateTlsIdentity } from '../tls/tls-identity.ts';
import type { TlsIdentity } from '../tls/tls-identity.ts';
import type { ActionTransition } from './agent-action.ts';
import { AGENT_GATEWAY_PATH, AgentGateway } from './agent-gateway.ts';
import type { AgentGatewayOptions } from './agent-gateway.ts';
import { ActionQueue } from './action-queue.ts';
import { ContainmentDispatcher } from './containment-dispatcher.ts';
import { ContainmentService } from './containment.service.ts';
import { keepRemovedPersistence } from './persistence-evidence.ts';

/**
 * Where agent telemetry goes: the ingestion pipeline (`IngestPipeline.submitRecords`), with the
 * agent it came from (its host name as the registry holds it) for the events' provenance.
 */
export type AgentTelemetrySink = (
  tenantId: string,
  agent: { readonly agentId: string; readonly host: string | null },
  events: readonly Readonly<Record<string, unknown>>[],
) => Promise<void>;

export interface ContainmentOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly key: ServerKey;
  readonly dataDir: string;
  /** The gateway's own certificate and key; unset: self-signed `agent-gateway.*` in dataDir/tls. */
  readonly tlsCertFile?: string | undefined;
  readonly tlsKeyFile?: string | undefined;
  /** Extra names/addresses for a self-signed certificate. */
  readonly tlsHosts?: readonly string[];
  readonly telemetrySink: AgentTelemetrySink;
  readonly warn: (message: string, error?: unknown) => void;
  /** Where `collect-triage` documents and removed persistence go, with their custody record. */
  readonly evidence?: EvidenceService;
  /** Limits before an agent has authenticated (tests make them small). */
  readonly preAuth?: AgentGatewayOptions['preAuth'];
  /** Where auto-containment reads the provenance of an alert's events (none: it always asks). */
  readonly events?: Pick<EventStore, 'getEvent'>;
}

export interface Containment {
  readonly service: ContainmentService;
  readonly gateway: AgentGateway;
  readonly queue: ActionQueue;
  readonly dispatcher: ContainmentDispatcher;
  /** Listeners of every action transition, after it is stored (lab, bench, metrics). */
  readonly transitionListeners: ((transition: ActionTransition) => void)[];
  tls(): TlsIdentity;
  /** Starts the agent gateway's HTTPS listener; resolves with its wss:// URL. */
  listen(host: string, port: number): Promise<string>;
  close(): Promise<void>;
}

export function createContainment(options: ContainmentOptions): Containment {
  const { store } = options;
  let tls: TlsIdentity | undefined;
  const loadTls = (): TlsIdentity =>
    (tls ??= loadOrCreateTlsIdentity({
      name: 'agent-gateway',
      dataDir: options.dataDir,
      certFile: options.tlsCertFile,
      keyFile: options.tlsKeyFile,
      hosts: options.tlsHosts ?? [],
      configHint: '--agent-tls-cert/--agent-tls-key or CORDON_AGENT_TLS_CERT/CORDON_AGENT_TLS_KEY',
    }));
  const transitionListeners: ((transition: ActionTransition) => void)[] = [];
  const queue = new ActionQueue({
    store,
    now: () => options.clock.now(),
    onTransition: (transition) => {
      for (const listener of transitionListeners) listener(transition);
    },
  });
  let https: Server | undefined;
  const gateway = new AgentGateway({
    store,
    queue,
    serverKey: { privateKey: options.key.privateKey, publicKey: options.key.publicKey },
    now: () => options.clock.now(),
    // The host name fixed at enrolment goes with the agent into the events' provenance.
    onTelemetry: async (tenantId, agentId, events) => {
      const agent = await store.transaction(async (uow) =>
        uow.forTenant(tenantId).containment.agents.get(agentId),
      );
      await options.telemetrySink(
        tenantId,
        { agentId, host: agent?.identity.hostname ?? null },
        events,
      );
    },
    onRefused: (message, context) => options.warn(`${message} ${JSON.stringify(context)}`),
    ...(options.preAuth === undefined ? {} : { preAuth: options.preAuth }),
    onResult: async (action, result) => {
      if (options.evidence !== undefined && action.action.kind === 'remove-persistence') {
        // A failure here must not drop the agent's connection: the result is already recorded.
        await keepRemovedPersistence({ store, evidence: options.evidence, action, result }).catch(
          (error: unknown) => options.warn('keeping removed persistence as evidence failed', error),
        );
        return;
      }
      if (
        options.evidence === undefined ||
        action.action.kind !== 'collect-triage' ||
        action.state !== 'applied' ||
        result.output === undefined
      )
        return;
      const agent = await store.transaction(async (uow) =>
        uow.forTenant(action.tenantId).containment.agents.get(action.agentId),
      );
      const host = agent?.identity.hostname ?? action.agentId;
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
  const dispatcher = new ContainmentDispatcher({ queue, gateway, warn: options.warn });
  const service = new ContainmentService({
    store,
    clock: options.clock,
    queue,
    gateway,
    dispatcher,
    certificateSha256: () => loadTls().certificateSha256,
    events: options.events,
  });
  return {
    transitionListeners,
    dispatcher,
    tls: loadTls,
    queue,
    gateway,
    service,
    listen: async (host, port) => {
      const { cert, key } = loadTls();
      // This listener serves agents only: anything else is answered at once and closed, and
      // a peer gets 10 s for its TLS handshake and its request (issue 13 item 12's siblings:
      // sockets held open for as long as the peer liked).
      https = createHttpsServer(
        { cert, key, handshakeTimeout: 10_000, headersTimeout: 10_000, requestTimeout: 10_000 },
        (_request, response) => {
          response.writeHead(404, { connection: 'close', 'content-length': '0' }).end();
        },
      );
      gateway.attach(https);
      https.on('upgrade', (request: IncomingMessage, socket: Duplex) => {
        if (new URL(request.url ?? '/', 'http://x').pathname === AGENT_GATEWAY_PATH) return;
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      });
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
}
