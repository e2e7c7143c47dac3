/**
 * Detection settings through the API: the tenant's own Sigma rules (list, upload, enable or
 * disable, delete), its exclusions (matches that never become alerts) and suppressions (alerts
 * filed as suppressed, until they expire). Every change is journaled, so the live stream's
 * `detection` topic refetches these on every open page.
 */
import type { Static } from '@sinclair/typebox';
import type {
  CreateExclusionRequest,
  CreateTenantRuleRequest,
  ExclusionView,
  SuppressionView,
  TenantRuleView,
} from '@cordon/protocol';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, tenantPath } from '../api/api-client.ts';
import type { NewSuppression } from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';

export type TenantRule = Static<typeof TenantRuleView>;
export type Exclusion = Static<typeof ExclusionView>;
export type Suppression = Static<typeof SuppressionView>;
export type NewRule = Static<typeof CreateTenantRuleRequest>;
export type NewExclusion = Static<typeof CreateExclusionRequest>;

const key = (tenantId: string, what: string) => [...queryKeys.detection(tenantId), what];

export function useTenantRules(tenantId: string) {
  return useQuery({
    queryKey: key(tenantId, 'rules'),
    queryFn: () => api.get<TenantRule[]>(tenantPath(tenantId, 'detection', 'rules')),
  });
}

export function useExclusions(tenantId: string) {
  return useQuery({
    queryKey: key(tenantId, 'exclusions'),
    queryFn: () => api.get<Exclusion[]>(tenantPath(tenantId, 'detection', 'exclusions')),
  });
}

export function useSuppressions(tenantId: string) {
  return useQuery({
    queryKey: key(tenantId, 'suppressions'),
    queryFn: () => api.get<Suppression[]>(tenantPath(tenantId, 'suppressions')),
  });
}

function useDetectionChange<I, O>(tenantId: string, change: (input: I) => Promise<O>) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSettled: () => client.invalidateQueries({ queryKey: queryKeys.detection(tenantId) }),
  });
}

export const useUploadRule = (tenantId: string) =>
  useDetectionChange(tenantId, (input: NewRule) =>
    api.post<TenantRule>(tenantPath(tenantId, 'detection', 'rules'), input),
  );

export const useSetRuleEnabled = (tenantId: string) =>
  useDetectionChange(tenantId, (input: { id: string; enabled: boolean }) =>
    api.patch<TenantRule>(tenantPath(tenantId, 'detection', 'rules', input.id), {
      enabled: input.enabled,
    }),
  );

export const useDeleteRule = (tenantId: string) =>
  useDetectionChange(tenantId, (id: string) =>
    api.delete<undefined>(tenantPath(tenantId, 'detection', 'rules', id)),
  );

export const useAddExclusion = (tenantId: string) =>
  useDetectionChange(tenantId, (input: NewExclusion) =>
    api.post<Exclusion>(tenantPath(tenantId, 'detection', 'exclusions'), input),
  );

export const useRemoveExclusion = (tenantId: string) =>
  useDetectionChange(tenantId, (id: string) =>
    api.delete<undefined>(tenantPath(tenantId, 'detection', 'exclusions', id)),
  );

export const useAddSuppression = (tenantId: string) =>
  useDetectionChange(tenantId, (input: NewSuppression) =>
    api.post<Suppression>(tenantPath(tenantId, 'suppressions'), input),
  );

export const useRemoveSuppression = (tenantId: string) =>
  useDetectionChange(tenantId, (id: string) =>
    api.delete<undefined>(tenantPath(tenantId, 'suppressions', id)),
  );
