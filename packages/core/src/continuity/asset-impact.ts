/**
 * What taking one asset offline does: the assets that depend on it (transitively, through
 * `depends_on`), the business functions any of them runs, and whether a healthy redundancy
 * peer can carry the load. The facts a containment decision on a server needs.
 */
import type { Asset, AssetRelation } from '../assets/asset.ts';
import type { BusinessFunction } from './business-function.ts';

export interface ImpactedFunction {
  readonly function: BusinessFunction;
  /** The asset (the target or one that depends on it) that runs the function. */
  readonly viaAssetId: string;
}

export interface AssetImpact {
  readonly asset: Asset;
  readonly peers: readonly { readonly asset: Asset; readonly healthy: boolean }[];
  readonly peerCanCarryLoad: boolean;
  readonly dependentAssets: readonly Asset[];
  /** Every function that relies on the asset, directly or through dependents. */
  readonly functions: readonly ImpactedFunction[];
  /** The functions that stop if the asset goes offline now: none when a peer takes over. */
  readonly functionsThatStop: readonly ImpactedFunction[];
  /** The smallest maximum tolerable downtime among the functions that stop. */
  readonly shortestMtdMinutes: number | null;
  /** The estimated cost of one hour offline: the sum over the functions that stop. */
  readonly costPerHour: number;
}

export const isHealthy = (asset: Asset): boolean =>
  asset.retiredAt === null && asset.operationalStatus === 'up';

export function redundancyPeers(
  asset: Asset,
  assets: readonly Asset[],
  relations: readonly AssetRelation[],
): Asset[] {
  const linked = new Set<string>();
  for (const r of relations) {
    if (r.kind !== 'redundant_with') continue;
    if (r.fromAssetId === asset.id) linked.add(r.toId);
    if (r.toId === asset.id) linked.add(r.fromAssetId);
  }
  return assets.filter(
    (a) =>
      a.id !== asset.id &&
      a.retiredAt === null &&
      (linked.has(a.id) ||
        (asset.redundancyGroup !== null && a.redundancyGroup === asset.redundancyGroup)),
  );
}

export function assetImpact(
  asset: Asset,
  facts: {
    readonly assets: readonly Asset[];
    readonly relations: readonly AssetRelation[];
    readonly functions: readonly BusinessFunction[];
  },
): AssetImpact {
  const byId = new Map(facts.assets.map((a) => [a.id, a]));
  const dependents = new Map<string, string[]>();
  const runs = new Map<string, string[]>();
  for (const r of facts.relations) {
    const map = r.kind === 'depends_on' ? dependents : r.kind === 'runs_function' ? runs : null;
    if (!map) continue;
    const key = r.kind === 'depends_on' ? r.toId : r.fromAssetId;
    const value = r.kind === 'depends_on' ? r.fromAssetId : r.toId;
    map.set(key, [...(map.get(key) ?? []), value]);
  }
  // Breadth-first over reverse `depends_on`; the visited set bounds cycles.
  const reached = [asset.id];
  const seen = new Set(reached);
  for (let i = 0; i < reached.length; i++) {
    for (const next of dependents.get(reached[i]!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        reached.push(next);
      }
    }
  }
  const functionsById = new Map(facts.functions.map((f) => [f.id, f]));
  const functions: ImpactedFunction[] = [];
  const counted = new Set<string>();
  for (const assetId of reached) {
    for (const functionId of runs.get(assetId) ?? []) {
      const fn = functionsById.get(functionId);
      if (fn && !counted.has(fn.id)) {
        counted.add(fn.id);
        functions.push({ function: fn, viaAssetId: assetId });
      }
    }
  }
  const peers = redundancyPeers(asset, facts.assets, facts.relations).map((p) => ({
    asset: p,
    healthy: isHealthy(p),
  }));
  const peerCanCarryLoad = peers.some((p) => p.healthy);
  const functionsThatStop = peerCanCarryLoad ? [] : functions;
  return {
    asset,
    peers,
    peerCanCarryLoad,
    dependentAssets: reached.slice(1).flatMap((id) => byId.get(id) ?? []),
    functions,
    functionsThatStop,
    shortestMtdMinutes:
      functionsThatStop.length === 0
        ? null
        : Math.min(...functionsThatStop.map((f) => f.function.mtdMinutes)),
    costPerHour: functionsThatStop.reduce((sum, f) => sum + f.function.costPerHour, 0),
  };
}
