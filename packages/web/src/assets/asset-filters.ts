/** The inventory's filters in the URL (text, criticality, segment); the server applies them. */
import { useSearchParams } from 'react-router';

export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
type Criticality = (typeof CRITICALITIES)[number];

export interface AssetFilters {
  readonly text: string | undefined;
  readonly criticality: Criticality | undefined;
  readonly segment: string | undefined;
}

export function useAssetFilters(): [AssetFilters, (changes: Partial<AssetFilters>) => void] {
  const [params, setParams] = useSearchParams();
  const filters: AssetFilters = {
    text: params.get('q') ?? undefined,
    criticality: CRITICALITIES.find((c) => c === params.get('criticality')),
    segment: params.get('segment') ?? undefined,
  };
  const update = (changes: Partial<AssetFilters>) => {
    const next = { ...filters, ...changes };
    const out = new URLSearchParams();
    if (next.text) out.set('q', next.text);
    if (next.criticality) out.set('criticality', next.criticality);
    if (next.segment) out.set('segment', next.segment);
    setParams(out);
  };
  return [filters, update];
}
