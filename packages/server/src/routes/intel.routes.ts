/**
 * Threat-intel exchange over HTTP. Watchlists of a tenant under
 * `/api/v1/tenants/{tenantId}/watchlists`, platform-wide ones (platform admins) under
 * `/api/v1/platform/watchlists`, the same operations on both: import (`POST`, a STIX 2.1 bundle
 * or an IOC list as text), list, read, page through indicators, expire, delete. An incident's
 * intelligence: `GET …/incidents/{id}/intel?format=stix|misp` (the document itself).
 */
import type { Watchlist, WatchlistOwner } from '@cordon/core';
import {
  ExpireWatchlistQuery,
  IntelExportQuery,
  PageQuery,
  TenantParams,
  Uuid,
  WatchlistImportRequest,
  WatchlistImportView,
  WatchlistIndicatorView,
  WatchlistView,
  closed,
} from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../http/authentication.ts';
import { pageParams } from '../http/views.ts';
import type { Intel } from '../intel/intel-wiring.ts';
import type { App } from './route-context.ts';

const tags = ['intel'];
/** A bundle or list of up to 32 Mi characters, JSON-escaped, and the request around it. */
const IMPORT_BODY_LIMIT = 40 * 1024 * 1024;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function watchlistView(watchlist: Watchlist, now: number) {
  return {
    id: watchlist.id,
    scope: watchlist.tenantId === null ? ('platform' as const) : ('tenant' as const),
    name: watchlist.name,
    source: watchlist.source,
    description: watchlist.description,
    format: watchlist.format,
    level: watchlist.level,
    indicatorCount: watchlist.indicatorCount,
    contentSha256: watchlist.contentSha256,
    createdBy: watchlist.createdBy,
    createdAt: new Date(watchlist.createdAt).toISOString(),
    expiresAt: iso(watchlist.expiresAt),
    active: watchlist.expiresAt === null || watchlist.expiresAt > now,
  };
}

export function intelRoutes(app: App, intel: Intel): void {
  watchlistRoutes(app, intel, {
    base: '/api/v1/tenants/:tenantId/watchlists',
    params: TenantParams,
    owner: (params) => ({ kind: 'tenant', tenantId: (params as { tenantId: string }).tenantId }),
  });
  watchlistRoutes(app, intel, {
    base: '/api/v1/platform/watchlists',
    params: closed({}),
    owner: () => ({ kind: 'platform' }),
  });
  app.get(
    '/api/v1/tenants/:tenantId/incidents/:incidentId/intel',
    {
      schema: {
        tags,
        params: closed({ tenantId: Uuid, incidentId: Uuid }),
        querystring: IntelExportQuery,
      },
    },
    async (request, reply) => {
      const format = request.query.format ?? 'stix';
      const exported = await intel.exports.export(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        format,
      );
      return reply
        .type(format === 'stix' ? 'application/stix+json;version=2.1' : 'application/json')
        .header('x-content-sha256', exported.sha256)
        .send(JSON.stringify(exported.document));
    },
  );
}

function watchlistRoutes(
  app: App,
  intel: Intel,
  scope: {
    base: string;
    params: ReturnType<typeof closed>;
    owner: (params: unknown) => WatchlistOwner;
  },
): void {
  const { base, owner } = scope;
  const ItemParams = Type.Composite([scope.params, closed({ watchlistId: Uuid })], {
    additionalProperties: false,
  });
  const now = (): number => intel.clock.now();
  app.post(
    base,
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags,
        params: scope.params,
        body: WatchlistImportRequest,
        response: { 201: WatchlistImportView },
      },
    },
    async (request, reply) => {
      const { expiresAt, description, level, ...rest } = request.body;
      const result = await intel.watchlists.import(principalOf(request), owner(request.params), {
        ...rest,
        ...(description === undefined ? {} : { description }),
        ...(level === undefined ? {} : { level }),
        ...(expiresAt ? { expiresAt: Date.parse(expiresAt) } : {}),
      });
      return reply.status(201).send({
        watchlist: watchlistView(result.watchlist, now()),
        rejected: [...result.rejected],
        rejectedCount: result.rejectedCount,
      });
    },
  );
  app.get(
    base,
    { schema: { tags, params: scope.params, response: { 200: Type.Array(WatchlistView) } } },
    async (request) =>
      (await intel.watchlists.list(principalOf(request), owner(request.params))).map((w) =>
        watchlistView(w, now()),
      ),
  );
  app.get(
    `${base}/:watchlistId`,
    { schema: { tags, params: ItemParams, response: { 200: WatchlistView } } },
    async (request) => {
      const { watchlistId } = request.params as { watchlistId: string };
      return watchlistView(
        await intel.watchlists.get(principalOf(request), owner(request.params), watchlistId),
        now(),
      );
    },
  );
  app.get(
    `${base}/:watchlistId/indicators`,
    {
      schema: {
        tags,
        params: ItemParams,
        querystring: closed(PageQuery),
        response: { 200: Type.Array(WatchlistIndicatorView) },
      },
    },
    async (request) => {
      const { watchlistId } = request.params as { watchlistId: string };
      const items = await intel.watchlists.indicators(
        principalOf(request),
        owner(request.params),
        watchlistId,
        pageParams(request.query),
      );
      return items.map((i) => ({ ...i, validUntil: iso(i.validUntil) }));
    },
  );
  app.post(
    `${base}/:watchlistId/expire`,
    {
      schema: {
        tags,
        params: ItemParams,
        querystring: ExpireWatchlistQuery,
        response: { 200: WatchlistView },
      },
    },
    async (request) => {
      const { watchlistId } = request.params as { watchlistId: string };
      const at = request.query.at === undefined ? undefined : Date.parse(request.query.at);
      const updated = await intel.watchlists.expire(
        principalOf(request),
        owner(request.params),
        watchlistId,
        at,
      );
      return watchlistView(updated, now());
    },
  );
  app.delete(
    `${base}/:watchlistId`,
    { schema: { tags, params: ItemParams } },
    async (request, reply) => {
      const { watchlistId } = request.params as { watchlistId: string };
      await intel.watchlists.delete(principalOf(request), owner(request.params), watchlistId);
      return reply.status(204).send();
    },
  );
}
