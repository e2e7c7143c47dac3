/**
 * A tenant's network as a bounded drawing: its segments with how many assets each holds, the
 * assets to draw (retired ones left out; the most critical first when there are more than the
 * limit, then by name), the relations between drawn assets (a relation to an asset not drawn,
 * or to a business function, is not an edge here) and the redundancy groups among them. The
 * limit keeps the answer and the drawing small for any inventory; `total` says how many there
 * were, so the screen can say what it left out.
 */
import type { Asset, AssetRelation, Criticality, NetworkSegment } from './asset.ts';
import { CRITICALITIES } from './asset.ts';

export const NETWORK_MAP_MAX_NODES = 500;

export interface NetworkMapSegment {
  readonly segment: NetworkSegment;
  /** Assets in the segment, in the whole (unretired) inventory. */
  readonly assets: number;
}

export interface NetworkMap {
  readonly segments: readonly NetworkMapSegment[];
  /** Unretired assets in the inventory that sit outside every segment. */
  readonly unsegmented: number;
  readonly nodes: readonly Asset[];
  readonly relations: readonly AssetRelation[];
  readonly redundancyGroups: readonly { readonly name: string; readonly assetIds: string[] }[];
  /** Assets matching the filter, drawn or not. */
  readonly total: number;
  readonly limit: number;
}

export interface NetworkMapInput {
  readonly assets: readonly Asset[];
  readonly segments: readonly NetworkSegment[];
  readonly relations: readonly AssetRelation[];
  /** Only this segment's assets; null: those outside every segment; undefined: all. */
  readonly segmentId?: string | null | undefined;
  readonly limit: number;
}

const rank = (c: Criticality): number => CRITICALITIES.indexOf(c);

export function networkMap(input: NetworkMapInput): NetworkMap {
  const limit = Math.max(1, Math.min(NETWORK_MAP_MAX_NODES, input.limit));
  const live = input.assets.filter((a) => a.retiredAt === null);
  const counts = new Map<string | null, number>();
  for (const a of live) counts.set(a.segmentId, (counts.get(a.segmentId) ?? 0) + 1);
  const matching =
    input.segmentId === undefined ? live : live.filter((a) => a.segmentId === input.segmentId);
  const nodes = [...matching]
    .sort((a, b) => rank(a.criticality) - rank(b.criticality) || a.name.localeCompare(b.name))
    .slice(0, limit);
  const drawn = new Set(nodes.map((n) => n.id));
  const relations = input.relations.filter(
    (r) => r.kind !== 'runs_function' && drawn.has(r.fromAssetId) && drawn.has(r.toId),
  );
  const groups = new Map<string, string[]>();
  for (const n of nodes) {
    if (n.redundancyGroup)
      groups.set(n.redundancyGroup, [...(groups.get(n.redundancyGroup) ?? []), n.id]);
  }
  return {
    segments: [...input.segments]
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((segment) => ({ segment, assets: counts.get(segment.id) ?? 0 })),
    unsegmented: counts.get(null) ?? 0,
    nodes,
    relations,
    redundancyGroups: [...groups]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, assetIds]) => ({ name, assetIds })),
    total: matching.length,
    limit,
  };
}
