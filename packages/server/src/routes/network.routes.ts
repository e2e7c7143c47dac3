/**
 * The tenant's network for the console's map: segments with their asset counts, up to `limit`
 * assets (default 150, at most 500; the most critical first), the relations between them and
 * their redundancy groups. Read with the preparation permission, like the inventory.
 */
import { NetworkQuery, NetworkView, TenantParams } from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import { relationView, segmentView } from '../http/preparation-views.ts';
import type { App, Services } from './route-context.ts';

const DEFAULT_NODES = 150;

export function networkRoutes(app: App, { preparation: { assets } }: Services): void {
  app.get(
    '/api/v1/tenants/:tenantId/network',
    {
      schema: {
        tags: ['preparation'],
        summary: 'Segments, assets, relations and redundancy groups to draw, bounded',
        params: TenantParams,
        querystring: NetworkQuery,
        response: { 200: NetworkView },
      },
    },
    async (request) => {
      const { segment, limit } = request.query;
      const map = await assets.network(principalOf(request), request.params.tenantId, {
        ...(segment === undefined ? {} : { segmentId: segment === 'none' ? null : segment }),
        limit: Number(limit ?? DEFAULT_NODES),
      });
      return {
        segments: map.segments.map((s) => ({ segment: segmentView(s.segment), assets: s.assets })),
        unsegmented: map.unsegmented,
        nodes: map.nodes.map((a) => ({
          id: a.id,
          name: a.name,
          kind: a.kind,
          criticality: a.criticality,
          segmentId: a.segmentId,
          redundancyGroup: a.redundancyGroup,
          operationalStatus: a.operationalStatus,
        })),
        relations: map.relations.map(relationView),
        redundancyGroups: map.redundancyGroups.map((g) => ({
          name: g.name,
          assetIds: [...g.assetIds],
        })),
        total: map.total,
        limit: map.limit,
      };
    },
  );
}
