/** The MSSP overview's data: one server-side summary row per tenant, never the incidents themselves. */
import { keepPreviousData, queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.ts';
import type { Overview } from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';

export const overviewQuery = queryOptions({
  queryKey: queryKeys.overview,
  queryFn: () => api.get<Overview>('/overview'),
});

export function useOverview() {
  return useQuery({
    ...overviewQuery,
    placeholderData: keepPreviousData,
    // Other tenants have no live stream open here: a slow poll keeps their rows current.
    refetchInterval: 30_000,
  });
}
