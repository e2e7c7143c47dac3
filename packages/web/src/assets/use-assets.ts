/**
 * The asset inventory through the API: assets, segments and business functions of a tenant,
 * one asset, its relations and its impact ("what stops if this goes offline"). Keys sit under
 * the tenant's `preparation` prefix, which live asset changes invalidate.
 */
import type { Static } from '@sinclair/typebox';
import type {
  AssetView,
  BusinessFunctionView,
  ImpactView,
  RelationView,
  SegmentView,
} from '@cordon/protocol';
import { keepPreviousData, useInfiniteQuery, useQueries, useQuery } from '@tanstack/react-query';
import type { AssetFilters } from './asset-filters.ts';
import { api, tenantPath } from '../api/api-client.ts';
import type { KeysetPage } from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';

export type Asset = Static<typeof AssetView>;
export type Segment = Static<typeof SegmentView>;
export type BusinessFunction = Static<typeof BusinessFunctionView>;
export type Relation = Static<typeof RelationView>;
export type Impact = Static<typeof ImpactView>;
export type AssetPage = KeysetPage<Asset>;

/** Rows per request; further pages come as the table is scrolled to its end. */
export const ASSET_PAGE = 200;

const assetsKey = (tenantId: string) =>
  [...queryKeys.tenant(tenantId), 'preparation', 'assets'] as const;

/** The inventory filtered server-side, a page at a time (keyset by name). */
export function useAssetPages(tenantId: string, filters: AssetFilters) {
  return useInfiniteQuery({
    queryKey: [...assetsKey(tenantId), 'list', filters],
    queryFn: ({ pageParam }) =>
      api.get<AssetPage>(tenantPath(tenantId, 'assets'), {
        q: filters.text,
        criticality: filters.criticality,
        segment: filters.segment,
        limit: ASSET_PAGE,
        cursor: pageParam,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
}

/** Names of a few assets by id (an asset's neighbours), each its own small request. */
export function useAssetNames(tenantId: string, ids: readonly string[]) {
  return useQueries({
    queries: ids.map((id) => ({
      queryKey: [...assetsKey(tenantId), 'one', id],
      queryFn: () => api.get<Asset>(tenantPath(tenantId, 'assets', id)),
    })),
    combine: (results) =>
      new Map(results.flatMap((r) => (r.data ? [[r.data.id, r.data.name] as const] : []))),
  });
}

export function useSegments(tenantId: string) {
  return useQuery({
    queryKey: [...assetsKey(tenantId), 'segments'],
    queryFn: () => api.get<Segment[]>(tenantPath(tenantId, 'segments')),
  });
}

export function useBusinessFunctions(tenantId: string) {
  return useQuery({
    queryKey: [...assetsKey(tenantId), 'functions'],
    queryFn: () => api.get<BusinessFunction[]>(tenantPath(tenantId, 'functions')),
  });
}

export function useAsset(tenantId: string, assetId: string) {
  return useQuery({
    queryKey: [...assetsKey(tenantId), 'one', assetId],
    queryFn: () => api.get<Asset>(tenantPath(tenantId, 'assets', assetId)),
  });
}

export function useAssetRelations(tenantId: string, assetId: string) {
  return useQuery({
    queryKey: [...assetsKey(tenantId), 'one', assetId, 'relations'],
    queryFn: () => api.get<Relation[]>(tenantPath(tenantId, 'assets', assetId, 'relations')),
  });
}

export function useAssetImpact(tenantId: string, assetId: string) {
  return useQuery({
    queryKey: [...assetsKey(tenantId), 'one', assetId, 'impact'],
    queryFn: () => api.get<Impact>(tenantPath(tenantId, 'assets', assetId, 'impact')),
  });
}
