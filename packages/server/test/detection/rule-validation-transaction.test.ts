/**
 * issue 13 item 1: a tenant rule was validated inside the transaction that stores it, so a rule
 * built to be slow to check held the database (on SQLite, every writer) for as long as the
 * check ran. The validator now runs before the transaction opens; while it works, other writes
 * of the tenant go through.
 */
import type { Clock, Principal, Store } from '@cordon/core';
import { AccessService, AlertService, LoginThrottle } from '@cordon/core';
import { DIALECTS, dialectAvailable, openTestStore } from '@cordon/storage/testing';
import type { TestStore } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const system: Principal = { kind: 'system', name: 'test' };
const clock: Clock = { now: () => Date.now() };

/** The store, counting the transactions open at any moment. */
function watched(store: Store): { store: Store; open: () => number } {
  let open = 0;
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      if (property !== 'transaction') {
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value.bind(target) as unknown) : value;
      }
      return async (work: Parameters<Store['transaction']>[0]) => {
        open++;
        try {
          return await target.transaction(work);
        } finally {
          open--;
        }
      };
    },
  });
  return { store: proxy, open: () => open };
}

const within = <T>(promise: Promise<T>, ms: number): Promise<T> =>
  Promise.race([
    promise,
    new Promise<T>((_, reject) =>
      setTimeout(() => reject(new Error(`still waiting after ${ms} ms`)), ms),
    ),
  ]);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(
    `issue 13 item 1: rule validation outside the transaction (${dialect})`,
    () => {
      let t: TestStore;
      let tenantId: string;
      beforeAll(async () => {
        t = await openTestStore(dialect, clock);
        tenantId = (
          await new AccessService(t.store, clock, new LoginThrottle()).createTenant(system, 'Acme')
        ).id;
      });
      afterAll(async () => t?.dispose());

      it('runs the validator with no transaction open; other writes proceed meanwhile', async () => {
        const db = watched(t.store);
        const openDuringValidation: number[] = [];
        let validating!: () => void;
        const started = new Promise<void>((resolve) => (validating = resolve));
        let finish!: () => void;
        const finished = new Promise<void>((resolve) => (finish = resolve));
        const alerts = new AlertService({
          store: db.store,
          clock,
          validateRules: async () => {
            openDuringValidation.push(db.open());
            validating();
            await finished;
            return { title: 'slow to check', ruleIds: ['slow-rule'] };
          },
        });
        const adding = alerts.addRule(system, tenantId, 'title: slow to check');
        await within(started, 10_000);
        const exclusion = await within(
          alerts.addExclusion(system, tenantId, {
            ruleId: 'other',
            fields: {},
            reason: 'written while a rule is being checked',
          }),
          10_000,
        );
        finish();
        const rule = await adding;
        expect(openDuringValidation).toEqual([0]);
        expect(exclusion.reason).toBe('written while a rule is being checked');
        expect(rule.ruleIds).toEqual(['slow-rule']);
      });
    },
  );
}
