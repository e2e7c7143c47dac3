/**
 * The preparation screen's data: the tenant's readiness (score, checks, gaps heaviest first),
 * its recorded history, and the asset inventory import (a dry run first, then the import).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { Static } from '@sinclair/typebox';
import type {
  ImportAssetsRequest,
  ImportReportView,
  ReadinessSnapshotView,
  ReadinessView,
} from '@cordon/protocol';
import { api } from '../api/api-client.ts';
import { queryKeys } from '../api/query-keys.ts';

export type Readiness = Static<typeof ReadinessView>;
export type ReadinessCheck = Readiness['checks'][number];
export type ReadinessSnapshot = Static<typeof ReadinessSnapshotView>;
export type AssetImport = Static<typeof ImportAssetsRequest>;
export type ImportReport = Static<typeof ImportReportView>;

const preparationKey = (tenantId: string) =>
  [...queryKeys.tenant(tenantId), 'preparation'] as const;

export function useReadiness(tenantId: string) {
  return useQuery({
    queryKey: [...preparationKey(tenantId), 'readiness'],
    queryFn: () => api.get<Readiness>(`/tenants/${tenantId}/readiness`),
  });
}

export function useReadinessHistory(tenantId: string) {
  return useQuery({
    queryKey: [...preparationKey(tenantId), 'history'],
    queryFn: () => api.get<ReadinessSnapshot[]>(`/tenants/${tenantId}/readiness/history`),
  });
}

export function useRecordSnapshot(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<ReadinessSnapshot>(`/tenants/${tenantId}/readiness/snapshots`),
    onSuccess: () => client.invalidateQueries({ queryKey: preparationKey(tenantId) }),
  });
}

export function useImportAssets(tenantId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: AssetImport) =>
      api.post<ImportReport>(`/tenants/${tenantId}/assets/import`, input),
    onSuccess: (report) => {
      // A real import changes the inventory, and with it the documentation checks.
      if (!report.dryRun) void client.invalidateQueries({ queryKey: queryKeys.tenant(tenantId) });
    },
  });
}
