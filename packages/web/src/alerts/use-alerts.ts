/** Alerts: a server-side page with its total, one alert, and the bulk triage mutations. */
import {
  keepPreviousData,
  queryOptions,
  useMutation,
  useQuery,
  useQueryClient,
} from '@tanstack/react-query';
import { api, tenantPath } from '../api/api-client.ts';
import type {
  Alert,
  EventRecord,
  Incident,
  NewIncident,
  NewSuppression,
  Page,
} from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { AlertFilters } from './alert-filters.ts';
import { TIME_RANGES } from './alert-filters.ts';

export const ALERT_PAGE = 200;

/** One page of the queue, shared by the hook and the route loader that starts it early. */
export function alertsQuery(tenantId: string, filters: AlertFilters) {
  const query = {
    status: filters.status,
    level: filters.level,
    user: filters.user,
    ruleId: filters.ruleId,
    host: filters.host,
  };
  const range = filters.range;
  return queryOptions({
    queryKey: [...queryKeys.alerts(tenantId), 'list', query, range, filters.page],
    queryFn: () =>
      api.get<Page<Alert>>(tenantPath(tenantId, 'alerts'), {
        ...query,
        // The window ends now: computed when the page is fetched (a refetch moves it on).
        from: range && new Date(Date.now() - TIME_RANGES[range].ms).toISOString(),
        limit: ALERT_PAGE,
        offset: (filters.page - 1) * ALERT_PAGE,
      }),
  });
}

export function useAlerts(tenantId: string, filters: AlertFilters) {
  return useQuery({ ...alertsQuery(tenantId, filters), placeholderData: keepPreviousData });
}

export function useAlert(tenantId: string, alertId: string | undefined) {
  return useQuery({
    queryKey: [...queryKeys.alerts(tenantId), 'one', alertId],
    queryFn: () => api.get<Alert>(tenantPath(tenantId, 'alerts', alertId ?? '')),
    enabled: alertId !== undefined,
  });
}

/** The first events of an alert (each fetched by id; an alert keeps its event ids). */
export function useAlertEvents(tenantId: string, alert: Alert | undefined, limit = 5) {
  const ids = alert?.eventIds.slice(0, limit) ?? [];
  return useQuery({
    queryKey: ['tenant', tenantId, 'events', ids],
    queryFn: () =>
      Promise.all(ids.map((id) => api.get<EventRecord>(tenantPath(tenantId, 'events', id)))),
    enabled: ids.length > 0,
    staleTime: Infinity,
  });
}

export type BulkTriage =
  | { readonly kind: 'acknowledge' }
  | { readonly kind: 'close'; readonly reason: string }
  | { readonly kind: 'suppress'; readonly reason: string; readonly expiresAt: string | null }
  | { readonly kind: 'attach'; readonly incidentId: string }
  | { readonly kind: 'new-incident'; readonly incident: NewIncident };

export interface BulkOutcome {
  readonly done: number;
  readonly failed: readonly { readonly alertId: string; readonly message: string }[];
  readonly incidentId?: string;
}

async function eachAlert(alerts: readonly Alert[], run: (alert: Alert) => Promise<unknown>) {
  let done = 0;
  const failed: { alertId: string; message: string }[] = [];
  for (const alert of alerts) {
    try {
      await run(alert);
      done += 1;
    } catch (error) {
      failed.push({
        alertId: alert.id,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  }
  return { done, failed };
}

/** One suppression per distinct rule and host among the chosen alerts. */
function suppressionsFor(
  alerts: readonly Alert[],
  reason: string,
  expiresAt: string | null,
): NewSuppression[] {
  const seen = new Map<string, NewSuppression>();
  for (const alert of alerts) {
    const host = alert.entities.hosts[0];
    const key = `${alert.ruleId}\u0000${host ?? ''}`;
    if (!seen.has(key)) {
      seen.set(key, {
        ruleId: alert.ruleId,
        ...(host ? { fields: { 'host.name': [host] } } : {}),
        reason,
        expiresAt,
      });
    }
  }
  return [...seen.values()];
}

export function useBulkTriage(tenantId: string) {
  const client = useQueryClient();
  // Attaching is triage: the alert is linked and acknowledged (it leaves the open queue).
  const attach = async (alert: Alert, incidentId: string) => {
    await api.post(tenantPath(tenantId, 'incidents', incidentId, 'alerts'), { alertId: alert.id });
    if (alert.status === 'open')
      await api.post(tenantPath(tenantId, 'alerts', alert.id, 'acknowledge'));
  };
  return useMutation({
    mutationFn: async ({
      alerts,
      triage,
    }: {
      alerts: readonly Alert[];
      triage: BulkTriage;
    }): Promise<BulkOutcome> => {
      switch (triage.kind) {
        case 'acknowledge':
          return eachAlert(alerts, (a) =>
            api.post(tenantPath(tenantId, 'alerts', a.id, 'acknowledge')),
          );
        case 'close':
          return eachAlert(alerts, (a) =>
            api.post(tenantPath(tenantId, 'alerts', a.id, 'close'), { reason: triage.reason }),
          );
        case 'suppress': {
          for (const s of suppressionsFor(alerts, triage.reason, triage.expiresAt)) {
            await api.post(tenantPath(tenantId, 'suppressions'), s);
          }
          return eachAlert(alerts, (a) =>
            api.post(tenantPath(tenantId, 'alerts', a.id, 'close'), {
              reason: `suppressed: ${triage.reason}`,
            }),
          );
        }
        case 'attach': {
          const outcome = await eachAlert(alerts, (a) => attach(a, triage.incidentId));
          return { ...outcome, incidentId: triage.incidentId };
        }
        case 'new-incident': {
          const incident = await api.post<Incident>(
            tenantPath(tenantId, 'incidents'),
            triage.incident,
          );
          const outcome = await eachAlert(alerts, (a) => attach(a, incident.id));
          return { ...outcome, incidentId: incident.id };
        }
      }
    },
    onSettled: async () => {
      await client.invalidateQueries({ queryKey: queryKeys.alerts(tenantId) });
      await client.invalidateQueries({ queryKey: queryKeys.incidents(tenantId) });
      await client.invalidateQueries({ queryKey: queryKeys.overview });
    },
  });
}
