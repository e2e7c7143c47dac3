/**
 * Containment decisions storage on both dialects: a decision round-trips with its snapshot,
 * commands and failover step, per tenant; its state moves by compare-and-set; and migration
 * 0011 gives actions approved before it their approver as their one approval.
 */
import type { ContainmentDecisionRecord, Principal } from '@cordon/core';
import { AccessService, LoginThrottle } from '@cordon/core';
import type { Kysely } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as migration0011 from '../src/migrations/0011-containment-decisions.ts';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const system: Principal = { kind: 'system', name: 'test' };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`containment decisions storage on ${dialect}`, () => {
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

    const decision = (tenantId: string): ContainmentDecisionRecord => ({
      id: '00000000-0000-4000-8000-00000000d001',
      tenantId,
      incidentId: '00000000-0000-4000-8000-00000000e001',
      assetId: '00000000-0000-4000-8000-00000000a001',
      assetName: 'db01',
      option: 'failover-then-isolate',
      rationale: 'db02 carries the load',
      decidedBy: 'user:lead@acme',
      decidedAt: 1_000,
      state: 'awaiting-failover',
      snapshot: { options: [{ option: 'failover-then-isolate', downtimeCost: 1250.5 }] },
      commands: [
        {
          action: 'contain',
          target: { device: { hostname: 'db01' } },
          args: { er: { device_containment: 'network_isolation' } },
          actuator: { er: {} },
        },
      ],
      failover: {
        peerAssetId: '00000000-0000-4000-8000-00000000a002',
        peerName: 'db02',
        state: 'pending',
        by: null,
        at: null,
        note: null,
      },
      actionIds: [],
      updatedAt: 1_000,
    });

    it('round-trips a decision per tenant and moves its state by compare-and-set', async () => {
      const stored = decision(a);
      await t.store.transaction(async (uow) =>
        uow.forTenant(a).containment.decisions.insert(stored),
      );
      const [got, listed, other] = await t.store.transaction(async (uow) => [
        await uow.forTenant(a).containment.decisions.get(stored.id),
        await uow.forTenant(a).containment.decisions.list(stored.incidentId),
        await uow.forTenant(b).containment.decisions.get(stored.id),
      ]);
      expect(got).toEqual(stored);
      expect(listed).toEqual([stored]);
      expect(other).toBeUndefined();
      const next: ContainmentDecisionRecord = {
        ...stored,
        state: 'actions-queued',
        failover: { ...stored.failover!, state: 'confirmed', by: 'user:lead2@acme', at: 2_000 },
        actionIds: ['00000000-0000-4000-8000-00000000c001'],
        updatedAt: 2_000,
      };
      const [first, second, foreign] = await t.store.transaction(async (uow) => [
        await uow.forTenant(a).containment.decisions.update(next, 'awaiting-failover'),
        await uow.forTenant(a).containment.decisions.update(next, 'awaiting-failover'),
        await uow.forTenant(b).containment.decisions.update(next, 'actions-queued'),
      ]);
      expect([first, second, foreign]).toEqual([true, false, false]);
      expect(
        await t.store.transaction(async (uow) =>
          uow.forTenant(a).containment.decisions.get(stored.id),
        ),
      ).toEqual(next);
    });

    it('migration 0011 records an earlier approval as the action’s one approval', async () => {
      const db = t.store.database.kysely as unknown as Kysely<unknown>;
      await migration0011.down(db);
      const raw = t.store.database.kysely as unknown as Kysely<{
        agent_actions: Record<string, unknown>;
      }>;
      const row = (id: string, approvedBy: string | null) => ({
        id,
        tenant_id: a,
        agent_id: 'agent-1',
        incident_id: null,
        kind: 'isolate',
        action: '{"kind":"isolate"}',
        state: approvedBy === null ? 'requested' : 'approved',
        requested_by: 'policy:auto',
        approved_by: approvedBy,
        command_nonce: null,
        detail: null,
        result: null,
        created_at: 10,
        updated_at: 20,
      });
      await raw
        .insertInto('agent_actions')
        .values([
          row('00000000-0000-4000-8000-0000000000a1', 'user:"quoted"@acme'),
          row('00000000-0000-4000-8000-0000000000a2', null),
        ])
        .execute();
      await migration0011.up(db);
      const actions = await t.store.transaction(async (uow) =>
        uow.forTenant(a).containment.actions.list({}, 10),
      );
      const byId = new Map(actions.map((x) => [x.id, x]));
      expect(byId.get('00000000-0000-4000-8000-0000000000a1')).toMatchObject({
        requiredApprovals: 1,
        approvals: [{ by: 'user:"quoted"@acme', at: 20 }],
      });
      expect(byId.get('00000000-0000-4000-8000-0000000000a2')).toMatchObject({
        requiredApprovals: 1,
        approvals: [],
      });
    });
  });
}
