/**
 * The gateway against a scripted agent that speaks the protocol with a real Ed25519 key: the
 * real AgentRuntime is exercised against this gateway in the lab (packages/lab/test).
 */
/* eslint-disable @typescript-eslint/no-explicit-any -- frames from the gateway are untyped JSON, checked by assertions */
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import {
  decodeBase64url,
  encodeBase64url,
  helloSigningBytes,
  signCommandResult,
  verifyCommand,
} from '@cordon/protocol';
import type { CommandResultBody, HostFacts } from '@cordon/protocol';
import {
  ActionQueue,
  AgentGateway,
  InMemoryAgentRegistry,
  InMemoryEnrolmentTokens,
  verifyEd25519Raw,
} from './index.ts';
import type { ActionTransition } from './index.ts';

const facts: HostFacts = {
  hostname: 'ws-042',
  os: { platform: 'linux', release: '6.1' },
  addresses: { v4: ['198.18.0.10'], v6: ['fd00:c0d0::a'] },
  agentVersion: '0.1.0',
  isolated: false,
};
const PIN = 'ab'.repeat(32);

class ScriptedAgent {
  readonly key = generateKeyPairSync('ed25519');
  readonly publicKey = this.key.publicKey.export({ format: 'jwk' }).x!;
  readonly inbox: any[] = [];
  socket!: WebSocket;

  async connect(url: string): Promise<void> {
    this.socket = new WebSocket(url);
    this.socket.on('message', (data) =>
      this.inbox.push(JSON.parse((data as Buffer).toString('utf8'))),
    );
    await new Promise((resolve, reject) => this.socket.once('open', resolve).once('error', reject));
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

  result(body: Omit<CommandResultBody, 'version' | 'completedAt'>) {
    return signCommandResult(
      { version: 1, completedAt: Date.now(), ...body },
      (m) => new Uint8Array(sign(null, m, this.key.privateKey)),
    );
  }
}

describe('AgentGateway', () => {
  const registry = new InMemoryAgentRegistry();
  const tokens = new InMemoryEnrolmentTokens();
  const transitions: ActionTransition[] = [];
  const queue = new ActionQueue({ onTransition: (t) => void transitions.push(t) });
  const telemetry: unknown[][] = [];
  const results: [string, unknown][] = [];
  const serverKey = generateKeyPairSync('ed25519');
  const gateway = new AgentGateway({
    registry,
    tokens,
    queue,
    serverKey,
    onTelemetry: (_tenant, _agent, events) => void telemetry.push([...events]),
    onResult: (action, body) => void results.push([action.id, body.output]),
  });
  const http = createServer();
  let url: string;
  const agent = new ScriptedAgent();
  let tenantId = '';
  let agentId = '';

  beforeAll(async () => {
    gateway.attach(http);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}/api/v1/agents/connect`;
  });
  afterAll(async () => {
    agent.socket?.terminate();
    await gateway.close();
    await new Promise((resolve) => http.close(resolve));
  });

  it('enrols with a one-time token and records the agent', async () => {
    const token = await tokens.issue('tenant-a', {
      certificateSha256: PIN,
      ttlMs: 60_000,
      now: Date.now(),
    });
    await agent.connect(url);
    await agent.next('challenge');
    agent.send({ kind: 'enrol', token, publicKey: agent.publicKey, facts });
    const enrolled = await agent.next('enrolled');
    ({ tenantId, agentId } = enrolled);
    expect(tenantId).toBe('tenant-a');
    expect(decodeBase64url(enrolled.serverPublicKey)).toHaveLength(32);
    await agent.next('welcome');
    expect(await registry.get(tenantId, agentId)).toMatchObject({
      online: true,
      publicKey: agent.publicKey,
      facts,
    });
    expect(gateway.isConnected(tenantId, agentId)).toBe(true);

    // The token is single-use.
    const second = new ScriptedAgent();
    await second.connect(url);
    await second.next('challenge');
    second.send({ kind: 'enrol', token, publicKey: second.publicKey, facts });
    expect((await second.next('error')).code).toBe('bad-token');
  });

  it('refuses a hello not signed by the enrolled key, or for another challenge', async () => {
    const impostor = new ScriptedAgent();
    await impostor.connect(url);
    const { nonce } = await impostor.next('challenge');
    const signature = encodeBase64url(
      sign(
        null,
        helloSigningBytes({ tenantId, agentId, challenge: nonce }),
        impostor.key.privateKey,
      ),
    );
    impostor.send({ kind: 'hello', tenantId, agentId, challenge: nonce, signature });
    expect((await impostor.next('error')).code).toBe('bad-hello');
    expect(gateway.isConnected(tenantId, agentId)).toBe(true);

    const replay = new ScriptedAgent();
    await replay.connect(url);
    await replay.next('challenge');
    const stale = encodeBase64url(
      sign(
        null,
        helloSigningBytes({ tenantId, agentId, challenge: 'old-challenge' }),
        agent.key.privateKey,
      ),
    );
    replay.send({ kind: 'hello', tenantId, agentId, challenge: 'old-challenge', signature: stale });
    expect((await replay.next('error')).code).toBe('bad-hello');
  });

  it('acknowledges telemetry and passes each batch on once, however often it is resent', async () => {
    agent.send({ kind: 'telemetry', seq: 1, events: [{ message: 'a' }] });
    expect((await agent.next('telemetry-ack')).seq).toBe(1);
    agent.send({ kind: 'telemetry', seq: 1, events: [{ message: 'a' }] });
    expect((await agent.next('telemetry-ack')).seq).toBe(1);
    agent.send({ kind: 'telemetry', seq: 2, events: [{ message: 'b' }] });
    expect((await agent.next('telemetry-ack')).seq).toBe(2);
    expect(telemetry).toEqual([[{ message: 'a' }], [{ message: 'b' }]]);
  });

  it('sends approved actions as commands the agent can verify, and follows their results', async () => {
    const isolate = await queue.request({
      tenantId,
      agentId,
      action: { kind: 'isolate' },
      requestedBy: 'user:lead',
      incidentId: 'inc-1',
    });
    expect(isolate.state).toBe('approved');
    expect(await gateway.dispatch(tenantId, isolate.id)).toBe(true);
    const { command } = await agent.next('command');
    const verdict = verifyCommand(command, {
      serverPublicKey: decodeBase64url(gateway.serverPublicKey)!,
      verifySignature: verifyEd25519Raw,
      tenantId,
      agentId,
      now: Date.now(),
      seenNonces: new Set(),
    });
    expect(verdict).toMatchObject({
      ok: true,
      command: { commandId: isolate.id, action: { kind: 'isolate' } },
    });
    expect((await queue.get(tenantId, isolate.id))?.state).toBe('sent');

    agent.send({
      kind: 'result',
      result: agent.result({
        tenantId,
        agentId,
        commandId: isolate.id,
        status: 'applied',
        detail: 'isolated',
      }),
    });
    expect((await agent.next('result-ack')).commandId).toBe(isolate.id);
    await expect.poll(async () => (await queue.get(tenantId, isolate.id))?.state).toBe('applied');
    expect(results.at(-1)).toEqual([isolate.id, undefined]);

    const release = await queue.request({
      tenantId,
      agentId,
      action: { kind: 'release' },
      requestedBy: 'user:lead',
      incidentId: 'inc-1',
    });
    await gateway.dispatch(tenantId, release.id);
    await agent.next('command');
    agent.send({
      kind: 'result',
      result: agent.result({
        tenantId,
        agentId,
        commandId: release.id,
        status: 'applied',
        detail: 'released',
      }),
    });
    await expect.poll(async () => (await queue.get(tenantId, isolate.id))?.state).toBe('reverted');
    expect((await queue.get(tenantId, release.id))?.state).toBe('applied');
    expect(transitions.filter((t) => t.action.id === isolate.id).map((t) => t.to)).toEqual([
      'requested',
      'approved',
      'sent',
      'applied',
      'reverted',
    ]);
  });

  it('holds actions that need approval, sends them when approved, and records rollbacks and refusals', async () => {
    const held = await queue.request({
      tenantId,
      agentId,
      action: { kind: 'isolate' },
      requestedBy: 'policy:auto',
      requiresApproval: true,
    });
    expect(held.state).toBe('requested');
    expect(await gateway.dispatch(tenantId, held.id)).toBe(false);
    await queue.transition(tenantId, held.id, 'approved', 'user:lead', { approvedBy: 'user:lead' });
    await gateway.dispatch(tenantId, held.id);
    await agent.next('command');
    agent.send({
      kind: 'result',
      result: agent.result({
        tenantId,
        agentId,
        commandId: held.id,
        status: 'rolled-back',
        detail: 'server unreachable after isolating',
      }),
    });
    await expect.poll(async () => (await queue.get(tenantId, held.id))?.state).toBe('rolled-back');
    expect((await queue.get(tenantId, held.id))?.detail).toMatch(/server unreachable/);

    const refused = await queue.request({
      tenantId,
      agentId,
      action: { kind: 'ping' },
      requestedBy: 'user:lead',
    });
    await gateway.dispatch(tenantId, refused.id);
    await agent.next('command');
    agent.send({
      kind: 'result',
      result: agent.result({
        tenantId,
        agentId,
        commandId: refused.id,
        status: 'rejected',
        rejectionReason: 'expired',
        detail: 'clock skew',
      }),
    });
    await expect.poll(async () => (await queue.get(tenantId, refused.id))?.state).toBe('failed');
    expect((await queue.get(tenantId, refused.id))?.detail).toMatch(
      /rejected by the agent: expired/,
    );
  });

  it('ignores results not signed by the agent', async () => {
    const action = await queue.request({
      tenantId,
      agentId,
      action: { kind: 'ping' },
      requestedBy: 'user:lead',
    });
    await gateway.dispatch(tenantId, action.id);
    await agent.next('command');
    const forger = new ScriptedAgent();
    agent.send({
      kind: 'result',
      result: forger.result({
        tenantId,
        agentId,
        commandId: action.id,
        status: 'applied',
        detail: 'forged',
      }),
    });
    expect((await agent.next('error')).code).toBe('bad-result');
    expect((await queue.get(tenantId, action.id))?.state).toBe('sent');
  });

  it('marks the agent offline when it disconnects and resends approved actions on reconnect', async () => {
    agent.socket.terminate();
    await expect.poll(async () => (await registry.get(tenantId, agentId))?.online).toBe(false);
    const pending = await queue.request({
      tenantId,
      agentId,
      action: { kind: 'ping' },
      requestedBy: 'user:lead',
    });
    expect(await gateway.dispatch(tenantId, pending.id)).toBe(false);
    agent.inbox.length = 0;
    await agent.connect(url);
    const { nonce } = await agent.next('challenge');
    const signature = encodeBase64url(
      sign(null, helloSigningBytes({ tenantId, agentId, challenge: nonce }), agent.key.privateKey),
    );
    agent.send({ kind: 'hello', tenantId, agentId, challenge: nonce, signature });
    await agent.next('welcome');
    const { command } = await agent.next('command');
    expect(command.body.commandId).toBe(pending.id);
    expect((await registry.get(tenantId, agentId))?.online).toBe(true);
  });
});
