/**
 * Which of an incident's affected assets get containment options. `affectedAssets` holds what
 * people and identification recorded — asset ids, host names, addresses — so each entry is
 * resolved against the inventory (id, then name or alias, then an address only one asset has).
 * Options are for servers and for any asset whose loss stops something (dependants or business
 * functions): a workstation nothing depends on is the containment policy's to isolate.
 */
import type { Asset, AssetRelation } from '../assets/asset.ts';
import { assetIndex } from '../assets/asset-matching.ts';

export type AffectedEntry =
  | { readonly kind: 'asset'; readonly entry: string; readonly asset: Asset }
  | {
      readonly kind: 'skipped';
      readonly entry: string;
      readonly asset: Asset | null;
      readonly reason: string;
    };

export function affectedServers(
  entries: readonly string[],
  assets: readonly Asset[],
  relations: readonly AssetRelation[],
): AffectedEntry[] {
  const index = assetIndex(assets);
  const live = assets.filter((a) => a.retiredAt === null);
  const seen = new Set<string>();
  const out: AffectedEntry[] = [];
  for (const entry of entries) {
    const text = entry.trim();
    const byAddress = index.byAddress(text);
    const asset =
      live.find((a) => a.id === text) ??
      index.byName(text) ??
      (byAddress.length === 1 ? byAddress[0] : undefined);
    if (asset === undefined) {
      out.push({
        kind: 'skipped',
        entry,
        asset: null,
        reason:
          byAddress.length > 1
            ? `${byAddress.length} documented assets have the address ${text}`
            : 'not a documented asset (id, name or address)',
      });
      continue;
    }
    if (seen.has(asset.id)) continue;
    seen.add(asset.id);
    const stopsSomething = relations.some(
      (r) =>
        (r.kind === 'depends_on' && r.toId === asset.id) ||
        (r.kind === 'runs_function' && r.fromAssetId === asset.id),
    );
    if (asset.kind === 'workstation' && !stopsSomething) {
      out.push({
        kind: 'skipped',
        entry,
        asset,
        reason: 'a workstation nothing depends on: the containment policy isolates it',
      });
      continue;
    }
    out.push({ kind: 'asset', entry, asset });
  }
  return out;
}
