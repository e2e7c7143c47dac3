/**
 * The alert queue's filters, read from and written to the URL, so a filtered queue can be
 * bookmarked and shared. Only what the API filters on server-side is offered.
 */
import { useSearchParams } from 'react-router';
import type { AlertLevelValue, AlertStatusValue } from '../api/api-types.ts';
import { ALERT_LEVELS, isAlertStatus } from '../api/vocabulary.ts';

export type AlertGrouping = 'none' | 'rule' | 'host';

export interface AlertFilters {
  readonly status: AlertStatusValue | undefined;
  readonly level: AlertLevelValue | undefined;
  readonly user: string | undefined;
  readonly ruleId: string | undefined;
  readonly host: string | undefined;
  readonly group: AlertGrouping;
  readonly page: number;
  /** The alert open in the side panel. */
  readonly alert: string | undefined;
}

function grouping(value: string | null): AlertGrouping {
  return value === 'rule' || value === 'host' ? value : 'none';
}

export function useAlertFilters(): [AlertFilters, (changes: Partial<AlertFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const status = params.get('status');
  const level = ALERT_LEVELS.find((l) => l === params.get('level'));
  const filters: AlertFilters = {
    status: isAlertStatus(status) ? status : undefined,
    level,
    user: params.get('user') ?? undefined,
    ruleId: params.get('rule') ?? undefined,
    host: params.get('host') ?? undefined,
    group: grouping(params.get('group')),
    page: Math.max(1, Number(params.get('page') ?? '1') || 1),
    alert: params.get('alert') ?? undefined,
  };
  const update = (changes: Partial<AlertFilters>) => {
    const next = { ...filters, ...changes };
    // A changed filter starts again at page 1.
    if (!('page' in changes) && Object.keys(changes).some((k) => k !== 'alert')) next.page = 1;
    const out = new URLSearchParams();
    if (next.status) out.set('status', next.status);
    if (next.level) out.set('level', next.level);
    if (next.user) out.set('user', next.user);
    if (next.ruleId) out.set('rule', next.ruleId);
    if (next.host) out.set('host', next.host);
    if (next.group !== 'none') out.set('group', next.group);
    if (next.page > 1) out.set('page', String(next.page));
    if (next.alert) out.set('alert', next.alert);
    setParams(out);
  };
  return [filters, update];
}
