/**
 * The gateway on a real store (SQLite and PostgreSQL) against a scripted agent that speaks the
 * protocol with a real Ed25519 key: the real AgentRuntime is exercised against this gateway in
 * the lab (packages/lab/test).
 */
import { sign } from 'node:crypto';
import { IncidentService, systemClock } from '@cordon/core';
import type { Principal } from '@cordon/core';
import { DIALECTS, dialectAvailable, openTestStore } from '@cordon/storage/testing';
import type { TestStore } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  decodeBase64url,
  encodeBase64url,
  helloSigningBytes,
  verifyCommand,
} from '@cordon/protocol';
import { issueEnrolmentToken, verifyEd25519Raw } from './index.ts';
import { PIN, ScriptedAgent, hostFacts, startGatewayRig } from '../../test/gateway-test-kit.ts';
import type { GatewayRig } from '../../test/gateway-test-kit.ts';

const facts = hostFacts('ws-042', ['198.18.0.10'], ['fd00:c0d0::a']);
const system: Principal = { kind: 'system', name: 'test' };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`AgentGateway on ${dialect}`, () => {
    let t: TestStore;
    let rig: GatewayRig;
    let url: string;
    const agent = new ScriptedAgent();
    let tenantId = '';
    let agentId = '';
    let incidentId = '';
    const results: [string, unknown][] = [];
    const get = (id: string) => rig.queue.get(tenantId, id);
    const registryGet = () =>
      t.store.transaction(async (uow) => uow.forTenant(tenantId).containment.agents.get(agentId));

    beforeAll(async () => {
      t = await openTestStore(dialect);
      rig = await startGatewayRig(t.store, {
        onResult: (action, body) => void results.push([action.id, body.output]),
      });
      url = rig.url;
      tenantId = await rig.newTenant('A');
      incidentId = (
        await new IncidentService(t.store, systemClock).create(system, tenantId, {
          title: 'ransomware on ws-042',
          severity: 'critical',
        })
      ).id;
    });
    afterAll(async () => {
      agent.socket?.terminate();
      await rig.close();
      await t.dispose();
    });

    it('enrols with a one-time token and records the agent', async () => {
      const token = await issueEnrolmentToken(t.store, tenantId, {
        certificateSha256: PIN,
        ttlMs: 60_000,
        now: Date.now(),
      });
      await agent.connect(url);
      await agent.next('challenge');
      agent.send({ kind: 'enrol', token, publicKey: agent.publicKey, facts });
      const enrolled = await agent.next('enrolled');
      agentId = enrolled.agentId;
      expect(enrolled.tenantId).toBe(tenantId);
      expect(decodeBase64url(enrolled.serverPublicKey)).toHaveLength(32);
      await agent.next('welcome');
      expect(await registryGet()).toMatchObject({
        online: true,
        publicKey: agent.publicKey,
        facts,
      });
      expect(rig.gateway.isConnected(tenantId, agentId)).toBe(true);

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
      expect(rig.gateway.isConnected(tenantId, agentId)).toBe(true);

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
      replay.send({
        kind: 'hello',
        tenantId,
        agentId,
        challenge: 'old-challenge',
        signature: stale,
      });
      expect((await replay.next('error')).code).toBe('bad-hello');
    });

    it('acknowledges telemetry and passes each batch on once, however often it is resent', async () => {
      agent.send({ kind: 'telemetry', seq: 1, events: [{ message: 'a' }] });
      expect((await agent.next('telemetry-ack')).seq).toBe(1);
      agent.send({ kind: 'telemetry', seq: 1, events: [{ message: 'a' }] });
      expect((await agent.next('telemetry-ack')).seq).toBe(1);
      agent.send({ kind: 'telemetry', seq: 2, events: [{ message: 'b' }] });
      expect((await agent.next('telemetry-ack')).seq).toBe(2);
      expect(rig.telemetry.map(([, , events]) => events)).toEqual([
        [{ message: 'a' }],
        [{ message: 'b' }],
      ]);
    });

    it('sends approved actions as commands the agent can verify, and follows their results', async () => {
      const isolate = await rig.queue.request({
        tenantId,
        agentId,
        action: { kind: 'isolate' },
        requestedBy: 'user:lead',
        incidentId,
      });
      expect(isolate.state).toBe('approved');
      expect(await rig.gateway.dispatch(tenantId, isolate.id)).toBe(true);
      const { command } = await agent.next('command');
      const verdict = verifyCommand(command, {
        serverPublicKey: decodeBase64url(rig.gateway.serverPublicKey)!,
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
      expect((await get(isolate.id))?.state).toBe('sent');

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
      await expect.poll(async () => (await get(isolate.id))?.state).toBe('applied');
      // The result listener runs after the state is stored: wait for it rather than race it.
      await expect.poll(() => results.at(-1)).toEqual([isolate.id, undefined]);

      const release = await rig.queue.request({
        tenantId,
        agentId,
        action: { kind: 'release' },
        requestedBy: 'user:lead',
        incidentId,
      });
      await rig.gateway.dispatch(tenantId, release.id);
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
      await expect.poll(async () => (await get(isolate.id))?.state).toBe('reverted');
      expect((await get(release.id))?.state).toBe('applied');
      expect(rig.transitions.filter((t) => t.action.id === isolate.id).map((t) => t.to)).toEqual([
        'requested',
        'approved',
        'sent',
        'applied',
        'reverted',
      ]);
    });

    it('holds actions that need approval, sends them when approved, and records rollbacks and refusals', async () => {
      const held = await rig.queue.request({
        tenantId,
        agentId,
        action: { kind: 'isolate' },
        requestedBy: 'policy:auto',
        requiresApproval: true,
      });
      expect(held.state).toBe('requested');
      expect(await rig.gateway.dispatch(tenantId, held.id)).toBe(false);
      await rig.queue.transition(tenantId, held.id, 'approved', 'user:lead', {
        approvedBy: 'user:lead',
      });
      await rig.gateway.dispatch(tenantId, held.id);
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
      await expect.poll(async () => (await get(held.id))?.state).toBe('rolled-back');
      expect((await get(held.id))?.detail).toMatch(/server unreachable/);

      const refused = await rig.queue.request({
        tenantId,
        agentId,
        action: { kind: 'ping' },
        requestedBy: 'user:lead',
      });
      await rig.gateway.dispatch(tenantId, refused.id);
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
      await expect.poll(async () => (await get(refused.id))?.state).toBe('failed');
      expect((await get(refused.id))?.detail).toMatch(/rejected by the agent: expired/);
    });

    it('ignores results not signed by the agent', async () => {
      const action = await rig.queue.request({
        tenantId,
        agentId,
        action: { kind: 'ping' },
        requestedBy: 'user:lead',
      });
      await rig.gateway.dispatch(tenantId, action.id);
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
      expect((await get(action.id))?.state).toBe('sent');
    });

    it('marks the agent offline when it disconnects and resends approved actions on reconnect', async () => {
      agent.socket.terminate();
      await expect.poll(async () => (await registryGet())?.online).toBe(false);
      const pending = await rig.queue.request({
        tenantId,
        agentId,
        action: { kind: 'ping' },
        requestedBy: 'user:lead',
      });
      expect(await rig.gateway.dispatch(tenantId, pending.id)).toBe(false);
      agent.inbox.length = 0;
      await agent.connect(url);
      const { nonce } = await agent.next('challenge');
      const signature = encodeBase64url(
        sign(
          null,
          helloSigningBytes({ tenantId, agentId, challenge: nonce }),
          agent.key.privateKey,
        ),
      );
      agent.send({ kind: 'hello', tenantId, agentId, challenge: nonce, signature });
      await agent.next('welcome');
      const { command } = await agent.next('command');
      expect(command.body.commandId).toBe(pending.id);
      expect((await registryGet())?.online).toBe(true);
    });
  });
}
