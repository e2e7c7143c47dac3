/**
 * For the gateway's tests: an agent that speaks the protocol with a real Ed25519 key over a
 * real WebSocket (the real AgentRuntime is exercised against the gateway in the lab), and a
 * gateway on a real store with its HTTP server.
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- frames from the gateway are untyped JSON, checked by assertions */
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { AccessService, LoginThrottle, systemClock } from '@cordon/core';
import type { Principal, Store } from '@cordon/core';
import { encodeBase64url, helloSigningBytes, signCommandResult } from '@cordon/protocol';
import type { CommandResultBody, HostFacts } from '@cordon/protocol';
import { AgentGateway } from '../src/agents/agent-gateway.ts';
import type { AgentGatewayOptions } from '../src/agents/agent-gateway.ts';
import type { ActionTransition } from '../src/agents/agent-action.ts';
import { ActionQueue } from '../src/agents/action-queue.ts';

export const PIN = 'ab'.repeat(32);
const system: Principal = { kind: 'system', name: 'test' };

export const hostFacts = (hostname: string, v4: string[], v6: string[] = []): HostFacts => ({
  hostname,
  os: { platform: 'linux', release: '6.1' },
  addresses: { v4, v6 },
  agentVersion: '0.1.0',
  isolated: false,
});

export class ScriptedAgent {
  readonly key = generateKeyPairSync('ed25519');
  readonly publicKey = this.key.publicKey.export({ format: 'jwk' }).x!;
  readonly inbox: any[] = [];
  socket!: WebSocket;
  closed: Promise<number> = Promise.resolve(0);
  tenantId = '';
  agentId = '';

  /** `wss:` URLs of a test server: its self-signed certificate is not checked here. */
  async connect(url: string): Promise<void> {
    this.socket = new WebSocket(url, url.startsWith('wss:') ? { rejectUnauthorized: false } : {});
    this.socket.on('message', (data) =>
      this.inbox.push(JSON.parse((data as Buffer).toString('utf8'))),
    );
    const socket = this.socket;
    this.closed = new Promise((resolve) => socket.once('close', (code) => resolve(code)));
    await new Promise((resolve, reject) => socket.once('open', resolve).once('error', reject));
  }

  send(frame: unknown): void {
    this.socket.send(JSON.stringify(frame));
  }

  async next(kind: string, timeoutMs = 5000): Promise<any> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const index = this.inbox.findIndex((m) => m.kind === kind);
      if (index !== -1) return this.inbox.splice(index, 1)[0];
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error(`no ${kind}; inbox: ${JSON.stringify(this.inbox)}`);
  }

  /** Connects and enrols with `token`; resolves after `welcome`. */
  async enrol(url: string, token: string, facts: HostFacts): Promise<void> {
    await this.connect(url);
    await this.next('challenge');
    this.send({ kind: 'enrol', token, publicKey: this.publicKey, facts });
    const enrolled = await this.next('enrolled');
    this.tenantId = enrolled.tenantId;
    this.agentId = enrolled.agentId;
    await this.next('welcome');
  }

  /** Connects and answers the challenge with a signed hello as (tenantId, agentId). */
  async hello(url: string, tenantId = this.tenantId, agentId = this.agentId): Promise<void> {
    await this.connect(url);
    const { nonce } = await this.next('challenge');
    const signature = encodeBase64url(
      sign(null, helloSigningBytes({ tenantId, agentId, challenge: nonce }), this.key.privateKey),
    );
    this.send({ kind: 'hello', tenantId, agentId, challenge: nonce, signature });
  }

  result(body: Omit<CommandResultBody, 'version' | 'completedAt'>) {
    return signCommandResult(
      { version: 1, completedAt: Date.now(), ...body },
      (m) => new Uint8Array(sign(null, m, this.key.privateKey)),
    );
  }
}

export interface GatewayRig {
  readonly gateway: AgentGateway;
  readonly queue: ActionQueue;
  readonly url: string;
  readonly transitions: ActionTransition[];
  readonly telemetry: [string, string, unknown[]][];
  readonly refused: string[];
  newTenant(name: string): Promise<string>;
  close(): Promise<void>;
}

export async function startGatewayRig(
  store: Store,
  options: Partial<AgentGatewayOptions> = {},
): Promise<GatewayRig> {
  const transitions: ActionTransition[] = [];
  const telemetry: [string, string, unknown[]][] = [];
  const refused: string[] = [];
  const queue = new ActionQueue({ store, onTransition: (t) => void transitions.push(t) });
  const gateway = new AgentGateway({
    store,
    queue,
    serverKey: generateKeyPairSync('ed25519'),
    onTelemetry: (tenantId, agentId, events) =>
      void telemetry.push([tenantId, agentId, [...events]]),
    onRefused: (message) => void refused.push(message),
    ...options,
  });
  const http: Server = createServer();
  gateway.attach(http);
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/api/v1/agents/connect`;
  const access = new AccessService(store, systemClock, new LoginThrottle());
  return {
    gateway,
    queue,
    url,
    transitions,
    telemetry,
    refused,
    newTenant: async (name) => (await access.createTenant(system, name)).id,
    close: async () => {
      await gateway.close();
      http.closeAllConnections();
      await new Promise((resolve) => http.close(resolve));
    },
  };
}
