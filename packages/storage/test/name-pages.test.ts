/**
 * The console's asset inventory and agent list, paged by name on both dialects: walking the
 * pages by cursor yields every match exactly once in name order (names that differ only in
 * case, and a LIKE wildcard in the search text, included), filters and the bounded totals
 * agree with the items, and each tenant sees only its own.
 */
import type {
  AgentRecord,
  Asset,
  BoundedPage,
  NameCursor,
  NamePage,
  Principal,
} from '@cordon/core';
import { AccessService, LoginThrottle } from '@cordon/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const system: Principal = { kind: 'system', name: 'test' };
const ASSETS = 137;
const AGENTS = 61;

const asset = (tenantId: string, n: number): Asset => ({
  id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  tenantId,
  // Upper and lower case interleave: the order is by the lower-cased name.
  name: `${n % 2 === 0 ? 'HOST' : 'host'}-${String((n * 37) % 1000).padStart(3, '0')}`,
  kind: 'server',
  addresses: [`198.18.${Math.floor(n / 250)}.${n % 250}`],
  mac: null,
  os: null,
  owner: n % 5 === 0 ? 'Finance_IT' : 'Ops',
  location: null,
  criticality: n % 3 === 0 ? 'critical' : 'low',
  tags: n % 7 === 0 ? ['pci'] : [],
  segmentId: null,
  redundancyGroup: null,
  agentInstalled: false,
  operationalStatus: 'up',
  lastSeenAt: null,
  retiredAt: null,
  createdAt: 1000,
  updatedAt: 1000,
});

const agent = (tenantId: string, n: number): AgentRecord => {
  const hostname = `ws-${String((n * 13) % 40).padStart(2, '0')}`;
  const addresses = { v4: ['198.18.0.10'], v6: [] };
  return {
    tenantId,
    agentId: `agent-${n.toString(16).padStart(16, '0')}`,
    publicKey: `pk-${n}`,
    enrolledAt: 1000,
    identity: { hostname, addresses },
    facts: {
      hostname,
      os: { platform: 'linux', release: '6.1' },
      addresses,
      agentVersion: '0.1.0',
      isolated: false,
    },
    online: n % 4 === 0,
    lastSeenAt: 1000,
    telemetrySeq: 0,
  };
};

async function walk<T>(
  list: (page: NamePage) => Promise<BoundedPage<T>>,
  key: (item: T) => NameCursor,
  limit: number,
): Promise<{ items: T[]; pages: number; total: number }> {
  const items: T[] = [];
  let after: NameCursor | undefined;
  for (let pages = 1; pages < 1000; pages++) {
    const page = await list({ limit, ...(after ? { after } : {}) });
    items.push(...page.items);
    if (page.items.length < limit) return { items, pages, total: page.total };
    after = key(page.items.at(-1)!);
  }
  throw new Error('walk did not end');
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`name-ordered pages on ${dialect}`, () => {
    let t: TestStore;
    let a: string;
    let b: string;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      const access = new AccessService(t.store, { now: () => 1000 }, new LoginThrottle());
      a = (await access.createTenant(system, 'A')).id;
      b = (await access.createTenant(system, 'B')).id;
      await t.store.transaction(async (uow) => {
        await uow
          .forTenant(a)
          .preparation.assets.insertMany(Array.from({ length: ASSETS }, (_, n) => asset(a, n)));
        await uow.forTenant(b).preparation.assets.insertMany([asset(b, 9_999)]);
        for (let n = 0; n < AGENTS; n++) await uow.forTenant(a).containment.agents.put(agent(a, n));
        await uow.forTenant(b).containment.agents.put(agent(b, 999));
      });
    }, 60_000);
    afterAll(async () => t?.dispose());

    it('walks the inventory by cursor: every asset once, by lower-cased name', async () => {
      const walked = await walk(
        (page) => t.store.transaction((uow) => uow.forTenant(a).preparation.assets.page({}, page)),
        (x) => ({ name: x.name.toLowerCase(), id: x.id }),
        10,
      );
      expect(walked.pages).toBe(14);
      expect(walked.total).toBe(ASSETS);
      const names = walked.items.map((x) => x.name.toLowerCase());
      expect(names).toEqual([...names].sort());
      expect(new Set(walked.items.map((x) => x.id)).size).toBe(ASSETS);
      expect(walked.items.every((x) => x.tenantId === a)).toBe(true);
    });

    it('filters by criticality and by text (name, owner, address, tag), wildcards literal', async () => {
      const all = Array.from({ length: ASSETS }, (_, n) => asset(a, n));
      const list = async (filter: { text?: string; criticality?: 'critical' }) => {
        const walked = await walk(
          (p) => t.store.transaction((uow) => uow.forTenant(a).preparation.assets.page(filter, p)),
          (x) => ({ name: x.name.toLowerCase(), id: x.id }),
          7,
        );
        return walked;
      };
      const critical = await list({ criticality: 'critical' });
      expect(critical.total).toBe(all.filter((x) => x.criticality === 'critical').length);
      expect(critical.items.map((x) => x.id).sort()).toEqual(
        all.filter((x) => x.criticality === 'critical').map((x) => x.id),
      );
      // By owner, in any case; "_" is a character here, not LIKE's any-one-character.
      const finance = await list({ text: 'finance_it' });
      expect(finance.items.map((x) => x.id).sort()).toEqual(
        all.filter((x) => x.owner === 'Finance_IT').map((x) => x.id),
      );
      expect((await list({ text: 'host_0' })).items).toHaveLength(0);
      expect((await list({ text: 'finance%' })).items).toHaveLength(0);
      const pci = await list({ text: 'PCI', criticality: 'critical' });
      expect(pci.items.map((x) => x.id).sort()).toEqual(
        all.filter((x) => x.tags.includes('pci') && x.criticality === 'critical').map((x) => x.id),
      );
      const byAddress = await list({ text: '198.18.0.42' });
      expect(byAddress.items.map((x) => x.addresses[0])).toEqual(['198.18.0.42']);
      const other = await t.store.transaction((uow) =>
        uow.forTenant(b).preparation.assets.page({ text: 'host' }, { limit: 50 }),
      );
      expect(other.items.map((x) => x.tenantId)).toEqual([b]);
    });

    it('walks agents by hostname with the totals counted', async () => {
      const walked = await walk(
        (page) => t.store.transaction((uow) => uow.forTenant(a).containment.agents.page(page)),
        (x) => ({ name: x.identity.hostname, id: x.agentId }),
        8,
      );
      expect(walked.total).toBe(AGENTS);
      expect(new Set(walked.items.map((x) => x.agentId)).size).toBe(AGENTS);
      const keys = walked.items.map((x) => `${x.identity.hostname} ${x.agentId}`);
      expect(keys).toEqual([...keys].sort());
      const first = await t.store.transaction((uow) =>
        uow.forTenant(a).containment.agents.page({ limit: 5 }),
      );
      expect(first.items).toHaveLength(5);
      expect(first.total).toBe(AGENTS);
      expect(first.totalIsLowerBound).toBe(false);
      expect(first.online).toBe(
        Array.from({ length: AGENTS }, (_, n) => n).filter((n) => n % 4 === 0).length,
      );
      const theirs = await t.store.transaction((uow) =>
        uow.forTenant(b).containment.agents.page({ limit: 50 }),
      );
      expect(theirs.items.map((x) => x.tenantId)).toEqual([b]);
      expect(theirs.total).toBe(1);
    });
  });
}
