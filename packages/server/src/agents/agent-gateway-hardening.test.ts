/**
 * The gateway as an attacker meets it (issue 13), on a real store and real sockets: what a peer
 * may send before it has authenticated (item 12), that a heartbeat cannot move an agent's
 * identity (item 7), that `enrolled` answers only an `enrol` (item 3, server side), the sizes of
 * what an agent sends (item 6), and that an agent of one tenant reaches nothing of another's.
 */
import { DIALECTS, dialectAvailable, openTestStore } from '@cordon/storage/testing';
import type { TestStore } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { issueEnrolmentToken } from './index.ts';
import { PIN, ScriptedAgent, hostFacts, startGatewayRig } from '../../test/gateway-test-kit.ts';
import type { GatewayRig } from '../../test/gateway-test-kit.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`AgentGateway hardening on ${dialect}`, () => {
    let t: TestStore;
    let rig: GatewayRig;
    let a = '';
    let b = '';
    const token = (tenantId: string) =>
      issueEnrolmentToken(t.store, tenantId, {
        certificateSha256: PIN,
        ttlMs: 60_000,
        now: Date.now(),
      });
    const agentOf = (tenantId: string, agentId: string) =>
      t.store.transaction(async (uow) => uow.forTenant(tenantId).containment.agents.get(agentId));
    const journalKinds = async (tenantId: string) =>
      (await t.store.transaction(async (uow) => uow.forTenant(tenantId).journal.list({}, 500))).map(
        (entry) => entry.kind,
      );

    beforeAll(async () => {
      t = await openTestStore(dialect);
      rig = await startGatewayRig(t.store, {
        preAuth: { maxBytes: 16 * 1024, timeoutMs: 1500, maxPendingPerAddress: 3 },
      });
      a = await rig.newTenant('A');
      b = await rig.newTenant('B');
    });
    afterAll(async () => {
      await rig.close();
      await t.dispose();
    });

    // issue 13 item 12: a 9 MB frame was read and parsed before the peer had authenticated.
    it('cuts a peer that sends more than the pre-auth budget, without parsing it', async () => {
      const peer = new ScriptedAgent();
      await peer.connect(rig.url);
      await peer.next('challenge');
      peer.send({ kind: 'enrol', token: 'x'.repeat(1024 * 1024), publicKey: 'y', facts: {} });
      // Cut at the socket (1006), not refused after decoding ('bad-frame' then 1000).
      expect(await peer.closed).toBe(1006);
      expect(peer.inbox.filter((m) => m.kind === 'error')).toEqual([]);
    });

    it('refuses a second frame before welcome, and a peer that does not authenticate in time', async () => {
      // A store that answers slowly, so the first frame is still being handled when the
      // second arrives.
      const slowStore = new Proxy(t.store, {
        get(target, property) {
          const value: unknown = Reflect.get(target, property, target);
          if (property !== 'transaction' || typeof value !== 'function') return value;
          return async (work: Parameters<typeof target.transaction>[0]) => {
            await new Promise((resolve) => setTimeout(resolve, 300));
            return target.transaction(work);
          };
        },
      });
      const slow = await startGatewayRig(slowStore);
      try {
        const eager = new ScriptedAgent();
        await eager.connect(slow.url);
        const { nonce } = await eager.next('challenge');
        const hello = {
          kind: 'hello',
          tenantId: a,
          agentId: 'agent-0000000000000000',
          challenge: nonce,
          signature: 'AA',
        };
        eager.send(hello);
        eager.send(hello);
        expect((await eager.next('error')).code).toBe('not-authenticated');
        await eager.closed;
      } finally {
        await slow.close();
      }

      const idle = new ScriptedAgent();
      await idle.connect(rig.url);
      const started = Date.now();
      await idle.closed;
      expect(Date.now() - started).toBeLessThan(5000);
    });

    it('answers 503 beyond the unauthenticated connections allowed from one address', async () => {
      const waiting = await Promise.all(
        [1, 2, 3].map(async () => {
          const peer = new ScriptedAgent();
          await peer.connect(rig.url);
          return peer;
        }),
      );
      const refused = await new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(rig.url);
        socket.once('unexpected-response', (_request, response) =>
          resolve(response.statusCode ?? 0),
        );
        socket.once('open', () => reject(new Error('a fourth unauthenticated peer was let in')));
        socket.once('error', () => undefined);
      });
      expect(refused).toBe(503);
      for (const peer of waiting) peer.socket.terminate();
      await expect.poll(() => rig.gateway.unauthenticatedConnections).toBe(0);
    });

    it('lifts the budget once the agent has authenticated', async () => {
      const agent = new ScriptedAgent();
      await agent.enrol(rig.url, await token(a), hostFacts('ws-big', ['198.18.0.20']));
      const events = Array.from({ length: 40 }, (_, i) => ({
        message: `${i} ${'z'.repeat(30_000)}`,
      }));
      agent.send({ kind: 'telemetry', seq: 1, events });
      expect((await agent.next('telemetry-ack')).seq).toBe(1);
      expect(rig.telemetry.at(-1)?.[2]).toHaveLength(40);
      agent.socket.terminate();
    });

    // issue 13 item 6: an event of any size went into the pipeline as one record.
    it('drops telemetry events over the size limit and keeps the rest of the batch', async () => {
      const agent = new ScriptedAgent();
      await agent.enrol(rig.url, await token(a), hostFacts('ws-events', ['198.18.0.21']));
      agent.send({
        kind: 'telemetry',
        seq: 1,
        events: [{ message: 'small' }, { message: 'q'.repeat(200 * 1024) }],
      });
      expect((await agent.next('telemetry-ack')).seq).toBe(1);
      expect(rig.telemetry.at(-1)?.[2]).toEqual([{ message: 'small' }]);
      expect(rig.refused.at(-1)).toMatch(/size limit/);
      agent.socket.terminate();
    });

    it('refuses host names that are not names', async () => {
      const agent = new ScriptedAgent();
      await agent.connect(rig.url);
      await agent.next('challenge');
      agent.send({
        kind: 'enrol',
        token: await token(a),
        publicKey: agent.publicKey,
        facts: hostFacts('ws-1 ; dc-01', ['198.18.0.22']),
      });
      expect((await agent.next('error')).code).toBe('bad-facts');
    });

    // issue 13 item 3 (server side): the gateway must send `enrolled` only to answer `enrol`.
    it('never sends enrolled to an authenticated agent, not even when it sends an enrol', async () => {
      const agent = new ScriptedAgent();
      await agent.enrol(rig.url, await token(a), hostFacts('ws-enrol', ['198.18.0.23']));
      agent.socket.terminate();
      await agent.hello(rig.url);
      await agent.next('welcome');
      const spare = await token(a);
      agent.send({
        kind: 'enrol',
        token: spare,
        publicKey: agent.publicKey,
        facts: hostFacts('x', []),
      });
      expect((await agent.next('error')).code).toBe('already-authenticated');
      expect(agent.inbox.some((m) => m.kind === 'enrolled')).toBe(false);
      // The token was not spent on it either.
      const other = new ScriptedAgent();
      await other.enrol(rig.url, spare, hostFacts('ws-spare', ['198.18.0.24']));
      agent.socket.terminate();
      other.socket.terminate();
    });

    // issue 13 item 7: an agent that reported another host's name and address in its
    // heartbeat was then targeted as that host.
    it('files a heartbeat naming another host as a pending identity change, and keeps the identity', async () => {
      const agent = new ScriptedAgent();
      await agent.enrol(rig.url, await token(a), hostFacts('ws-7', ['198.18.0.7']));
      const claim = hostFacts('dc-01', ['10.0.0.1']);
      agent.send({ kind: 'heartbeat', sentAt: Date.now(), facts: claim });
      agent.send({ kind: 'heartbeat', sentAt: Date.now(), facts: claim });
      await expect
        .poll(async () => (await agentOf(a, agent.agentId))?.facts.hostname)
        .toBe('dc-01');
      const record = await agentOf(a, agent.agentId);
      expect(record?.identity).toEqual({
        hostname: 'ws-7',
        addresses: { v4: ['198.18.0.7'], v6: [] },
      });
      const changes = await t.store.transaction(async (uow) =>
        uow.forTenant(a).containment.identityChanges.list({ agentId: agent.agentId }, 10),
      );
      // Reported twice, filed once.
      expect(changes).toMatchObject([
        { state: 'pending', to: { hostname: 'dc-01', addresses: { v4: ['10.0.0.1'], v6: [] } } },
      ]);
      expect(await journalKinds(a)).toContain('agent.identity-change-reported');
      agent.socket.terminate();
    });

    it('files at most a day’s share of identity claims from one agent', async () => {
      const agent = new ScriptedAgent();
      await agent.enrol(rig.url, await token(a), hostFacts('ws-flip', ['198.18.0.30']));
      for (let i = 0; i < 25; i += 1)
        agent.send({
          kind: 'heartbeat',
          sentAt: Date.now(),
          facts: hostFacts(`claim-${i}`, ['198.18.0.30']),
        });
      await expect
        .poll(() => rig.refused.filter((m) => /daily limit/.test(m)).length, { timeout: 15_000 })
        .toBe(5);
      const changes = await t.store.transaction(async (uow) =>
        uow.forTenant(a).containment.identityChanges.list({ agentId: agent.agentId }, 100),
      );
      expect(changes).toHaveLength(20);
      expect(changes.filter((c) => c.state === 'pending')).toHaveLength(1);
      agent.socket.terminate();
    });

    // issue 13, "walk the agent gateway": an agent of tenant B against tenant A.
    it('gives an agent of tenant B nothing of tenant A', async () => {
      const victim = new ScriptedAgent();
      await victim.enrol(rig.url, await token(a), hostFacts('ws-a', ['198.18.1.1']));
      const intruder = new ScriptedAgent();
      await intruder.enrol(rig.url, await token(b), hostFacts('ws-b', ['198.18.2.1']));
      expect(intruder.tenantId).toBe(b);

      // A's commands go to A's agent only.
      const isolate = await rig.queue.request({
        tenantId: a,
        agentId: victim.agentId,
        action: { kind: 'isolate' },
        requestedBy: 'user:lead',
      });
      expect(await rig.gateway.dispatch(a, isolate.id)).toBe(true);
      const { command } = await victim.next('command');
      expect(command.body.commandId).toBe(isolate.id);
      // Nor does dispatching A's action under B's tenant find it.
      expect(await rig.gateway.dispatch(b, isolate.id)).toBe(false);

      // A result for A's action, signed by B's agent in B's name, moves nothing.
      intruder.send({
        kind: 'result',
        result: intruder.result({
          tenantId: b,
          agentId: intruder.agentId,
          commandId: isolate.id,
          status: 'failed',
          detail: 'forged',
        }),
      });
      // In A's name it is refused outright.
      intruder.send({
        kind: 'result',
        result: intruder.result({
          tenantId: a,
          agentId: victim.agentId,
          commandId: isolate.id,
          status: 'failed',
          detail: 'forged',
        }),
      });
      expect((await intruder.next('error')).code).toBe('bad-result');
      expect((await rig.queue.get(a, isolate.id))?.state).toBe('sent');

      // Telemetry lands in B, whatever it says.
      intruder.send({ kind: 'telemetry', seq: 1, events: [{ tenantId: a, message: 'into A?' }] });
      await intruder.next('telemetry-ack');
      expect(rig.telemetry.at(-1)?.slice(0, 2)).toEqual([b, intruder.agentId]);

      // Claiming A's agent id: under A's tenant or under B's, with B's key.
      for (const tenantId of [a, b]) {
        const claimant = new ScriptedAgent();
        Object.assign(claimant, { key: intruder.key, publicKey: intruder.publicKey });
        await claimant.hello(rig.url, tenantId, victim.agentId);
        expect((await claimant.next('error')).code).toBe('bad-hello');
      }
      expect(rig.gateway.isConnected(a, victim.agentId)).toBe(true);
      expect(command.body.tenantId).toBe(a);
      expect(intruder.inbox.some((m) => m.kind === 'command')).toBe(false);
      victim.socket.terminate();
      intruder.socket.terminate();
    });
  });
}
