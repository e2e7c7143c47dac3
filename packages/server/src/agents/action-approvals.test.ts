/**
 * Approvals in the action queue on both dialects: an action under the two-person rule
 * (`requiredApprovals: 2`) is held whatever the request says, each approval short of the last is
 * recorded and journalled, the same approver never counts twice, the requester may approve first
 * but never second, an approver who may not approve containment is refused, and two approvers
 * racing both count (the approvals are compare-and-set).
 */
import type { Principal, Role } from '@cordon/core';
import { AccessService, IncidentService, LoginThrottle, systemClock } from '@cordon/core';
import { DIALECTS, dialectAvailable, openTestStore } from '@cordon/storage/testing';
import type { TestStore } from '@cordon/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { racingReads } from '../../test/racing-reads.ts';
import { ActionQueue } from './index.ts';

const system: Principal = { kind: 'system', name: 'test' };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`action approvals on ${dialect}`, () => {
    let t: TestStore;
    let tenantId: string;
    let incidentId: string;
    beforeEach(async () => {
      t = await openTestStore(dialect);
      tenantId = (
        await new AccessService(t.store, systemClock, new LoginThrottle()).createTenant(system, 'A')
      ).id;
      incidentId = (
        await new IncidentService(t.store, systemClock).create(system, tenantId, {
          title: 'intrusion on the erp server',
          severity: 'critical',
        })
      ).id;
    });
    afterEach(async () => t.dispose());

    const person = (name: string, role: Role): Principal => ({
      kind: 'user',
      userId: name,
      email: name,
      platformAdmin: false,
      memberships: new Map([[tenantId, role]]),
    });
    const lead = (name: string) => person(name, 'incident_lead');

    const twoPerson = (queue: ActionQueue) =>
      queue.request({
        tenantId,
        agentId: 'agent-erp',
        action: { kind: 'isolate' },
        requestedBy: 'user:alice',
        incidentId,
        // Not asked to hold: the two-person rule holds it anyway.
        requiresApproval: false,
        requiredApprovals: 2,
      });

    it('needs two different approvers; the requester may be the first', async () => {
      const queue = new ActionQueue({ store: t.store });
      const action = await twoPerson(queue);
      expect(action).toMatchObject({ state: 'requested', requiredApprovals: 2, approvals: [] });
      const first = await queue.approve(tenantId, action.id, lead('alice'));
      expect(first).toMatchObject({ state: 'requested', approvals: [{ by: 'user:alice' }] });
      await expect(queue.approve(tenantId, action.id, lead('alice'))).rejects.toThrow(
        /already approved it/,
      );
      const second = await queue.approve(tenantId, action.id, lead('bob'));
      expect(second).toMatchObject({
        state: 'approved',
        approvedBy: 'user:bob',
        approvals: [{ by: 'user:alice' }, { by: 'user:bob' }],
      });
      expect(await queue.get(tenantId, action.id)).toMatchObject({
        state: 'approved',
        approvals: [{ by: 'user:alice' }, { by: 'user:bob' }],
      });
      await expect(queue.approve(tenantId, action.id, lead('carol'))).rejects.toThrow(
        /approved, not awaiting approval/,
      );
      const entries = await t.store.transaction(async (uow) =>
        uow.forTenant(tenantId).journal.list({ incidentId }, 100),
      );
      expect(
        entries.filter((e) => e.kind.startsWith('action.')).map((e) => [e.kind, e.actor]),
      ).toEqual([
        ['action.requested', 'user:alice'],
        ['action.approval-recorded', 'user:alice'],
        ['action.approved', 'user:bob'],
      ]);
      expect(entries.find((e) => e.kind === 'action.approval-recorded')?.payload).toMatchObject({
        approvals: ['user:alice'],
        requiredApprovals: 2,
        remaining: 1,
      });
    });

    it('refuses the requester as the second approver, and writes nothing for it', async () => {
      const queue = new ActionQueue({ store: t.store });
      const action = await twoPerson(queue);
      await queue.approve(tenantId, action.id, lead('bob'));
      await expect(queue.approve(tenantId, action.id, lead('alice'))).rejects.toThrow(
        /requested it and cannot be its second approver/,
      );
      expect(await queue.get(tenantId, action.id)).toMatchObject({
        state: 'requested',
        approvedBy: null,
        approvals: [{ by: 'user:bob' }],
      });
      expect((await queue.approve(tenantId, action.id, lead('carol'))).state).toBe('approved');
    });

    it('keeps one approval as before: the approver is recorded, and so is an automatic one', async () => {
      const queue = new ActionQueue({ store: t.store });
      const held = await queue.request({
        tenantId,
        agentId: 'agent-ws',
        action: { kind: 'isolate' },
        requestedBy: 'policy:auto',
        requiresApproval: true,
      });
      expect(await queue.approve(tenantId, held.id, lead('lead'))).toMatchObject({
        state: 'approved',
        approvedBy: 'user:lead',
        approvals: [{ by: 'user:lead' }],
      });
      const direct = await queue.request({
        tenantId,
        agentId: 'agent-ws',
        action: { kind: 'block', target: '203.0.113.7' },
        requestedBy: 'user:responder',
      });
      expect(direct).toMatchObject({ state: 'approved', approvals: [{ by: 'user:responder' }] });
    });

    it('refuses an approver who is not an incident lead, and writes nothing for it', async () => {
      const queue = new ActionQueue({ store: t.store });
      const action = await twoPerson(queue);
      await queue.approve(tenantId, action.id, lead('bob'));
      await expect(
        queue.approve(tenantId, action.id, person('rita', 'responder')),
      ).rejects.toMatchObject({ code: 'forbidden' });
      expect(await queue.get(tenantId, action.id)).toMatchObject({
        state: 'requested',
        approvals: [{ by: 'user:bob' }],
      });
      expect((await queue.approve(tenantId, action.id, lead('carol'))).state).toBe('approved');
    });

    it('counts both of two approvers racing on the same action', async () => {
      // Both approvers read the action before either writes (a race, not two turns).
      const racing = racingReads(t.store);
      const queue = new ActionQueue({ store: racing.store });
      const action = await twoPerson(queue);
      racing.start();
      const outcomes = await Promise.allSettled([
        queue.approve(tenantId, action.id, lead('bob')),
        queue.approve(tenantId, action.id, lead('carol')),
      ]);
      expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled']);
      const stored = await queue.get(tenantId, action.id);
      expect(stored?.state).toBe('approved');
      expect(stored?.approvals.map((a) => a.by).sort()).toEqual(['user:bob', 'user:carol']);
    });
  });
}
