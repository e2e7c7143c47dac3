/**
 * The alert queue's filters, read from and written to the URL, so a filtered queue can be
 * bookmarked and shared. Only what the API filters on server-side is offered.
 */
import { useSearchParams } from 'react-router';
import type { AlertLevelValue, AlertStatusValue } from '../api/api-types.ts';
import { ALERT_LEVELS, isAlertStatus } from '../api/vocabulary.ts';

export type AlertGrouping = 'none' | 'rule' | 'host';

/** Last-seen windows the queue offers; the API filters on `from`. */
export const TIME_RANGES = {
  '1h': { label: 'Last hour', ms: 3_600_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000 },
} as const;
export type TimeRange = keyof typeof TIME_RANGES;
const isTimeRange = (value: string | null): value is TimeRange =>
  value !== null && Object.hasOwn(TIME_RANGES, value);

export const SORTABLE = ['level', 'rule', 'host', 'user', 'count', 'lastSeen', 'status'] as const;
export type SortColumn = (typeof SORTABLE)[number];
export interface AlertSort {
  readonly column: SortColumn;
  readonly desc: boolean;
}

function sortOf(value: string | null): AlertSort | undefined {
  const [column, direction] = (value ?? '').split('.');
  const found = SORTABLE.find((c) => c === column);
  return found && { column: found, desc: direction !== 'asc' };
}

export interface AlertFilters {
  readonly status: AlertStatusValue | undefined;
  readonly level: AlertLevelValue | undefined;
  readonly user: string | undefined;
  readonly ruleId: string | undefined;
  readonly host: string | undefined;
  readonly group: AlertGrouping;
  /** Last seen within this window (up to now). */
  readonly range: TimeRange | undefined;
  /** Order of the rows on this page (the server pages newest first). */
  readonly sort: AlertSort | undefined;
  readonly page: number;
  /** The alert open in the side panel. */
  readonly alert: string | undefined;
}

function grouping(value: string | null): AlertGrouping {
  return value === 'rule' || value === 'host' ? value : 'none';
}

/** The filters an address carries (the route's loader reads them before the screen renders). */
export function alertFiltersFrom(params: URLSearchParams): AlertFilters {
  const status = params.get('status');
  const level = ALERT_LEVELS.find((l) => l === params.get('level'));
  const range = params.get('range');
  return {
    status: isAlertStatus(status) ? status : undefined,
    level,
    user: params.get('user') ?? undefined,
    ruleId: params.get('rule') ?? undefined,
    host: params.get('host') ?? undefined,
    group: grouping(params.get('group')),
    range: isTimeRange(range) ? range : undefined,
    sort: sortOf(params.get('sort')),
    page: Math.max(1, Number(params.get('page') ?? '1') || 1),
    alert: params.get('alert') ?? undefined,
  };
}

export function useAlertFilters(): [AlertFilters, (changes: Partial<AlertFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const filters = alertFiltersFrom(params);
  const update = (changes: Partial<AlertFilters>) => {
    const next = { ...filters, ...changes };
    // A changed filter starts again at page 1 (opening an alert or sorting the page does not).
    if (!('page' in changes) && Object.keys(changes).some((k) => k !== 'alert' && k !== 'sort'))
      next.page = 1;
    const out = new URLSearchParams();
    if (next.status) out.set('status', next.status);
    if (next.level) out.set('level', next.level);
    if (next.user) out.set('user', next.user);
    if (next.ruleId) out.set('rule', next.ruleId);
    if (next.host) out.set('host', next.host);
    if (next.group !== 'none') out.set('group', next.group);
    if (next.range) out.set('range', next.range);
    if (next.sort) out.set('sort', `${next.sort.column}.${next.sort.desc ? 'desc' : 'asc'}`);
    if (next.page > 1) out.set('page', String(next.page));
    if (next.alert) out.set('alert', next.alert);
    setParams(out);
  };
  return [filters, update];
}
