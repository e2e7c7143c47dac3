/** The inventory's filters in the URL (name, criticality, segment), applied to the loaded list. */
import { useSearchParams } from 'react-router';
import type { Asset } from './use-assets.ts';

export const CRITICALITIES = ['critical', 'high', 'medium', 'low'] as const;
type Criticality = Asset['criticality'];

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

export function matchesAsset(asset: Asset, filters: AssetFilters): boolean {
  if (filters.criticality && asset.criticality !== filters.criticality) return false;
  if (filters.segment && asset.segmentId !== filters.segment) return false;
  if (filters.text) {
    const needle = filters.text.toLowerCase();
    const haystack = [asset.name, asset.owner ?? '', ...asset.addresses, ...asset.tags];
    if (!haystack.some((h) => h.toLowerCase().includes(needle))) return false;
  }
  return true;
}
