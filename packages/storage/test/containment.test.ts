/**
 * Containment storage on both dialects: agents (upsert, per-tenant), actions with
 * compare-and-set transitions, one-time enrolment tokens (a second use and an expired token
 * both fail), release codes and the policy — each bound to its tenant.
 */
import type { AgentRecord, ContainmentAction, Principal } from '@cordon/core';
import { AccessService, LoginThrottle, sha256Hex } from '@cordon/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const system: Principal = { kind: 'system', name: 'test' };

const agent = (tenantId: string, agentId: string, hostname: string): AgentRecord => ({
  tenantId,
  agentId,
  publicKey: 'pk-' + agentId,
  enrolledAt: 1000,
  identity: { hostname, addresses: { v4: ['198.18.0.10'], v6: ['fd00:c0d0::a'] } },
  facts: {
    hostname,
    os: { platform: 'linux', release: '6.1' },
    addresses: { v4: ['198.18.0.10'], v6: ['fd00:c0d0::a'] },
    agentVersion: '0.1.0',
    isolated: false,
  },
  online: true,
  lastSeenAt: 1000,
  telemetrySeq: 0,
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`containment storage on ${dialect}`, () => {
    let t: TestStore;
    let a: string;
    let b: string;
    beforeEach(async () => {
      t = await openTestStore(dialect);
      const access = new AccessService(t.store, { now: () => Date.now() }, new LoginThrottle());
      a = (await access.createTenant(system, 'A')).id;
      b = (await access.createTenant(system, 'B')).id;
    });
    afterEach(async () => t.dispose());

    it('keeps agents per tenant and updates them in place', async () => {
      await t.store.transaction(async (uow) => {
        const agents = uow.forTenant(a).containment.agents;
        await agents.put(agent(a, 'ag-1', 'ws-01'));
        await agents.put({
          ...agent(a, 'ag-1', 'ws-01'),
          online: false,
          lastSeenAt: 2000,
          telemetrySeq: 7,
          facts: { ...agent(a, 'ag-1', 'ws-01').facts, isolated: true },
        });
      });
      const [mine, theirs] = await t.store.transaction(async (uow) => [
        await uow.forTenant(a).containment.agents.list(),
        await uow.forTenant(b).containment.agents.get('ag-1'),
      ]);
      expect(mine).toEqual([
        expect.objectContaining({
          agentId: 'ag-1',
          online: false,
          lastSeenAt: 2000,
          telemetrySeq: 7,
        }),
      ]);
      expect(mine[0]?.facts.isolated).toBe(true);
      expect(theirs).toBeUndefined();
      await expect(
        t.store.transaction(async (uow) =>
          uow.forTenant(b).containment.agents.put(agent(a, 'ag-2', 'x')),
        ),
      ).rejects.toThrow(/another tenant/);
    });

    // issue 13 item 7: a heartbeat's facts (written with `put`) overwrote the host name that
    // targeting used; the identity is now written at enrolment and changed only by setIdentity.
    it('keeps an agent identity through put, changes it only by setIdentity', async () => {
      const enrolled = agent(a, 'ag-1', 'ws-01');
      await t.store.transaction(async (uow) => {
        const agents = uow.forTenant(a).containment.agents;
        await agents.put(enrolled);
        await agents.put({
          ...enrolled,
          identity: { hostname: 'dc-01', addresses: { v4: ['10.0.0.1'], v6: [] } },
          facts: { ...enrolled.facts, hostname: 'dc-01' },
        });
      });
      const get = () =>
        t.store.transaction(async (uow) => uow.forTenant(a).containment.agents.get('ag-1'));
      expect((await get())?.identity).toEqual(enrolled.identity);
      expect((await get())?.facts.hostname).toBe('dc-01');
      const moved = { hostname: 'ws-01b', addresses: { v4: ['198.18.0.11'], v6: [] } };
      expect(
        await t.store.transaction(async (uow) =>
          uow.forTenant(a).containment.agents.setIdentity('ag-1', moved),
        ),
      ).toBe(true);
      expect((await get())?.identity).toEqual(moved);
      expect(
        await t.store.transaction(async (uow) =>
          uow.forTenant(b).containment.agents.setIdentity('ag-1', moved),
        ),
      ).toBe(false);
    });

    it('keeps reported identity changes per tenant and decides each pending one once', async () => {
      const change = {
        id: '00000000-0000-4000-8000-0000000000c1',
        tenantId: a,
        agentId: 'ag-1',
        from: { hostname: 'ws-01', addresses: { v4: ['198.18.0.10'], v6: [] } },
        to: { hostname: 'dc-01', addresses: { v4: ['10.0.0.1'], v6: [] } },
        state: 'pending' as const,
        reportedAt: 5,
        decidedBy: null,
        decidedAt: null,
        reason: null,
      };
      await t.store.transaction(async (uow) =>
        uow.forTenant(a).containment.identityChanges.insert(change),
      );
      const decide = (state: 'approved' | 'denied') =>
        t.store.transaction(async (uow) =>
          uow.forTenant(a).containment.identityChanges.decide({
            ...change,
            state,
            decidedBy: 'user:lead',
            decidedAt: 9,
          }),
        );
      expect(await decide('denied')).toBe(true);
      expect(await decide('approved')).toBe(false);
      const [mine, pending, theirs] = await t.store.transaction(async (uow) => [
        await uow.forTenant(a).containment.identityChanges.list({ agentId: 'ag-1' }, 10),
        await uow.forTenant(a).containment.identityChanges.list({ state: 'pending' }, 10),
        await uow.forTenant(b).containment.identityChanges.get(change.id),
      ]);
      expect(mine).toEqual([{ ...change, state: 'denied', decidedBy: 'user:lead', decidedAt: 9 }]);
      expect(pending).toEqual([]);
      expect(theirs).toBeUndefined();
    });

    it('moves actions only from the state the caller saw, and keeps every transition', async () => {
      const action: ContainmentAction = {
        id: '00000000-0000-4000-8000-0000000000a1',
        tenantId: a,
        agentId: 'ag-1',
        incidentId: null,
        action: { kind: 'block', target: '203.0.113.0/24' },
        state: 'requested',
        requestedBy: 'user:x',
        approvedBy: null,
        requiredApprovals: 1,
        approvals: [],
        commandNonce: null,
        createdAt: 1,
        updatedAt: 1,
        detail: null,
        result: null,
      };
      await t.store.transaction(async (uow) => {
        const actions = uow.forTenant(a).containment.actions;
        await actions.insert(action);
        await actions.insertTransition({
          actionId: action.id,
          from: null,
          to: 'requested',
          actor: 'user:x',
          at: 1,
          detail: null,
        });
        expect(
          await actions.update({ ...action, state: 'approved', approvedBy: 'u' }, 'requested'),
        ).toBe(true);
        // A second writer that still thinks it is `requested` loses.
        expect(await actions.update({ ...action, state: 'failed' }, 'requested')).toBe(false);
        await actions.insertTransition({
          actionId: action.id,
          from: 'requested',
          to: 'approved',
          actor: 'u',
          at: 2,
          detail: null,
        });
      });
      const [stored, transitions, other] = await t.store.transaction(async (uow) => [
        await uow.forTenant(a).containment.actions.get(action.id),
        await uow.forTenant(a).containment.actions.transitions(action.id),
        await uow.forTenant(b).containment.actions.list({}, 10),
      ]);
      expect(stored).toMatchObject({ state: 'approved', approvedBy: 'u', action: action.action });
      expect(transitions.map((x) => [x.from, x.to])).toEqual([
        [null, 'requested'],
        ['requested', 'approved'],
      ]);
      expect(other).toEqual([]);
    });

    it('consumes an enrolment token once, and never after it expired', async () => {
      const token = (id: string, secret: string, expiresAt: number) => ({
        id,
        tenantId: a,
        secretHash: sha256Hex(secret),
        createdBy: 'user:x',
        createdAt: 0,
        expiresAt,
        usedAt: null,
        agentId: null,
      });
      await t.store.transaction(async (uow) => {
        await uow.forTenant(a).containment.enrolmentTokens.insert(token('t1', 'live', 10_000));
        await uow.forTenant(a).containment.enrolmentTokens.insert(token('t2', 'old', 10));
      });
      const consume = (secret: string) =>
        t.store.transaction(async (uow) => uow.enrolmentTokens.consume(sha256Hex(secret), 100));
      expect(await consume('live')).toEqual({ tenantId: a, id: 't1' });
      expect(await consume('live')).toBeUndefined();
      expect(await consume('old')).toBeUndefined();
      expect(await consume('never-issued')).toBeUndefined();
    });

    it('stores release codes issued and the policy, per tenant', async () => {
      await t.store.transaction(async (uow) => {
        const c = uow.forTenant(a).containment;
        await c.releaseCodes.insert({
          codeId: 'c1',
          tenantId: a,
          agentId: 'ag-1',
          incidentId: null,
          issuedBy: 'user:lead',
          issuedAt: 5,
          expiresAt: 50,
        });
        await c.policy.set(
          {
            rules: [{ minSeverity: 'critical', assetRole: 'any', response: 'isolate' }],
            autoIsolationLimit: { maxIsolations: 2, windowMinutes: 30 },
          },
          'u',
          9,
        );
      });
      const got = await t.store.transaction(async (uow) => ({
        codes: await uow.forTenant(a).containment.releaseCodes.list('ag-1'),
        policy: await uow.forTenant(a).containment.policy.get(),
        otherPolicy: await uow.forTenant(b).containment.policy.get(),
      }));
      expect(got.codes.map((c) => c.codeId)).toEqual(['c1']);
      expect(got.policy?.rules).toEqual([
        { minSeverity: 'critical', assetRole: 'any', response: 'isolate' },
      ]);
      expect(got.policy?.autoIsolationLimit).toEqual({ maxIsolations: 2, windowMinutes: 30 });
      expect(got.otherPolicy).toBeUndefined();
    });
  });
}
