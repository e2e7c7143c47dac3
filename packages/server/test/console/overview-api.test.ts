/**
 * The console's API on both dialects: the tenant and MSSP overviews count what the store
 * holds (open incidents by phase and severity, alerts awaiting triage, actions awaiting
 * approval, agents, the last readiness score), the incident list and the alert queue page by
 * cursor through every match once, and access holds: tenant B's token gets nothing of A, a
 * user's MSSP overview holds exactly the tenants they are a member of, a client viewer sees
 * its own tenant only, and a forged cursor is refused with a stable code.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { bulkLoad, consoleLoad } from '@cordon/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';

const NOW = Date.now();

interface Page {
  total: number;
  totalIsLowerBound: boolean;
  items: { id: string }[];
  nextCursor: string | null;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`console overview and paging (${dialect})`, () => {
    let t: TestServer;
    let a: string;
    let b: string;
    let c: string;
    let load: ReturnType<typeof consoleLoad>;
    const tokens: Record<string, string> = {};
    beforeAll(async () => {
      t = await startTestServer(dialect);
      const { access } = t.server.services;
      a = (await access.createTenant(system, 'Tenant A')).id;
      b = (await access.createTenant(system, 'Tenant B')).id;
      c = (await access.createTenant(system, 'Tenant C')).id;
      load = consoleLoad({ tenantId: a, incidents: 120, alerts: 700, now: NOW });
      await bulkLoad(t.server.store, a, load);
      await bulkLoad(
        t.server.store,
        b,
        consoleLoad({ tenantId: b, incidents: 9, alerts: 30, now: NOW, firstNumber: 0 }),
      );
      await t.server.services.preparation.readiness.record(system, a);
      tokens['aAnalyst'] = await t.token(a, 'analyst');
      tokens['aViewer'] = await t.token(a, 'client_viewer');
      tokens['bAnalyst'] = await t.token(b, 'analyst');
      for (const tenantId of [a, c])
        await access.createUser(system, {
          email: 'mssp-analyst@example.com',
          password: 'a long enough password',
          role: 'analyst',
          tenantId,
        });
    }, 120_000);
    afterAll(async () => t?.dispose());

    const get = async (url: string, token: string) => {
      const response = await t.server.app.inject({ method: 'GET', url, headers: bearer(token) });
      return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
    };

    it("a tenant's overview: open incidents by phase and severity, alerts awaiting triage, readiness", async () => {
      const { status, body } = await get(`/api/v1/tenants/${a}/overview`, tokens['aAnalyst']!);
      expect(status).toBe(200);
      const open = load.incidents.filter((i) => i.phase !== 'closed');
      const byPhase: Record<string, number> = {};
      const bySeverity: Record<string, number> = { low: 0, medium: 0, high: 0, critical: 0 };
      for (const i of open) {
        byPhase[i.phase] = (byPhase[i.phase] ?? 0) + 1;
        bySeverity[i.severity] = bySeverity[i.severity]! + 1;
      }
      expect(body).toMatchObject({
        tenantId: a,
        tenantName: 'Tenant A',
        demo: false,
        incidents: { open: open.length, byPhase, bySeverity },
        alerts: {
          awaitingTriage: load.alerts.filter((x) => x.status === 'open').length,
          awaitingTriageIsLowerBound: false,
        },
        actions: { awaitingApproval: 0 },
        agents: { total: 0, offline: 0 },
      });
      expect(body['readiness']).toMatchObject({ score: expect.any(Number) as number });
      // The client viewer reads its own tenant's overview; B's token gets nothing of A.
      expect((await get(`/api/v1/tenants/${a}/overview`, tokens['aViewer']!)).status).toBe(200);
      const denied = await get(`/api/v1/tenants/${a}/overview`, tokens['bAnalyst']!);
      expect(denied.status).toBe(403);
      expect(JSON.stringify(denied.body)).not.toContain('Tenant A');
    });

    it('the MSSP overview holds exactly the tenants the caller may see, with totals', async () => {
      const admin = await t.server.app.inject({
        method: 'GET',
        url: '/api/v1/overview',
        headers: bearer(await t.token(b, 'analyst')),
      });
      const onlyB = admin.json<{ tenants: { tenantId: string }[]; totals: { tenants: number } }>();
      expect(onlyB.tenants.map((x) => x.tenantId)).toEqual([b]);
      expect(JSON.stringify(onlyB)).not.toContain(a);

      const viewer = (await get('/api/v1/overview', tokens['aViewer']!)).body as {
        tenants: { tenantId: string }[];
      };
      expect(viewer.tenants.map((x) => x.tenantId)).toEqual([a]);

      const login = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'mssp-analyst@example.com', password: 'a long enough password' },
      });
      expect(login.statusCode).toBe(200);
      const cookie = login.headers['set-cookie']!.toString().split(';')[0]!;
      const mine = await t.server.app.inject({
        method: 'GET',
        url: '/api/v1/overview',
        headers: { cookie },
      });
      const body = mine.json<{
        tenants: { tenantId: string; incidents: { open: number } }[];
        totals: { tenants: number; openIncidents: number };
      }>();
      expect(body.tenants.map((x) => x.tenantId)).toEqual([a, c]);
      expect(body.totals).toMatchObject({
        tenants: 2,
        openIncidents: load.incidents.filter((i) => i.phase !== 'closed').length,
      });
    });

    it('pages the incident list by cursor: all once, newest first, filter kept', async () => {
      const walk = async (query: string) => {
        const ids: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const url = `/api/v1/tenants/${a}/incidents?limit=13${query}${cursor ? `&cursor=${cursor}` : ''}`;
          const { status, body } = await get(url, tokens['aViewer']!);
          expect(status).toBe(200);
          const page = body as unknown as Page;
          ids.push(...page.items.map((i) => i.id));
          cursor = page.nextCursor;
          pages++;
        } while (cursor !== null && pages < 100);
        return ids;
      };
      const order = [...load.incidents].sort(
        (x, y) => y.createdAt - x.createdAt || y.number - x.number,
      );
      expect(await walk('')).toEqual(order.map((i) => i.id));
      expect(await walk('&phase=analysed')).toEqual(
        order.filter((i) => i.phase === 'analysed').map((i) => i.id),
      );
      const first = (await get(`/api/v1/tenants/${a}/incidents?limit=5`, tokens['aAnalyst']!))
        .body as unknown as Page;
      expect(first).toMatchObject({ total: 120, totalIsLowerBound: false });
      // B's token with A's tenant: nothing; B's own list holds only B's incidents.
      expect((await get(`/api/v1/tenants/${a}/incidents`, tokens['bAnalyst']!)).status).toBe(403);
      const own = (await get(`/api/v1/tenants/${b}/incidents?limit=100`, tokens['bAnalyst']!))
        .body as unknown as Page;
      expect(own.total).toBe(9);
      const aIds = new Set(load.incidents.map((i) => i.id));
      expect(own.items.some((i) => aIds.has(i.id))).toBe(false);
    });

    it('pages the alert queue by cursor with filters; refuses forged cursors and cursor+offset', async () => {
      const ids: string[] = [];
      let cursor: string | null = null;
      do {
        const { body } = await get(
          `/api/v1/tenants/${a}/alerts?status=open&limit=25${cursor ? `&cursor=${cursor}` : ''}`,
          tokens['aAnalyst']!,
        );
        const page = body as unknown as Page;
        ids.push(...page.items.map((x) => x.id));
        cursor = page.nextCursor;
      } while (cursor !== null);
      const expected = load.alerts
        .filter((x) => x.status === 'open')
        .sort((x, y) => y.lastSeen - x.lastSeen || (x.id < y.id ? -1 : 1))
        .map((x) => x.id);
      expect(ids).toEqual(expected);

      const byUser = (
        await get(
          `/api/v1/tenants/${a}/alerts?user=USER7&level=high&limit=1000`,
          tokens['aAnalyst']!,
        )
      ).body as unknown as Page;
      expect(byUser.items.map((x) => x.id).sort()).toEqual(
        load.alerts
          .filter((x) => x.entities.users[0] === 'user7' && x.level === 'high')
          .map((x) => x.id)
          .sort(),
      );
      expect(byUser.total).toBe(byUser.items.length);

      for (const bad of ['bm90LWEtY3Vyc29y', 'MTIzLiciOyBkcm9wIHRhYmxl', 'x']) {
        const response = await get(
          `/api/v1/tenants/${a}/alerts?cursor=${bad}`,
          tokens['aAnalyst']!,
        );
        expect(response.status).toBe(400);
        expect(response.body).toMatchObject({ error: { code: 'invalid_input' } });
      }
      const first = (await get(`/api/v1/tenants/${a}/alerts?limit=2`, tokens['aAnalyst']!))
        .body as unknown as Page;
      const both = await get(
        `/api/v1/tenants/${a}/alerts?limit=2&offset=2&cursor=${first.nextCursor}`,
        tokens['aAnalyst']!,
      );
      expect(both.status).toBe(400);
    });
  });
}
