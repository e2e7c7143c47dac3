/**
 * The network map drawn as SVG from `layOutNetwork`: a lane per segment, each asset a link to
 * its page (focusable, named with its criticality, segment and group), a redundancy group as a
 * dashed teal frame around its members, `depends on` as blue arrows and `redundant with` as
 * dashed teal lines. Drawn here rather than with a graph library: a fixed grid of at most 500
 * nodes needs no layout engine, and the console carries none (see the README).
 */
import { Box } from '@mantine/core';
import { useNavigate } from 'react-router';
import { RELATION_COLOR, RELATION_LABEL } from './relation-graph.tsx';
import type { NetworkLayout } from './network-layout.ts';
import { COL_W, OUTSIDE_SEGMENTS } from './network-layout.ts';
import type { NetworkMap } from './use-network.ts';

const CRITICALITY_FILL: Readonly<Record<string, string>> = {
  critical: 'var(--mantine-color-red-8)',
  high: 'var(--mantine-color-orange-7)',
  medium: 'var(--mantine-color-yellow-5)',
  low: 'var(--mantine-color-gray-5)',
};

const NODE_R = 7;
/** A node's dot sits at the left of its cell, its name to the right. */
const dotX = (cellCentre: number): number => cellCentre - COL_W / 2 + 18;

function short(text: string): string {
  return text.length > 17 ? `${text.slice(0, 16)}…` : text;
}

export function NetworkGraph({
  tenantId,
  map,
  layout,
}: {
  readonly tenantId: string;
  readonly map: NetworkMap;
  readonly layout: NetworkLayout;
}) {
  const navigate = useNavigate();
  const laneTitle = new Map(layout.lanes.map((l) => [l.key, l.title]));
  return (
    <Box style={{ overflowX: 'auto' }}>
      <svg
        role="group"
        aria-label={`Network map: ${layout.places.size} assets in ${layout.lanes.length} lanes, ${map.relations.length} relations, ${map.redundancyGroups.length} redundancy groups`}
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
      >
        <defs>
          <marker
            id="network-arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto-start-reverse"
          >
            <path d="M 0 0 L 10 5 L 0 10 z" fill={RELATION_COLOR.depends_on} />
          </marker>
        </defs>
        {layout.lanes.map((lane) => (
          <g key={lane.key} aria-hidden="true">
            <rect
              x={lane.x}
              y={0}
              width={lane.width}
              height={layout.height}
              rx={6}
              fill={
                lane.key === OUTSIDE_SEGMENTS
                  ? 'var(--mantine-color-gray-1)'
                  : 'var(--mantine-color-blue-0)'
              }
              stroke="var(--mantine-color-gray-4)"
            />
            <text
              x={lane.x + 10}
              y={18}
              fontSize={13}
              fontWeight={700}
              fill="var(--mantine-color-text)"
            >
              {short(lane.title.split(' · ')[0] ?? lane.title)}
            </text>
            <text x={lane.x + 10} y={34} fontSize={11} fill="var(--mantine-color-text)">
              {lane.title.split(' · ')[1] ?? ''} · {lane.nodes}
            </text>
          </g>
        ))}
        {layout.groups.map((g, i) => (
          <rect
            key={`${g.name}-${i}`}
            aria-hidden="true"
            x={g.x}
            y={g.y}
            width={g.width}
            height={g.height}
            rx={8}
            fill="none"
            stroke={RELATION_COLOR.redundant_with}
            strokeWidth={1.5}
            strokeDasharray="5 3"
          />
        ))}
        {map.relations.map((r) => {
          const from = layout.places.get(r.fromAssetId);
          const to = layout.places.get(r.toId);
          if (!from || !to) return null;
          const gap = NODE_R + 3;
          const sameColumn = from.x === to.x;
          const rightward = to.x > from.x;
          // Across columns a line leaves from the right end of the cell facing its target (past
          // the name) and arrives at the target's dot or the right end of its cell; within one
          // column it bends left of the dots instead of running over them.
          const start = sameColumn
            ? [dotX(from.x) - gap, from.y]
            : rightward
              ? [from.x + COL_W / 2 - 6, from.y]
              : [dotX(from.x) - gap, from.y];
          const end = sameColumn
            ? [dotX(to.x) - gap, to.y]
            : rightward
              ? [dotX(to.x) - gap, to.y]
              : [to.x + COL_W / 2 - 6, to.y];
          const bend = sameColumn ? 12 + Math.abs(to.y - from.y) / 5 : 0;
          const [cx, cy] = [(start[0]! + end[0]!) / 2 - bend, (start[1]! + end[1]!) / 2];
          return (
            <path
              key={r.id}
              aria-hidden="true"
              d={`M ${start[0]} ${start[1]} Q ${cx} ${cy} ${end[0]} ${end[1]}`}
              fill="none"
              stroke={RELATION_COLOR[r.kind]}
              strokeWidth={1.5}
              strokeOpacity={0.85}
              strokeDasharray={r.kind === 'redundant_with' ? '6 4' : undefined}
              markerEnd={r.kind === 'depends_on' ? 'url(#network-arrow)' : undefined}
            />
          );
        })}
        {[...layout.places.values()].map(({ node, x, y, lane }) => {
          const href = `/t/${tenantId}/assets/${node.id}`;
          const name = `${node.name}: ${node.criticality} ${node.kind.replace('_', ' ')} in ${laneTitle.get(lane) ?? 'no segment'}${node.redundancyGroup ? `, redundancy group ${node.redundancyGroup}` : ''}`;
          return (
            <a
              key={node.id}
              href={href}
              aria-label={name}
              onClick={(event) => {
                event.preventDefault();
                void navigate(href);
              }}
            >
              <title>{name}</title>
              <circle
                cx={dotX(x)}
                cy={y}
                r={NODE_R}
                fill={CRITICALITY_FILL[node.criticality] ?? 'gray'}
                stroke="var(--mantine-color-dark-7)"
              />
              <text x={dotX(x) + 12} y={y + 4} fontSize={12} fill="var(--mantine-color-text)">
                {short(node.name)}
              </text>
            </a>
          );
        })}
      </svg>
      <Box component="p" fz="xs" mt={4} aria-hidden="true">
        <span style={{ color: RELATION_COLOR.depends_on }}>→ {RELATION_LABEL.depends_on}</span>
        {' · '}
        <span style={{ color: 'var(--mantine-color-teal-9)' }}>
          - - {RELATION_LABEL.redundant_with}
        </span>
        {
          ' · dashed frame: a redundancy group · dot colour: criticality (red critical, orange high, yellow medium, grey low)'
        }
      </Box>
    </Box>
  );
}
