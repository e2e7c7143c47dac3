/**
 * The asset inventory and the agent list over HTTP, on both dialects: pages by `limit` and the
 * answer's `nextCursor` walk every item once in name order, with totals; the inventory's
 * filters (text, criticality) apply on the server; a cursor the server did not issue is a
 * 400 `invalid_input`, not a crash or an empty page.
 */
import { generateKeyPairSync } from 'node:crypto';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

const NAMES = ['web-03', 'DB-01', 'web-01', 'app-02', 'db-02', 'Mail-01', 'app-01'];

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`paging by name over HTTP (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let lead: string;
    let viewer: string;
    const base = () => `/api/v1/tenants/${tenantId}`;
    const call = async (method: 'GET' | 'POST', url: string, token: string, payload?: object) => {
      const response = await t.server.app.inject({
        method,
        url,
        headers: bearer(token),
        ...(payload === undefined ? {} : { payload }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
      return { status: response.statusCode, body: response.json<Record<string, any>>() };
    };
    const walk = async (path: string, limit: number) => {
      const items: Record<string, unknown>[] = [];
      let cursor: string | null = null;
      let pages = 0;
      let total: number;
      do {
        const sep = path.includes('?') ? '&' : '?';
        const page = await call(
          'GET',
          `${path}${sep}limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
          viewer,
        );
        expect(page.status).toBe(200);
        items.push(...(page.body.items as Record<string, unknown>[]));
        cursor = page.body.nextCursor as string | null;
        total = page.body.total as number;
        pages++;
      } while (cursor !== null && pages < 50);
      return { items, pages, total };
    };

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      lead = await t.token(tenantId, 'incident_lead');
      viewer = await t.token(tenantId, 'client_viewer');
      for (const [i, name] of NAMES.entries()) {
        const created = await call('POST', `${base()}/assets`, lead, {
          name,
          kind: 'server',
          criticality: i % 2 === 0 ? 'critical' : 'low',
          owner: name.startsWith('web') ? 'Web team' : 'Ops',
        });
        expect(created.status).toBe(201);
      }
      for (const hostname of ['ws-02', 'ws-01', 'ws-03']) {
        const issued = await call('POST', `${base()}/agents/enrolment-tokens`, lead, {});
        const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
        const enrolled = await t.server.app.inject({
          method: 'POST',
          url: '/api/v1/agents/enrol',
          payload: {
            token: issued.body.token as string,
            publicKey,
            facts: {
              hostname,
              os: { platform: 'linux', release: '6.1' },
              addresses: { v4: ['192.0.2.20'], v6: [] },
              agentVersion: '0.1.0',
              isolated: false,
            },
          },
        });
        expect(enrolled.statusCode).toBe(201);
      }
    });
    afterAll(async () => t.dispose());

    it('walks the inventory by cursor in name order, any case', async () => {
      const walked = await walk(`${base()}/assets`, 3);
      expect(walked.pages).toBe(3);
      expect(walked.total).toBe(NAMES.length);
      expect(walked.items.map((a) => a['name'])).toEqual(
        [...NAMES].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())),
      );
    });

    it('filters the inventory on the server', async () => {
      const critical = await walk(`${base()}/assets?criticality=critical`, 2);
      expect(critical.total).toBe(4);
      expect(critical.items.map((a) => a['name'])).toEqual(['app-01', 'db-02', 'web-01', 'web-03']);
      const web = await walk(`${base()}/assets?q=WEB%20TEAM`, 50);
      expect(web.items.map((a) => a['name'])).toEqual(['web-01', 'web-03']);
      const none = await call('GET', `${base()}/assets?q=${encodeURIComponent('%')}`, viewer);
      expect(none.body).toMatchObject({ total: 0, items: [], nextCursor: null });
    });

    it('walks agents by hostname, with the total and the online count', async () => {
      const walked = await walk(`${base()}/agents`, 2);
      expect(walked.items.map((a) => a['hostname'])).toEqual(['ws-01', 'ws-02', 'ws-03']);
      const first = await call('GET', `${base()}/agents?limit=2`, viewer);
      expect(first.body).toMatchObject({ total: 3, totalIsLowerBound: false, online: 0 });
    });

    it('refuses a cursor it did not issue', async () => {
      for (const cursor of ['bm90LWpzb24', Buffer.from('["a",3]').toString('base64url')]) {
        for (const list of ['assets', 'agents']) {
          const answer = await call('GET', `${base()}/${list}?cursor=${cursor}`, viewer);
          expect(answer.status).toBe(400);
          expect(answer.body.error.code).toBe('invalid_input');
        }
      }
    });
  });
}
