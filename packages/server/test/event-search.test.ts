/** Event search and dead letters over the API, on both dialects. */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 27, 8, minute)).toISOString();

const sshd = (minute: number, user: string, ip: string, outcome: 'success' | 'failure') => ({
  '@timestamp': at(minute),
  event: { kind: 'event', dataset: 'system.auth', outcome, ingested: at(minute) },
  message: `${outcome === 'failure' ? 'Failed' : 'Accepted'} password for ${user} from ${ip} port 22 ssh2`,
  host: { name: 'bastion' },
  user: { name: user },
  source: { ip },
  log_source: { product: 'linux', service: 'sshd' },
  fields: { program: 'sshd' },
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`event search API (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let analyst: Record<string, string>;
    let viewer: Record<string, string>;
    let ids: readonly string[];
    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      analyst = bearer(await t.token(tenantId, 'analyst'));
      viewer = bearer(await t.token(tenantId, 'client_viewer'));
      const events = [
        ...Array.from({ length: 12 }, (_, i) => sshd(i, 'root', '203.0.113.7', 'failure')),
        sshd(20, 'alice', '10.0.0.5', 'success'),
        sshd(21, 'bob', '2001:db8::9', 'failure'),
      ];
      ids = (await t.server.store.events.appendBatch(tenantId, { batchId: 'seed', events })).ids;
    });
    afterAll(async () => t.dispose());

    const post = (url: string, headers: Record<string, string>, payload: object) =>
      t.server.app.inject({
        method: 'POST',
        url: `/api/v1/tenants/${tenantId}${url}`,
        headers,
        payload,
      });
    const get = (url: string, headers: Record<string, string>) =>
      t.server.app.inject({ method: 'GET', url: `/api/v1/tenants/${tenantId}${url}`, headers });

    it('searches with a query, a time range, sort and paging', async () => {
      const response = await post('/events/search', analyst, {
        query: 'source.ip:203.0.113.0/24 and event.outcome:failure',
        from: at(2),
        to: at(30),
        sort: 'asc',
        limit: 3,
        offset: 1,
      });
      expect(response.statusCode, response.body).toBe(200);
      const body = response.json<{
        total: number;
        totalIsLowerBound: boolean;
        events: { id: string; timestamp: string; event: { user: { name: string } } }[];
      }>();
      expect(body.total).toBe(10);
      expect(body.totalIsLowerBound).toBe(false);
      expect(body.events.map((e) => e.timestamp)).toEqual([at(3), at(4), at(5)]);
      expect(body.events[0]!.event.user.name).toBe('root');
    });

    it('lets a client viewer read, and answers a bad query with where it went wrong', async () => {
      const ok = await post('/events/search', viewer, { query: 'user:alice OR user:bob' });
      expect(ok.json<{ total: number }>().total).toBe(2);
      const bad = await post('/events/search', analyst, { query: 'user:alice OR (user:bob))' });
      expect(bad.statusCode).toBe(400);
      expect(bad.json()).toEqual({
        error: {
          code: 'invalid_input',
          message: "unexpected ')' at 25",
          details: { position: 25 },
        },
      });
      const range = await post('/events/search', analyst, { from: at(5), to: at(1) });
      expect(range.statusCode).toBe(400);
      const tooMany = await post('/events/search', analyst, { limit: 5000 });
      expect(tooMany.statusCode).toBe(400);
    });

    describe('issue 13 item 9: deep and long queries answer 400 with a column, not 500', () => {
      const hostile: readonly [string, string][] = [
        ['thousands of parentheses', `${'('.repeat(3000)}user:root${')'.repeat(3000)}`],
        ['thousands of not', `${'not '.repeat(2400)}user:root`],
        ['parentheses and not, alternating', `${'not ('.repeat(1500)}user:root${')'.repeat(1500)}`],
        ['thousands of terms', Array.from({ length: 2500 }, (_, i) => `u${i % 10}`).join(' ')],
        ['a field name ending in a backslash', 'fields.program\\\\:sshd'],
        ['a backslash inside a field name', 'program\\\\x:sshd'],
      ];
      for (const [what, query] of hostile) {
        it(`answers 400 to ${what}`, async () => {
          for (const url of ['/events/search', '/events/count', '/events/histogram']) {
            const body = url === '/events/histogram' ? { query, interval: '1m' } : { query };
            const response = await post(url, analyst, body);
            expect(response.statusCode, `${url}: ${response.body.slice(0, 300)}`).toBe(400);
            const error = response.json<{
              error: { code: string; details: { position: number } };
            }>().error;
            expect(error.code).toBe('invalid_input');
            expect(error.details.position).toBeGreaterThan(0);
          }
          const terms = await post('/events/terms', analyst, { query, field: 'user.name' });
          expect(terms.statusCode).toBe(400);
        });
      }

      it('names the column where the query went too deep or too long', async () => {
        const deep = await post('/events/search', analyst, {
          query: `${'('.repeat(40)}user:root${')'.repeat(40)}`,
        });
        expect(deep.json()).toMatchObject({
          error: {
            message: expect.stringMatching(/nested too deeply at 33/),
            details: { position: 33 },
          },
        });
        const field = await post('/events/search', analyst, {
          query: 'user:root or program\\\\:sshd',
        });
        expect(field.json()).toMatchObject({
          error: {
            message: expect.stringMatching(/field name .* at 14/),
            details: { position: 14 },
          },
        });
      });

      it('still answers long legitimate queries: 200 and 1000 ORed values, a group of 300', async () => {
        const users = Array.from({ length: 200 }, (_, i) => `user:u${i}`);
        const two = await post('/events/search', analyst, {
          query: [...users, 'user:alice'].join(' or '),
        });
        expect(two.statusCode, two.body.slice(0, 300)).toBe(200);
        expect(two.json<{ total: number }>().total).toBe(1);
        const thousand = Array.from({ length: 999 }, (_, i) => `x:${i}`).join(' or ');
        const wide = await post('/events/count', analyst, {
          query: `${thousand} or fields.program:sshd`,
        });
        expect(wide.statusCode, wide.body.slice(0, 300)).toBe(200);
        expect(wide.json<{ count: number }>().count).toBe(14);
        const group = Array.from({ length: 300 }, (_, i) => `${i}`).join(' or ');
        const grouped = await post('/events/count', analyst, {
          query: `not event.code:(${group}) and (user:bob or (user:alice and not (user:root)))`,
        });
        expect(grouped.statusCode, grouped.body.slice(0, 300)).toBe(200);
        expect(grouped.json<{ count: number }>().count).toBe(2);
      });
    });

    it('counts, counts by field and draws a histogram', async () => {
      const count = await post('/events/count', analyst, { query: 'event.outcome:failure' });
      expect(count.json()).toEqual({ count: 13 });
      const terms = await post('/events/terms', analyst, { field: 'source.ip', size: 2 });
      expect(terms.json()).toEqual({
        field: 'source.ip',
        terms: [
          { value: '203.0.113.7', count: 12 },
          { value: '10.0.0.5', count: 1 },
        ],
      });
      const histogram = await post('/events/histogram', analyst, {
        query: 'user:root',
        from: at(0),
        to: at(20),
        interval: '5m',
      });
      expect(histogram.json()).toEqual({
        intervalMs: 300_000,
        buckets: [
          { start: at(0), count: 5 },
          { start: at(5), count: 5 },
          { start: at(10), count: 2 },
        ],
      });
    });

    it('reads one event by id, and 404s on an unknown one', async () => {
      const one = await get(`/events/${ids[12]}`, viewer);
      expect(one.statusCode).toBe(200);
      expect(one.json()).toMatchObject({
        id: ids[12],
        timestamp: at(20),
        event: { user: { name: 'alice' } },
      });
      const missing = await get('/events/00000000-0000-7000-8000-000000000000', analyst);
      expect(missing.statusCode).toBe(404);
    });

    it('keeps retention an administrator decision, journalled', async () => {
      expect((await get('/events/retention', viewer)).json()).toEqual({ days: null });
      const refused = await t.server.app.inject({
        method: 'PUT',
        url: `/api/v1/tenants/${tenantId}/events/retention`,
        headers: analyst,
        payload: { days: 30 },
      });
      expect(refused.statusCode).toBe(403);
      await t.server.services.events.setRetention(system, tenantId, 90);
      expect((await get('/events/retention', analyst)).json()).toEqual({ days: 90 });
      await expect(t.server.services.events.setRetention(system, tenantId, 0)).rejects.toThrow(
        /retention is 1 to 36500 days/,
      );
      const journal = await get('/journal?limit=1000', analyst);
      const entries = journal.json<{ items?: unknown[] } | unknown[]>();
      expect(JSON.stringify(entries)).toContain('"days":90');
    });

    it('lists dead letters and returns their bytes exactly', async () => {
      const raw = Buffer.from([0x3c, 0x31, 0x33, 0x3e, 0xff, 0xfe, 0x00, 0x41, 0x0a]);
      const [id] = await t.server.store.events.addDeadLetters(tenantId, [
        {
          source: 'syslog-udp:5514',
          reason: 'invalid UTF-8',
          code: 'invalid_utf8',
          raw,
          receivedAt: Date.parse(at(40)),
        },
      ]);
      const list = await get('/deadletters?status=pending', viewer);
      expect(list.statusCode).toBe(200);
      expect(list.json()).toMatchObject({
        total: 1,
        items: [
          {
            id,
            source: 'syslog-udp:5514',
            code: 'invalid_utf8',
            size: 9,
            status: 'pending',
            receivedAt: at(40),
          },
        ],
      });
      const one = await get(`/deadletters/${id}`, analyst);
      expect(Buffer.from(one.json<{ raw: string }>().raw, 'base64').equals(raw)).toBe(true);
      expect((await get('/deadletters?status=replayed', analyst)).json()).toEqual({
        total: 0,
        items: [],
      });
      expect(
        (await get('/deadletters/00000000-0000-4000-8000-000000000000', analyst)).statusCode,
      ).toBe(404);
    });
  });
}
