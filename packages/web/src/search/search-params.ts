/**
 * The search screen's state in the URL (a search can be bookmarked and shared): the query, the
 * time range (a preset relative to now, or explicit bounds), the field columns, the page and
 * the event open in the drawer.
 */
import { useSearchParams } from 'react-router';

export const RANGE_PRESETS = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { value: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { value: 'all', label: 'All time', ms: undefined },
  { value: 'custom', label: 'Between…', ms: undefined },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]['value'];

export const DEFAULT_COLUMNS = ['host.name', 'user.name', 'event.code', 'message'] as const;
/** Columns beyond this are dropped: each costs a cell per row. */
const MAX_COLUMNS = 12;

export interface SearchState {
  readonly query: string;
  readonly range: RangePreset;
  /** Explicit bounds for `custom` (RFC 3339). */
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly columns: readonly string[];
  readonly page: number;
  readonly event: string | undefined;
}

function rangeOf(value: string | null): RangePreset {
  return RANGE_PRESETS.find((p) => p.value === value)?.value ?? '24h';
}

function columnsOf(value: string | null): readonly string[] {
  if (value === null) return DEFAULT_COLUMNS;
  const columns = value
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c.length > 0 && c.length <= 300);
  return [...new Set(columns)].slice(0, MAX_COLUMNS);
}

function validTime(value: string | null): string | undefined {
  return value !== null && !Number.isNaN(Date.parse(value)) ? value : undefined;
}

export function useSearchState(): [SearchState, (changes: Partial<SearchState>) => void] {
  const [params, setParams] = useSearchParams();
  const state: SearchState = {
    query: params.get('q') ?? '',
    range: rangeOf(params.get('range')),
    from: validTime(params.get('from')),
    to: validTime(params.get('to')),
    columns: columnsOf(params.get('cols')),
    page: Math.max(1, Number(params.get('page') ?? '1') || 1),
    event: params.get('event') ?? undefined,
  };
  const update = (changes: Partial<SearchState>) => {
    const next = { ...state, ...changes };
    // A new query or range starts again at page 1; columns and the drawer keep the page.
    if (!('page' in changes) && ('query' in changes || 'range' in changes || 'from' in changes))
      next.page = 1;
    const out = new URLSearchParams();
    if (next.query) out.set('q', next.query);
    if (next.range !== '24h') out.set('range', next.range);
    if (next.range === 'custom' && next.from) out.set('from', next.from);
    if (next.range === 'custom' && next.to) out.set('to', next.to);
    if (next.columns.join(',') !== DEFAULT_COLUMNS.join(','))
      out.set('cols', next.columns.join(','));
    if (next.page > 1) out.set('page', String(next.page));
    if (next.event) out.set('event', next.event);
    setParams(out);
  };
  return [state, update];
}

/** The bounds a preset stands for at `now` (undefined: unbounded on that side). */
export function resolveRange(
  state: Pick<SearchState, 'range' | 'from' | 'to'>,
  now: number,
): { from: string | undefined; to: string | undefined } {
  if (state.range === 'custom') return { from: state.from, to: state.to };
  const preset = RANGE_PRESETS.find((p) => p.value === state.range);
  return {
    from: preset?.ms === undefined ? undefined : new Date(now - preset.ms).toISOString(),
    to: undefined,
  };
}

const INTERVALS: readonly (readonly [string, number])[] = [
  ['1s', 1000],
  ['5s', 5000],
  ['15s', 15_000],
  ['30s', 30_000],
  ['1m', 60_000],
  ['5m', 300_000],
  ['15m', 900_000],
  ['30m', 1_800_000],
  ['1h', 3_600_000],
  ['3h', 10_800_000],
  ['6h', 21_600_000],
  ['12h', 43_200_000],
  ['1d', 86_400_000],
  ['7d', 604_800_000],
];

/** The narrowest histogram bucket that draws the window in at most 60 bars (undefined: the server picks). */
export function histogramInterval(from: string | undefined, to: string | undefined, now: number) {
  if (from === undefined) return undefined;
  const spanMs = (to === undefined ? now : Date.parse(to)) - Date.parse(from);
  return INTERVALS.find(([, ms]) => spanMs / ms <= 60)?.[0] ?? '7d';
}
