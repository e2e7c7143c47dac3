/** The tenant's network map through the API (`GET …/network`), under the preparation prefix. */
import type { Static } from '@sinclair/typebox';
import type { NetworkView } from '@cordon/protocol';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, tenantPath } from '../api/api-client.ts';
import { queryKeys } from '../api/query-keys.ts';

export type NetworkMap = Static<typeof NetworkView>;
export type NetworkNode = NetworkMap['nodes'][number];

/** How many assets the map draws at most, as offered on the screen. */
export const NODE_LIMITS = [50, 150, 500] as const;
export const DEFAULT_NODE_LIMIT = 150;

export function useNetwork(tenantId: string, segment: string | undefined, limit: number) {
  return useQuery({
    queryKey: [...queryKeys.tenant(tenantId), 'preparation', 'network', { segment, limit }],
    queryFn: () =>
      api.get<NetworkMap>(tenantPath(tenantId, 'network'), {
        limit,
        ...(segment ? { segment } : {}),
      }),
    placeholderData: keepPreviousData,
  });
}
