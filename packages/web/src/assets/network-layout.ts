/**
 * Where the network map puts things: one lane per segment (in the map's segment order, then
 * the assets outside every segment), each lane a few columns of at most `ROWS` assets, with a
 * redundancy group's members next to each other so one box can frame them. A fixed grid and
 * not a force layout: the same inventory draws the same way every time, a segment is a place
 * on the screen, and it costs nothing for the few hundred assets the map is capped at.
 */
import type { NetworkMap, NetworkNode } from './use-network.ts';

export const ROWS = 14;
export const COL_W = 150;
export const ROW_H = 40;
export const LANE_PAD = 12;
export const LANE_GAP = 16;
export const HEADER_H = 44;

export interface LaneBox {
  readonly key: string;
  readonly title: string;
  readonly x: number;
  readonly width: number;
  readonly nodes: number;
}

export interface NodePlace {
  readonly node: NetworkNode;
  readonly x: number;
  readonly y: number;
  readonly lane: string;
}

export interface GroupBox {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface NetworkLayout {
  readonly width: number;
  readonly height: number;
  readonly lanes: readonly LaneBox[];
  readonly places: ReadonlyMap<string, NodePlace>;
  readonly groups: readonly GroupBox[];
}

export const OUTSIDE_SEGMENTS = 'outside';

function laneOrder(nodes: readonly NetworkNode[]): NetworkNode[] {
  // Grouped members together (groups by name), then the rest; the server's order within.
  const grouped = nodes.filter((n) => n.redundancyGroup !== null);
  const groupNames = [...new Set(grouped.map((n) => n.redundancyGroup!))].sort();
  return [
    ...groupNames.flatMap((g) => grouped.filter((n) => n.redundancyGroup === g)),
    ...nodes.filter((n) => n.redundancyGroup === null),
  ];
}

export function layOutNetwork(map: NetworkMap): NetworkLayout {
  const lanesIn: { key: string; title: string; nodes: NetworkNode[] }[] = [];
  for (const { segment } of map.segments) {
    const nodes = map.nodes.filter((n) => n.segmentId === segment.id);
    if (nodes.length > 0)
      lanesIn.push({ key: segment.id, title: `${segment.name} · ${segment.cidr}`, nodes });
  }
  const known = new Set(map.segments.map((s) => s.segment.id));
  const outside = map.nodes.filter((n) => n.segmentId === null || !known.has(n.segmentId));
  if (outside.length > 0)
    lanesIn.push({ key: OUTSIDE_SEGMENTS, title: 'Outside every segment', nodes: outside });

  const lanes: LaneBox[] = [];
  const places = new Map<string, NodePlace>();
  const groups: GroupBox[] = [];
  let x = 0;
  let tallest = 1;
  for (const lane of lanesIn) {
    const ordered = laneOrder(lane.nodes);
    const columns = Math.ceil(ordered.length / ROWS);
    const width = columns * COL_W + 2 * LANE_PAD;
    ordered.forEach((node, i) => {
      const column = Math.floor(i / ROWS);
      const row = i % ROWS;
      places.set(node.id, {
        node,
        lane: lane.key,
        x: x + LANE_PAD + column * COL_W + COL_W / 2,
        y: HEADER_H + row * ROW_H + ROW_H / 2,
      });
    });
    // One box per run of a group's members within a column.
    for (let i = 0; i < ordered.length;) {
      const name = ordered[i]!.redundancyGroup;
      let end = i + 1;
      while (
        end < ordered.length &&
        ordered[end]!.redundancyGroup === name &&
        Math.floor(end / ROWS) === Math.floor(i / ROWS)
      )
        end += 1;
      if (name !== null) {
        const column = Math.floor(i / ROWS);
        groups.push({
          name,
          x: x + LANE_PAD + column * COL_W + 4,
          y: HEADER_H + (i % ROWS) * ROW_H + 2,
          width: COL_W - 8,
          height: (end - i) * ROW_H - 4,
        });
      }
      i = end;
    }
    lanes.push({ key: lane.key, title: lane.title, x, width, nodes: ordered.length });
    tallest = Math.max(tallest, Math.min(ROWS, ordered.length));
    x += width + LANE_GAP;
  }
  return {
    width: Math.max(x - LANE_GAP, COL_W),
    height: HEADER_H + tallest * ROW_H + LANE_PAD,
    lanes,
    places,
    groups,
  };
}
