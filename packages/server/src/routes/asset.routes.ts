/**
 * Network documentation: segments, assets, relations, inventory import/export, the impact of
 * taking an asset offline, and reconciliation with what telemetry sees.
 */
import type { AssetUpdate } from '@cordon/core';
import {
  AssetList,
  AssetView,
  ListAssetsQuery,
  CreateAssetRequest,
  CreateRelationRequest,
  CreateSegmentRequest,
  ExportQuery,
  FindingView,
  FindingsQuery,
  ImpactView,
  ImportAssetsRequest,
  ImportReportView,
  RelationView,
  ResolveFindingRequest,
  SegmentView,
  TenantParams,
  UpdateAssetRequest,
  Uuid,
  closed,
} from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../http/authentication.ts';
import { namePageParams, nextNameCursor } from '../http/page-cursor.ts';
import {
  assetView,
  findingView,
  impactView,
  relationView,
  segmentView,
} from '../http/preparation-views.ts';
import type { App, Services } from './route-context.ts';

const AssetParams = closed({ tenantId: Uuid, assetId: Uuid });
const RelationParams = closed({ tenantId: Uuid, relationId: Uuid });
const tags = ['assets'];

export function assetRoutes(app: App, { preparation }: Services): void {
  const { assets, continuity, reconciliation } = preparation;
  const base = '/api/v1/tenants/:tenantId';

  app.get(
    `${base}/segments`,
    { schema: { tags, params: TenantParams, response: { 200: Type.Array(SegmentView) } } },
    async (request) =>
      (await assets.segments(principalOf(request), request.params.tenantId)).map(segmentView),
  );
  app.post(
    `${base}/segments`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateSegmentRequest,
        response: { 201: SegmentView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          segmentView(
            await assets.createSegment(principalOf(request), request.params.tenantId, request.body),
          ),
        ),
  );

  app.get(
    `${base}/assets`,
    {
      schema: {
        tags,
        params: TenantParams,
        querystring: ListAssetsQuery,
        response: { 200: AssetList },
      },
    },
    async (request) => {
      const { q, criticality, segment } = request.query;
      const params = namePageParams(request.query);
      const page = await assets.page(
        principalOf(request),
        request.params.tenantId,
        {
          ...(q ? { text: q } : {}),
          ...(criticality ? { criticality } : {}),
          ...(segment ? { segmentId: segment } : {}),
        },
        params,
      );
      return {
        total: page.total,
        totalIsLowerBound: page.totalIsLowerBound,
        items: page.items.map(assetView),
        nextCursor: nextNameCursor(page.items, params.limit, (a) => ({
          name: a.name.toLowerCase(),
          id: a.id,
        })),
      };
    },
  );
  app.post(
    `${base}/assets`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateAssetRequest,
        response: { 201: AssetView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          assetView(
            await assets.create(principalOf(request), request.params.tenantId, request.body),
          ),
        ),
  );
  app.get(
    `${base}/assets/:assetId`,
    { schema: { tags, params: AssetParams, response: { 200: AssetView } } },
    async (request) =>
      assetView(
        await assets.get(principalOf(request), request.params.tenantId, request.params.assetId),
      ),
  );
  app.patch(
    `${base}/assets/:assetId`,
    {
      schema: {
        tags,
        params: AssetParams,
        body: UpdateAssetRequest,
        response: { 200: AssetView },
      },
    },
    async (request) =>
      assetView(
        await assets.update(
          principalOf(request),
          request.params.tenantId,
          request.params.assetId,
          request.body as AssetUpdate,
        ),
      ),
  );
  app.post(
    `${base}/assets/:assetId/retire`,
    { schema: { tags, params: AssetParams, response: { 200: AssetView } } },
    async (request) =>
      assetView(
        await assets.retire(principalOf(request), request.params.tenantId, request.params.assetId),
      ),
  );
  app.get(
    `${base}/assets/:assetId/relations`,
    { schema: { tags, params: AssetParams, response: { 200: Type.Array(RelationView) } } },
    async (request) =>
      (
        await assets.relations(
          principalOf(request),
          request.params.tenantId,
          request.params.assetId,
        )
      ).map(relationView),
  );
  app.get(
    `${base}/assets/:assetId/impact`,
    {
      schema: {
        tags,
        summary:
          'What stops, for how long it may, and what an hour costs if the asset goes offline',
        params: AssetParams,
        response: { 200: ImpactView },
      },
    },
    async (request) =>
      impactView(
        await continuity.impact(
          principalOf(request),
          request.params.tenantId,
          request.params.assetId,
        ),
      ),
  );
  app.post(
    `${base}/relations`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateRelationRequest,
        response: { 201: RelationView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          relationView(
            await assets.relate(principalOf(request), request.params.tenantId, request.body),
          ),
        ),
  );
  app.delete(
    `${base}/relations/:relationId`,
    { schema: { tags, params: RelationParams } },
    async (request, reply) => {
      await assets.unrelate(
        principalOf(request),
        request.params.tenantId,
        request.params.relationId,
      );
      return reply.status(204).send();
    },
  );

  app.post(
    `${base}/assets/import`,
    {
      schema: {
        tags,
        summary: 'Import an inventory (CSV or JSON); dryRun reports without changing anything',
        params: TenantParams,
        body: ImportAssetsRequest,
        response: { 200: ImportReportView },
      },
    },
    async (request) => {
      const report = await assets.importInventory(principalOf(request), request.params.tenantId, {
        text: request.body.content,
        format: request.body.format,
        dryRun: request.body.dryRun ?? false,
      });
      return {
        ...report,
        created: [...report.created],
        updated: [...report.updated],
        refused: [...report.refused],
      };
    },
  );
  app.get(
    `${base}/assets/export`,
    { schema: { tags, params: TenantParams, querystring: ExportQuery } },
    async (request, reply) => {
      const format = request.query.format ?? 'csv';
      const text = await assets.exportInventory(
        principalOf(request),
        request.params.tenantId,
        format,
      );
      return reply
        .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json')
        .send(text);
    },
  );

  app.get(
    `${base}/reconciliation`,
    {
      schema: {
        tags,
        params: TenantParams,
        querystring: FindingsQuery,
        response: { 200: Type.Array(FindingView) },
      },
    },
    async (request) =>
      (
        await reconciliation.findings(principalOf(request), request.params.tenantId, {
          ...(request.query.staleDays ? { staleDays: Number(request.query.staleDays) } : {}),
        })
      ).map(findingView),
  );
  app.post(
    `${base}/reconciliation/resolve`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: ResolveFindingRequest,
        response: {
          200: closed({ finding: FindingView, asset: Type.Union([AssetView, Type.Null()]) }),
        },
      },
    },
    async (request) => {
      const { finding, asset } = await reconciliation.resolve(
        principalOf(request),
        request.params.tenantId,
        request.body,
      );
      return { finding: findingView(finding), asset: asset ? assetView(asset) : null };
    },
  );
}
