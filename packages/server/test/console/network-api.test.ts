/**
 * The network map route on both dialects: segments with the count of their (unretired) assets,
 * the drawn assets capped at the limit with the most critical kept, relations only between
 * drawn assets (none to a business function), redundancy groups among them, a segment filter
 * (and `none` for assets outside every segment), and access: a client viewer reads it (as
 * it reads the inventory), another tenant's caller gets nothing, an unknown segment is 404.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';

interface NetworkBody {
  segments: { segment: { id: string; name: string }; assets: number }[];
  unsegmented: number;
  nodes: { id: string; name: string; criticality: string; segmentId: string | null }[];
  relations: { kind: string; fromAssetId: string; toId: string }[];
  redundancyGroups: { name: string; assetIds: string[] }[];
  total: number;
  limit: number;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`network map (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let otherTenant: string;
    let dmz: string;
    let servers: string;
    const ids: Record<string, string> = {};
    let analyst: string;
    beforeAll(async () => {
      t = await startTestServer(dialect);
      const { access } = t.server.services;
      const { assets } = t.server.services.preparation;
      tenantId = (await access.createTenant(system, 'Acme')).id;
      otherTenant = (await access.createTenant(system, 'Other')).id;
      dmz = (
        await assets.createSegment(system, tenantId, {
          name: 'DMZ',
          cidr: '198.51.100.0/24',
          zone: 'dmz',
        })
      ).id;
      servers = (
        await assets.createSegment(system, tenantId, {
          name: 'Servers',
          cidr: '10.1.0.0/16',
          zone: 'server',
        })
      ).id;
      const add = async (
        name: string,
        segmentId: string | null,
        criticality: 'critical' | 'high' | 'medium' | 'low',
        redundancyGroup: string | null = null,
      ) => {
        ids[name] = (
          await assets.create(system, tenantId, {
            name,
            kind: 'server',
            segmentId,
            criticality,
            redundancyGroup,
          })
        ).id;
      };
      await add('web-1', dmz, 'high', 'web');
      await add('web-2', dmz, 'high', 'web');
      await add('db-1', servers, 'critical', 'db');
      await add('db-2', servers, 'critical', 'db');
      await add('print', servers, 'low');
      await add('laptop', null, 'medium');
      await add('old', servers, 'low');
      await assets.retire(system, tenantId, ids['old']!);
      await assets.relate(system, tenantId, {
        kind: 'depends_on',
        fromAssetId: ids['web-1']!,
        toId: ids['db-1']!,
      });
      await assets.relate(system, tenantId, {
        kind: 'depends_on',
        fromAssetId: ids['web-2']!,
        toId: ids['db-1']!,
      });
      await assets.relate(system, tenantId, {
        kind: 'redundant_with',
        fromAssetId: ids['db-1']!,
        toId: ids['db-2']!,
      });
      await assets.relate(system, tenantId, {
        kind: 'depends_on',
        fromAssetId: ids['print']!,
        toId: ids['db-2']!,
      });
      analyst = await t.token(tenantId, 'analyst');
    }, 60_000);
    afterAll(async () => t?.dispose());

    const get = async (query = '', token = analyst, tenant = tenantId) => {
      const response = await t.server.app.inject({
        method: 'GET',
        url: `/api/v1/tenants/${tenant}/network${query}`,
        headers: bearer(token),
      });
      return { status: response.statusCode, body: response.json<NetworkBody>() };
    };
    const names = (body: NetworkBody) => body.nodes.map((n) => n.name);

    it('draws every unretired asset with its relations, segments and redundancy groups', async () => {
      const { status, body } = await get();
      expect(status).toBe(200);
      expect(body.segments.map((s) => [s.segment.name, s.assets])).toEqual([
        ['DMZ', 2],
        ['Servers', 3],
      ]);
      expect(body.unsegmented).toBe(1);
      expect(names(body)).toEqual(['db-1', 'db-2', 'web-1', 'web-2', 'laptop', 'print']);
      expect(body.total).toBe(6);
      expect(body.relations).toHaveLength(4);
      expect(body.redundancyGroups).toEqual([
        { name: 'db', assetIds: [ids['db-1'], ids['db-2']] },
        { name: 'web', assetIds: [ids['web-1'], ids['web-2']] },
      ]);
    });

    it('keeps the most critical within the limit and drops edges to assets left out', async () => {
      const { body } = await get('?limit=3');
      expect(names(body)).toEqual(['db-1', 'db-2', 'web-1']);
      expect(body).toMatchObject({ total: 6, limit: 3 });
      expect(body.relations.map((r) => [r.fromAssetId, r.toId]).sort()).toEqual(
        [
          [ids['db-1'], ids['db-2']],
          [ids['web-1'], ids['db-1']],
        ].sort(),
      );
      expect((await get('?limit=999')).body.limit).toBe(500);
      expect((await get('?limit=5000')).status).toBe(400);
    });

    it('filters by segment, and by none for assets outside every segment', async () => {
      const inDmz = (await get(`?segment=${dmz}`)).body;
      expect(names(inDmz)).toEqual(['web-1', 'web-2']);
      expect(inDmz.relations).toEqual([]);
      expect(inDmz.total).toBe(2);
      expect(names((await get('?segment=none')).body)).toEqual(['laptop']);
      expect(names((await get(`?segment=${servers}`)).body)).toEqual(['db-1', 'db-2', 'print']);
      expect((await get('?segment=00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });

    it('lets a client viewer read it and keeps other tenants out', async () => {
      expect((await get('', await t.token(tenantId, 'client_viewer'))).body.total).toBe(6);
      const outsider = await t.token(otherTenant, 'incident_lead');
      expect((await get('', outsider)).status).toBe(403);
      const theirs = await get('', outsider, otherTenant);
      expect(theirs.status).toBe(200);
      expect(theirs.body.nodes).toEqual([]);
    });
  });
}
