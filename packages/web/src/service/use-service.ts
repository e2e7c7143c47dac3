/**
 * The service screen's data: the tenant's SLA report over the last 30 days, its contract (the
 * SLA terms and the regimes that apply; a 404 means no contract is set) and the regulatory
 * catalogue the regime ids resolve against. The server has no response schemas for these, so
 * the shapes below are the fields the screen reads, as `contract.routes.ts` sends them.
 */
import { useQuery } from '@tanstack/react-query';
import { api } from '../api/api-client.ts';
import { ApiError } from '../api/api-error.ts';
import { queryKeys } from '../api/query-keys.ts';

export type SlaMetric = 'acknowledge' | 'contain' | 'resolve';
export type SlaState = 'running' | 'at_risk' | 'paused' | 'breached' | 'met' | 'missed';

export interface SlaReport {
  readonly from: string;
  readonly to: string;
  readonly covered: boolean;
  readonly incidents: number;
  readonly truncated: boolean;
  readonly metrics: readonly {
    readonly metric: SlaMetric;
    readonly counts: Readonly<Record<SlaState, number>>;
    readonly metShare: number | null;
  }[];
  readonly failures: readonly {
    readonly incidentId: string;
    readonly number: number;
    readonly metric: SlaMetric;
    readonly state: 'missed' | 'breached';
  }[];
}

export interface RegulatoryRegime {
  readonly id: string;
  readonly title: string;
  readonly jurisdiction: string;
  readonly reference: string;
  readonly note?: string;
  readonly obligations: readonly {
    readonly id: string;
    readonly title: string;
    readonly recipient: string;
  }[];
}

type Targets = Partial<Record<SlaMetric, number>>;

export interface TenantContract {
  readonly calendar: { readonly timeZone: string; readonly mode?: string };
  readonly sla: {
    readonly clock: 'business_hours' | 'always';
    readonly atRiskShare: number;
    readonly targets: Partial<Record<'low' | 'medium' | 'high' | 'critical', Targets>>;
  } | null;
  readonly regimes: readonly string[];
  readonly customRegimes: readonly RegulatoryRegime[];
  readonly version: number;
  readonly updatedAt: string;
}

const serviceKey = (tenantId: string) => [...queryKeys.tenant(tenantId), 'service'] as const;

export function useSlaReport(tenantId: string) {
  return useQuery({
    queryKey: [...serviceKey(tenantId), 'sla-report'],
    queryFn: () => api.get<SlaReport>(`/tenants/${tenantId}/sla-report`),
  });
}

/** The contract, or null when none is set (the server's 404). */
export function useContract(tenantId: string) {
  return useQuery({
    queryKey: [...serviceKey(tenantId), 'contract'],
    queryFn: async () => {
      try {
        return await api.get<TenantContract>(`/tenants/${tenantId}/contract`);
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) return null;
        throw error;
      }
    },
  });
}

export function useRegimeCatalogue() {
  return useQuery({
    queryKey: ['regulatory-regimes'],
    queryFn: () => api.get<{ regimes: RegulatoryRegime[] }>('/regulatory-regimes'),
    staleTime: Infinity,
  });
}
