/** The tenants the caller may see (the tenant switcher, the overview's names). */
import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.ts';
import type { Tenant } from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';

export const tenantsQuery = queryOptions({
  queryKey: queryKeys.tenants,
  queryFn: () => api.get<Tenant[]>('/tenants'),
  staleTime: 60_000,
});

export function useTenants() {
  return useQuery(tenantsQuery);
}
