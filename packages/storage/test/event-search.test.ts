/**
 * The search language executed for real on both dialects, over a fixture set that exercises
 * every operator: indexed columns, JSON fields (ECS and the source's own), CIDR v4/v6,
 * wildcards, ranges, exists, NOT, precedence, free text; then sort, paging, capped totals,
 * terms and histograms.
 */
import type { EventDocument } from '@cordon/core';
import { newId, parseQuery } from '@cordon/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseIndex } from '../src/events/query-compiler.ts';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const HOUR = 3_600_000;
const BASE = Date.parse('2026-11-20T10:00:00Z');

function fixture(
  name: string,
  hoursAfterBase: number,
  parts: Record<string, unknown>,
): EventDocument {
  const { event, ...rest } = parts as { event?: Record<string, unknown> };
  return {
    fixture: name,
    '@timestamp': new Date(BASE + hoursAfterBase * HOUR).toISOString(),
    event: { kind: 'event', ingested: new Date(BASE + 48 * HOUR).toISOString(), ...event },
    log_source: {},
    fields: {},
    ...rest,
  };
}

const FIXTURES: EventDocument[] = [
  fixture('e1', 0, {
    host: { name: 'web01' },
    user: { name: 'root' },
    source: { ip: '10.1.2.3', port: 52000 },
    destination: { ip: '192.168.1.10' },
    event: { code: '4625', category: ['authentication'], dataset: 'system.auth' },
    message: 'Failed password for root from 10.1.2.3',
    fields: { EventID: 4625, CommandLine: 'sshd -D' },
  }),
  fixture('e2', 1, {
    host: { name: 'web02' },
    user: { name: 'alice' },
    source: { ip: '2001:db8::5', port: 443 },
    event: { code: '4624', category: ['authentication', 'session'], dataset: 'windows.security' },
    message: 'An account was successfully logged on',
    fields: { EventID: '4624', 'id.orig_h': '10.9.9.9' },
  }),
  fixture('e3', 2, {
    host: { name: 'db01' },
    source: { ip: '172.16.0.1', port: 80 },
    event: { code: '4688', category: ['process'], dataset: 'windows.security' },
    process: { command_line: 'powershell.exe -enc AAAA' },
    message: 'Process created',
    related: { ip: ['172.16.0.1', '8.8.8.8'] },
    fields: {
      CommandLine: 'C:\\Windows\\PowerShell.exe -enc AAAA',
      Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    },
  }),
  fixture('e4', 3, {
    host: { name: 'web01' },
    user: { name: 'Administrator' },
    source: { ip: 'fd00:c0d0::10' },
    event: { code: 'alert-1', dataset: 'suricata.eve', original: 'ET SCAN Nmap 50%_done' },
    fields: { userIdentity: { type: 'Root' } },
  }),
  fixture('e5', 14.5, {
    host: { name: 'web01' },
    user: { name: 'root' },
    source: { ip: '10.200.0.1' },
    event: { code: '22', dataset: 'system.auth' },
    tags: ['x'],
    fields: { EventID: 22 },
  }),
];

const CASES: [query: string, expected: string[]][] = [
  ['host.name:web01', ['e1', 'e4', 'e5']],
  ['host:web01 AND user.name:root', ['e1', 'e5']],
  ['host:web01 user:root', ['e1', 'e5']],
  ['host:web01 OR host:db01', ['e1', 'e3', 'e4', 'e5']],
  ['NOT host:web01', ['e2', 'e3']],
  ['NOT user.name:root', ['e2', 'e3', 'e4']],
  ['host:web*', ['e1', 'e2', 'e4', 'e5']],
  ['host:WEB0?', ['e1', 'e2', 'e4', 'e5']],
  ['host:Web01', []],
  ['source.ip:10.0.0.0/8', ['e1', 'e5']],
  ['source.ip:10.1.2.3', ['e1']],
  ['source.ip:10.1.2.0/24 OR source.ip:172.16.0.0/12', ['e1', 'e3']],
  ['source.ip:2001:db8::/32', ['e2']],
  ['source.ip:"2001:db8:0::5"', ['e2']],
  ['source.ip:fd00:c0d0::/64', ['e4']],
  ['source.ip:0.0.0.0/0', ['e1', 'e3', 'e5']],
  ['source.ip:10.*', ['e1', 'e5']],
  ['destination.ip:192.168.0.0/16', ['e1']],
  ['source.ip >= 172.16.0.0 AND source.ip <= 172.31.255.255', ['e3']],
  ['event.code >= 4624', ['e1', 'e2', 'e3']],
  ['event.code >= 4624 AND event.code < 4688', ['e1', 'e2']],
  ['event.code:<=22', ['e5']],
  ['event.code:4625', ['e1']],
  ['event.code:alert*', ['e4']],
  ['event.code:(4624 or 4688)', ['e2', 'e3']],
  ['source.port < 1024', ['e2', 'e3']],
  ['source.port >= 50000', ['e1']],
  ['user.name:*', ['e1', 'e2', 'e4', 'e5']],
  ['NOT user.name:*', ['e3']],
  ['process.command_line:*', ['e3']],
  ['EventID:4625', ['e1']],
  ['EventID:4624', ['e2']],
  ['fields.EventID:22', ['e5']],
  ['EventID >= 4624', ['e1', 'e2']],
  ['EventID:*', ['e1', 'e2', 'e5']],
  ['CommandLine:*powershell*', ['e3']],
  ['CommandLine:"sshd -D"', ['e1']],
  ['Image:*\\\\System32\\\\*', ['e3']],
  ['id.orig_h:10.9.9.9', ['e2']],
  ['userIdentity.type:Root', ['e4']],
  ['event.category:authentication', ['e1', 'e2']],
  ['event.category:session', ['e2']],
  ['event.category:sess*', ['e2']],
  ['related.ip:8.8.8.8', ['e3']],
  ['process.command_line:"powershell.exe -enc AAAA"', ['e3']],
  ['password', ['e1']],
  ['FAILED', ['e1']],
  ['"successfully logged"', ['e2']],
  ['"0%_d"', ['e4']],
  ['"0%x"', []],
  ['nmap and scan', ['e4']],
  ['event.dataset:windows.security AND NOT process.command_line:*', ['e2']],
  ['(host:web01 OR host:web02) AND NOT event.code:4625', ['e2', 'e4', 'e5']],
  ['host:web01 OR host:web02 AND NOT event.code:4624', ['e1', 'e4', 'e5']],
  ['@timestamp >= "2026-11-20T11:00:00Z"', ['e2', 'e3', 'e4', 'e5']],
  ['@timestamp:2026-11-21', ['e5']],
  ['tags:x', ['e5']],
  ['', ['e1', 'e2', 'e3', 'e4', 'e5']],
];

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`event search (${dialect})`, () => {
    let t: TestStore;
    let tenant: string;
    let other: string;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      tenant = newId();
      other = newId();
      await t.store.transaction(async (uow) => {
        await uow.tenants.insert({ id: tenant, name: 'A', createdAt: 0 });
        await uow.tenants.insert({ id: other, name: 'B', createdAt: 0 });
      });
      await t.store.events.appendBatch(tenant, { batchId: 'fixtures', events: FIXTURES });
      // Another tenant's look-alike must never show up.
      await t.store.events.appendBatch(other, { batchId: 'fixtures', events: FIXTURES });
    });
    afterAll(async () => t.dispose());

    const names = async (query: string): Promise<string[]> => {
      const result = await t.store.events.search(tenant, {
        query: parseQuery(query),
        limit: 100,
      });
      return result.events.map((e) => String(e.event['fixture'])).sort();
    };

    for (const [query, expected] of CASES) {
      it(`${query || '(empty)'} → ${expected.join(', ') || 'nothing'}`, async () => {
        expect(await names(query)).toEqual(expected);
      });
    }

    it('explains values a field cannot hold, with the position', async () => {
      const run = (q: string) => t.store.events.search(tenant, { query: parseQuery(q), limit: 1 });
      await expect(run('host:x OR source.ip:web01')).rejects.toThrow(
        "'web01' is not an IP address or CIDR block for source.ip at 11",
      );
      await expect(run('event.code > abc')).rejects.toThrow(
        "a range on event.code needs an integer, not 'abc', at 1",
      );
      await expect(run('@timestamp > yesterday')).rejects.toThrow(
        "'yesterday' is not a time for @timestamp at 1",
      );
    });

    it('sorts, pages, bounds the total and filters by time', async () => {
      const events = t.store.events;
      const desc = await events.search(tenant, { limit: 2, offset: 1 });
      expect(desc.events.map((e) => e.event['fixture'])).toEqual(['e4', 'e3']);
      expect(desc).toMatchObject({ total: 5, totalIsLowerBound: false });
      // A query through a column index takes the other plan on SQLite: same order, same pages.
      const byHost = await events.search(tenant, {
        query: parseQuery('host:web01 OR source.ip:172.16.0.0/12'),
        limit: 2,
        offset: 1,
      });
      expect(byHost.events.map((e) => e.event['fixture'])).toEqual(['e4', 'e3']);
      expect(byHost.total).toBe(4);
      const byHostAsc = await events.search(tenant, {
        query: parseQuery('host:web01'),
        limit: 2,
        sort: 'asc',
      });
      expect(byHostAsc.events.map((e) => e.event['fixture'])).toEqual(['e1', 'e4']);
      const asc = await events.search(tenant, { limit: 2, sort: 'asc' });
      expect(asc.events.map((e) => e.event['fixture'])).toEqual(['e1', 'e2']);
      const capped = await events.search(tenant, { limit: 1, countLimit: 3 });
      expect(capped).toMatchObject({ total: 3, totalIsLowerBound: true });
      const window = await events.search(tenant, {
        from: BASE + HOUR,
        to: BASE + 3 * HOUR,
        limit: 10,
      });
      expect(window.events.map((e) => e.event['fixture'])).toEqual(['e3', 'e2']);
      expect(
        await events.count(tenant, { query: parseQuery('host:web01'), to: BASE + 5 * HOUR }),
      ).toBe(2);
    });

    it('counts by field: columns, addresses and JSON fields', async () => {
      const events = t.store.events;
      expect(await events.terms(tenant, { field: 'host.name', size: 2 })).toEqual([
        { value: 'web01', count: 3 },
        { value: 'db01', count: 1 },
      ]);
      expect(
        await events.terms(tenant, {
          field: 'source.ip',
          size: 10,
          query: parseQuery('source.ip:10.0.0.0/8'),
        }),
      ).toEqual([
        { value: '10.1.2.3', count: 1 },
        { value: '10.200.0.1', count: 1 },
      ]);
      const users = await events.terms(tenant, { field: 'user', size: 10 });
      expect(users[0]).toEqual({ value: 'root', count: 2 });
      const ids = await events.terms(tenant, { field: 'EventID', size: 10 });
      expect(ids.map((x) => String(x.value)).sort()).toEqual(['22', '4624', '4625']);
    });

    it('draws a histogram with a given or automatic interval', async () => {
      const events = t.store.events;
      const hourly = await events.histogram(tenant, {
        intervalMs: HOUR,
        query: parseQuery('host:web01'),
      });
      expect(hourly).toEqual({
        intervalMs: HOUR,
        buckets: [
          { start: BASE, count: 1 },
          { start: BASE + 3 * HOUR, count: 1 },
          { start: BASE + 14 * HOUR, count: 1 },
        ],
      });
      const auto = await events.histogram(tenant, { from: BASE, to: BASE + 24 * HOUR });
      expect(auto.intervalMs).toBe(HOUR / 2);
      expect(auto.buckets.reduce((n, b) => n + b.count, 0)).toBe(5);
    });
  });
}

describe('chooseIndex (the SQLite plan)', () => {
  const choose = (q: string) => chooseIndex(parseQuery(q)!);
  it('prefers exact addresses and users, then hosts, then CIDR blocks, then codes', () => {
    expect(choose('host:a and event.code:4625')).toEqual({ index: 'events_host', range: false });
    expect(choose('event.code:4625 and source.ip:10.0.0.0/8')).toEqual({
      index: 'events_source_ip',
      range: true,
    });
    expect(choose('event.code:4625 and message:x')).toEqual({
      index: 'events_event_code',
      range: false,
    });
    expect(choose('source.ip:10.0.0.0/8 and message:x')).toEqual({
      index: 'events_source_ip',
      range: true,
    });
    expect(choose('host:a and user:b and destination.ip:10.1.2.3')).toEqual({
      index: 'events_destination_ip',
      range: false,
    });
  });
  it('leaves patterns, negations, alternatives and JSON fields to SQLite', () => {
    expect(choose('(user:a or user:b) and not event.code:1')).toEqual({
      index: 'events_user_name',
      range: false,
    });
    for (const q of ['host:a*', 'not host:a', 'host:a or user:b', 'EventID:4624', 'failed'])
      expect(choose(q), q).toBeUndefined();
  });
});
