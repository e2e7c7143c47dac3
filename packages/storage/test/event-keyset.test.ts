/**
 * Keyset paging of event search on both dialects: pages that follow `next` visit every event of
 * a window once, in the store's stable order (time, then the store's tie-breaker), including
 * many events in one millisecond — where paging by time alone either loops or skips — in both
 * directions, with a query, and unshifted by events stored meanwhile before the cursor. A
 * cursor the store did not make is refused.
 */
import type { EventDocument, EventStore } from '@cordon/core';
import { newId, parseQuery } from '@cordon/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const BASE = Date.parse('2026-12-01T10:00:00Z');

const event = (n: number, ms: number, host = 'web01'): EventDocument => ({
  '@timestamp': new Date(ms).toISOString(),
  event: { kind: 'event' },
  host: { name: host },
  message: `event ${n}`,
  fields: { n },
});

/** Every page of `limit` from the start, following `next`; the numbers in order. */
async function walk(
  events: EventStore,
  tenantId: string,
  request: { limit: number; sort: 'asc' | 'desc'; query?: string },
): Promise<number[]> {
  const seen: number[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 1000; pages++) {
    const page = await events.search(tenantId, {
      from: BASE,
      to: BASE + 60_000,
      sort: request.sort,
      limit: request.limit,
      countLimit: 1,
      ...(request.query === undefined ? {} : { query: parseQuery(request.query) }),
      ...(after === undefined ? {} : { after }),
    });
    for (const e of page.events) seen.push((e.event['fields'] as { n: number }).n);
    if (page.events.length < request.limit) {
      expect(page.next === null).toBe(page.events.length === 0);
      return seen;
    }
    after = page.next!;
  }
  throw new Error('keyset paging did not end');
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`event keyset paging (${dialect})`, () => {
    let t: TestStore;
    let tenantId: string;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      tenantId = newId();
      await t.store.transaction((uow) =>
        uow.tenants.insert({ id: tenantId, name: 'A', createdAt: Date.now() }),
      );
      // 0..24 in one millisecond, 25..34 one per millisecond after it; db01 for the odd ones.
      const docs = Array.from({ length: 35 }, (_, n) =>
        event(n, n < 25 ? BASE + 5 : BASE + n, n % 2 === 1 ? 'db01' : 'web01'),
      );
      await t.store.events.appendBatch(tenantId, { batchId: 'b1', events: docs });
    });
    afterAll(async () => t.dispose());

    it('visits every event once, in order, through a crowded millisecond', async () => {
      const asc = await walk(t.store.events, tenantId, { limit: 4, sort: 'asc' });
      expect([...asc].sort((a, b) => a - b)).toEqual(Array.from({ length: 35 }, (_, n) => n));
      expect(new Set(asc).size).toBe(35);
      // Time order holds: the crowded millisecond first (in the store's tie order), then 25..34.
      expect(asc.slice(25)).toEqual(Array.from({ length: 10 }, (_, n) => n + 25));
      const desc = await walk(t.store.events, tenantId, { limit: 3, sort: 'desc' });
      expect(desc).toEqual([...asc].reverse());
      const odd = await walk(t.store.events, tenantId, {
        limit: 2,
        sort: 'asc',
        query: 'host.name:db01',
      });
      expect(odd).toEqual(asc.filter((n) => n % 2 === 1));
    });

    it('continues from a cursor unshifted by events stored before it meanwhile', async () => {
      const first = await t.store.events.search(tenantId, {
        from: BASE,
        to: BASE + 60_000,
        sort: 'asc',
        limit: 30,
      });
      await t.store.events.appendBatch(tenantId, {
        batchId: 'early',
        events: [event(100, BASE + 1), event(101, BASE + 2)],
      });
      const rest = await t.store.events.search(tenantId, {
        from: BASE,
        to: BASE + 60_000,
        sort: 'asc',
        limit: 30,
        after: first.next!,
      });
      expect(rest.total).toBe(5);
      expect(rest.events.map((e) => (e.event['fields'] as { n: number }).n)).toEqual([
        30, 31, 32, 33, 34,
      ]);
    });

    it('refuses a cursor it did not make', async () => {
      for (const after of [
        '',
        'x',
        '12',
        ':5',
        '1:',
        '1:2:3; DROP TABLE events',
        `1:${'9'.repeat(80)}`,
      ])
        await expect(t.store.events.search(tenantId, { limit: 5, after })).rejects.toMatchObject({
          code: 'invalid_input',
        });
    });
  });
}
