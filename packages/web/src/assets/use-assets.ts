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
import { useQuery } from '@tanstack/react-query';
import { api, tenantPath } from '../api/api-client.ts';
import { queryKeys } from '../api/query-keys.ts';

export type Asset = Static<typeof AssetView>;
export type Segment = Static<typeof SegmentView>;
export type BusinessFunction = Static<typeof BusinessFunctionView>;
export type Relation = Static<typeof RelationView>;
export type Impact = Static<typeof ImpactView>;

const assetsKey = (tenantId: string) =>
  [...queryKeys.tenant(tenantId), 'preparation', 'assets'] as const;

export function useAssets(tenantId: string) {
  return useQuery({
    queryKey: [...assetsKey(tenantId), 'list'],
    queryFn: () => api.get<Asset[]>(tenantPath(tenantId, 'assets')),
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
