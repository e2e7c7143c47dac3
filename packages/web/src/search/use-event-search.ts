/**
 * Event search through the API: a server-side page of events with its (bounded) total, the
 * histogram and the top values of a field over the same query and window, and one event by id.
 * Queries go in a POST body; the window is resolved once per search so every part agrees.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, tenantPath } from '../api/api-client.ts';
import type { EventRecord } from '../api/api-types.ts';
import { queryKeys } from '../api/query-keys.ts';
import type { EventHistogram, EventSearchResult, EventTerms } from './search-types.ts';

export const EVENT_PAGE = 200;
/** The API pages at most this deep (offset ≤ 10,000): narrow the query to see further. */
export const MAX_EVENT_OFFSET = 10_000;

export interface EventFilter {
  readonly query: string;
  readonly from: string | undefined;
  readonly to: string | undefined;
  /** Histogram bucket width (`5m`), chosen from the window. */
  readonly interval: string | undefined;
}

const body = (filter: EventFilter) => ({
  ...(filter.query.trim() ? { query: filter.query } : {}),
  ...(filter.from ? { from: filter.from } : {}),
  ...(filter.to ? { to: filter.to } : {}),
});

const eventsKey = (tenantId: string) => [...queryKeys.tenant(tenantId), 'events'] as const;

export function useEventSearch(tenantId: string, filter: EventFilter, page: number) {
  const offset = Math.min((page - 1) * EVENT_PAGE, MAX_EVENT_OFFSET);
  return useQuery({
    queryKey: [...eventsKey(tenantId), 'search', filter, offset],
    queryFn: () =>
      api.post<EventSearchResult>(tenantPath(tenantId, 'events', 'search'), {
        ...body(filter),
        sort: 'desc',
        limit: EVENT_PAGE,
        offset,
      }),
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useEventHistogram(tenantId: string, filter: EventFilter, enabled: boolean) {
  return useQuery({
    queryKey: [...eventsKey(tenantId), 'histogram', filter],
    queryFn: () =>
      api.post<EventHistogram>(tenantPath(tenantId, 'events', 'histogram'), {
        ...body(filter),
        ...(filter.interval ? { interval: filter.interval } : {}),
      }),
    enabled,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useEventTerms(
  tenantId: string,
  filter: EventFilter,
  field: string | undefined,
  enabled: boolean,
) {
  return useQuery({
    queryKey: [...eventsKey(tenantId), 'terms', filter, field],
    queryFn: () =>
      api.post<EventTerms>(tenantPath(tenantId, 'events', 'terms'), {
        ...body(filter),
        field,
        size: 10,
      }),
    enabled: enabled && field !== undefined,
    retry: false,
  });
}

export function useEvent(tenantId: string, eventId: string | undefined) {
  return useQuery({
    queryKey: [...eventsKey(tenantId), 'one', eventId],
    queryFn: () => api.get<EventRecord>(tenantPath(tenantId, 'events', eventId ?? '')),
    enabled: eventId !== undefined,
    staleTime: Infinity,
  });
}
