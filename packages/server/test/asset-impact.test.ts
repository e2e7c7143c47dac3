/**
 * The impact API for a containment decision on a server: the functions that depend on it
 * (directly or through dependent assets), their MTD, the hourly cost, and whether a healthy
 * redundancy peer can carry the load — for a server whose peer is up and one whose peer is down.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`asset impact API (${dialect})`, () => {
    let t: TestServer;
    let token: string;
    let tenantId: string;
    const id: Record<string, string> = {};
    const api = async (method: 'GET' | 'POST' | 'PATCH', path: string, payload?: object) => {
      const response = await t.server.app.inject({
        method,
        url: `/api/v1/tenants/${tenantId}${path}`,
        headers: bearer(token),
        ...(payload ? { payload } : {}),
      });
      return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
    };

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      token = await t.token(tenantId, 'analyst');
      for (const [name, status, group] of [
        ['db01', 'up', 'db'],
        ['db02', 'up', 'db'],
        ['erp01', 'up', 'erp'],
        ['erp02', 'down', 'erp'],
        ['web01', 'up', null],
      ] as const) {
        const created = await api('POST', '/assets', {
          name,
          kind: 'server',
          criticality: 'critical',
          operationalStatus: status,
          redundancyGroup: group,
        });
        expect(created.status).toBe(201);
        id[name] = created.body['id'] as string;
      }
      // web01 depends on db01; the shop runs on web01, invoicing runs on erp01.
      expect(
        (
          await api('POST', '/relations', {
            kind: 'depends_on',
            fromAssetId: id['web01'],
            toId: id['db01'],
          })
        ).status,
      ).toBe(201);
      const shop = await api('POST', '/functions', {
        name: 'Online shop',
        mtdMinutes: 120,
        costPerHour: 4000,
        assetIds: [id['web01']],
      });
      const invoicing = await api('POST', '/functions', {
        name: 'Invoicing',
        mtdMinutes: 1440,
        costPerHour: 250,
        assetIds: [id['erp01']],
      });
      expect([shop.status, invoicing.status]).toEqual([201, 201]);
      id['shop'] = shop.body['id'] as string;
      id['invoicing'] = invoicing.body['id'] as string;
    });
    afterAll(async () => t.dispose());

    it('a server whose peer is healthy: functions listed, nothing stops, no cost', async () => {
      const { status, body } = await api('GET', `/assets/${id['db01']}/impact`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        peers: [{ assetId: id['db02'], name: 'db02', healthy: true }],
        peerCanCarryLoad: true,
        dependentAssets: [{ assetId: id['web01'], name: 'web01' }],
        functions: [
          {
            functionId: id['shop'],
            name: 'Online shop',
            mtdMinutes: 120,
            costPerHour: 4000,
            viaAssetId: id['web01'],
            stops: false,
          },
        ],
        shortestMtdMinutes: null,
        costPerHour: 0,
      });
    });

    it('a server whose peer is down: the functions stop, with their MTD and hourly cost', async () => {
      const { body } = await api('GET', `/assets/${id['erp01']}/impact`);
      expect(body).toMatchObject({
        peers: [{ assetId: id['erp02'], healthy: false }],
        peerCanCarryLoad: false,
        functions: [{ name: 'Invoicing', mtdMinutes: 1440, costPerHour: 250, stops: true }],
        shortestMtdMinutes: 1440,
        costPerHour: 250,
      });
    });

    it('follows the peer going down, and recovering', async () => {
      expect(
        (await api('PATCH', `/assets/${id['db02']}`, { operationalStatus: 'down' })).status,
      ).toBe(200);
      expect(await api('GET', `/assets/${id['db01']}/impact`)).toMatchObject({
        body: { peerCanCarryLoad: false, shortestMtdMinutes: 120, costPerHour: 4000 },
      });
      await api('PATCH', `/assets/${id['db02']}`, { operationalStatus: 'up' });
      expect(await api('GET', `/assets/${id['db01']}/impact`)).toMatchObject({
        body: { peerCanCarryLoad: true, costPerHour: 0 },
      });
    });

    it('reports the readiness score and keeps its history through the API', async () => {
      const report = await api('GET', '/readiness');
      expect(report.status).toBe(200);
      const gaps = report.body['gaps'] as { id: string; weight: number; remediation: string }[];
      expect(gaps[0]).toMatchObject({ id: 'backups_within_rpo', weight: 15 });
      expect(gaps.every((g) => g.remediation.length > 0)).toBe(true);
      const snapshot = await api('POST', '/readiness/snapshots');
      expect(snapshot.status).toBe(201);
      const history = await t.server.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenantId}/readiness/history`,
        headers: bearer(token),
      });
      expect(history.json<{ score: number }[]>().map((s) => s.score)).toEqual([
        report.body['score'],
      ]);
    });
  });
}
