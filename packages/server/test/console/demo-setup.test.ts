/**
 * The demo (`cordon demo`, `cordon serve --demo`) on a fresh store, both dialects: the set-up
 * replays our generated attack through the ingestion pipeline and live detection, and then,
 * signed in as the demo user with the password it printed, the API shows a tenant marked as
 * demo data with documented assets, a readiness score, alerts raised by detection and
 * incidents in at least three phases; a second run adds nothing and prints no password.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSetup } from '../../src/index.ts';
import { DEMO_TENANT_NAME, setUpDemo } from '../../src/index.ts';
import type { TestServer } from '../test-server.ts';
import { startTestServer } from '../test-server.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`the demo tenant (${dialect})`, () => {
    let t: TestServer;
    let first: DemoSetup;
    let cookie: string;
    let csrf: string;
    beforeAll(async () => {
      t = await startTestServer(dialect);
      first = await setUpDemo(t.server);
    }, 180_000);
    afterAll(async () => t?.dispose());

    const get = async <T>(url: string): Promise<T> => {
      const response = await t.server.app.inject({ method: 'GET', url, headers: { cookie } });
      expect(response.statusCode, url).toBe(200);
      return response.json<T>();
    };

    it('signs the demo user in with the password printed once', async () => {
      expect(first.kind).toBe('created');
      if (first.kind !== 'created') return;
      expect(first.password).toMatch(/^.{24}$/);
      const login = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: first.email, password: first.password },
      });
      expect(login.statusCode).toBe(200);
      cookie = login.headers['set-cookie']!.toString().split(';')[0]!;
      csrf = login.json<{ csrfToken: string }>().csrfToken;
    });

    it('shows a demo tenant with assets, readiness, alerts from detection, incidents in several phases', async () => {
      const overview = await get<{
        tenants: {
          tenantId: string;
          tenantName: string;
          demo: boolean;
          incidents: { open: number; byPhase: Record<string, number> };
          alerts: { awaitingTriage: number };
          readiness: { score: number } | null;
        }[];
      }>('/api/v1/overview');
      expect(overview.tenants).toHaveLength(1);
      const demo = overview.tenants[0]!;
      expect(demo).toMatchObject({
        tenantId: first.tenantId,
        tenantName: DEMO_TENANT_NAME,
        demo: true,
      });
      expect(demo.incidents.open).toBe(4);
      const phases = Object.entries(demo.incidents.byPhase).filter(([, n]) => n > 0);
      expect(phases.map(([p]) => p).sort()).toEqual([
        'analysed',
        'contained',
        'detected',
        'identified',
      ]);
      expect(demo.readiness?.score).toBeGreaterThan(50);

      const base = `/api/v1/tenants/${first.tenantId}`;
      const { items: assets } = await get<{
        items: { name: string; redundancyGroup: string | null }[];
      }>(`${base}/assets?limit=200`);
      expect(assets.length).toBe(11);
      expect(assets.filter((a) => a.redundancyGroup === 'dc')).toHaveLength(2);
      const functions = await get<unknown[]>(`${base}/functions`);
      expect(functions).toHaveLength(3);

      const alerts = await get<{
        total: number;
        items: { ruleTitle: string; incidentId: string | null }[];
      }>(`${base}/alerts?limit=100`);
      const titles = new Set(alerts.items.map((a) => a.ruleTitle));
      for (const title of [
        'SSH Brute Force Against a Host',
        'Windows Logon Brute Force Against an Account',
        'Password Spraying From One Source',
        'Encoded PowerShell Command Line (demo rule)',
        'LSASS Opened With Full Access (demo rule)',
      ])
        expect(titles, title).toContain(title);
      expect(alerts.items.every((a) => a.incidentId !== null)).toBe(true);

      const events = await t.server.app.inject({
        method: 'POST',
        url: `${base}/events/search`,
        headers: { cookie, 'x-csrf-token': csrf },
        payload: { query: 'host.name:ws-fin-07' },
      });
      expect(events.statusCode).toBe(200);
      expect(events.json<{ total: number }>().total).toBeGreaterThanOrEqual(15);
    });

    it('a second run adds nothing and prints no password', async () => {
      const again = await setUpDemo(t.server);
      expect(again).toEqual({
        kind: 'existing',
        tenantId: first.tenantId,
        email: 'demo@cordon.local',
      });
      const overview = await get<{ tenants: { incidents: { open: number } }[] }>(
        '/api/v1/overview',
      );
      expect(overview.tenants).toHaveLength(1);
      expect(overview.tenants[0]!.incidents.open).toBe(4);
      const tenants = await t.server.services.access.listTenants({ kind: 'system', name: 'test' });
      expect(tenants.filter((x) => x.name === DEMO_TENANT_NAME)).toHaveLength(1);
    });
  });
}
