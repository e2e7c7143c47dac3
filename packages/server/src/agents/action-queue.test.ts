/**
 * The action queue on both dialects (the store is its only ledger): every transition is a row with its actor and
 * a journal entry tied to the incident, in the same transaction; a transition from a state the
 * action has left is refused (compare-and-set), and nothing is written for it.
 */
import type { Principal } from '@cordon/core';
import { AccessService, IncidentService, LoginThrottle, systemClock } from '@cordon/core';
import { DIALECTS, dialectAvailable, openTestStore } from '@cordon/storage/testing';
import type { TestStore } from '@cordon/storage/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { racingReads } from '../../test/racing-reads.ts';
import { ActionQueue } from './index.ts';

const system: Principal = { kind: 'system', name: 'test' };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`ActionQueue on ${dialect}`, () => {
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
          title: 'ransomware on ws-1',
          severity: 'critical',
        })
      ).id;
    });
    afterEach(async () => t.dispose());

    it('journals each transition against the incident and keeps them in order', async () => {
      const queue = new ActionQueue({ store: t.store });
      const action = await queue.request({
        tenantId,
        agentId: 'agent-1',
        action: { kind: 'isolate' },
        requestedBy: 'user:lead',
        incidentId,
      });
      await queue.transition(tenantId, action.id, 'sent', 'gateway', { commandNonce: 'n-1' });
      await queue.transition(tenantId, action.id, 'rolled-back', 'agent:agent-1', {
        detail: 'server unreachable after isolating',
      });
      await expect(
        queue.transition(tenantId, action.id, 'applied', 'agent:agent-1'),
      ).rejects.toThrow(/cannot go from rolled-back to applied/);

      const entries = await t.store.transaction(async (uow) =>
        uow.forTenant(tenantId).journal.list({ incidentId }, 100),
      );
      const mine = entries.filter((entry) => entry.kind.startsWith('action.'));
      expect(mine.map((entry) => [entry.kind, entry.actor])).toEqual([
        ['action.requested', 'user:lead'],
        ['action.approved', 'user:lead'],
        ['action.sent', 'gateway'],
        ['action.rolled-back', 'agent:agent-1'],
      ]);
      expect(mine.at(-1)?.payload).toMatchObject({
        actionId: action.id,
        from: 'sent',
        to: 'rolled-back',
        detail: 'server unreachable after isolating',
        commandNonce: 'n-1',
      });
      expect((await queue.transitions(tenantId, action.id)).map((x) => x.to)).toEqual([
        'requested',
        'approved',
        'sent',
        'rolled-back',
      ]);
      expect(await queue.get(tenantId, action.id)).toMatchObject({
        state: 'rolled-back',
        commandNonce: 'n-1',
      });
      expect(await queue.get('another-tenant', action.id)).toBeUndefined();
    });

    it('lets only one of two racing writers move an action', async () => {
      // Both writers must read the action before either writes (a race, not two turns).
      const racing = racingReads(t.store);
      const queue = new ActionQueue({ store: racing.store });
      const action = await queue.request({
        tenantId,
        agentId: 'agent-1',
        action: { kind: 'ping' },
        requestedBy: 'policy:auto',
        requiresApproval: true,
      });
      racing.start();
      const outcomes = await Promise.allSettled([
        queue.transition(tenantId, action.id, 'approved', 'user:lead', { approvedBy: 'user:lead' }),
        // Both writers make the same move: whichever lands second finds the action already
        // approved, and approved → approved is not a legal move. (A second move to 'failed'
        // would be legal from 'approved', so its outcome would depend on who wins the race.)
        queue.transition(tenantId, action.id, 'approved', 'user:other', {
          approvedBy: 'user:other',
        }),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      expect(await queue.transitions(tenantId, action.id)).toHaveLength(2);
    });
  });
}
