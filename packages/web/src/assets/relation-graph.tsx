/**
 * An asset's neighbourhood as a small SVG drawing: the asset in the middle, what it is related
 * to on a circle around it, one arrow per relation coloured by kind. Written here rather than
 * taken from a graph library: a star of a few dozen nodes needs no layout engine, and the
 * console's budget stays for screens. The drawing is an image with a text summary; the table
 * beside it carries the same relations for keyboard and screen reader.
 */
import { Box } from '@mantine/core';
import type { Relation } from './use-assets.ts';

const SIZE = 420;
const CENTRE = SIZE / 2;
const RADIUS = 150;
/** Beyond this the circle gets crowded; the table still lists every relation. */
const MAX_NEIGHBOURS = 24;

export const RELATION_COLOR: Readonly<Record<Relation['kind'], string>> = {
  depends_on: 'var(--mantine-color-blue-8)',
  redundant_with: 'var(--mantine-color-teal-8)',
  runs_function: 'var(--mantine-color-grape-8)',
};

export const RELATION_LABEL: Readonly<Record<Relation['kind'], string>> = {
  depends_on: 'depends on',
  redundant_with: 'redundant with',
  runs_function: 'runs function',
};

export interface Neighbour {
  readonly id: string;
  readonly name: string;
  readonly relation: Relation;
  /** True when the relation points at the asset in the middle. */
  readonly inbound: boolean;
}

function label(text: string): string {
  return text.length > 18 ? `${text.slice(0, 17)}…` : text;
}

export function RelationGraph({
  name,
  neighbours,
}: {
  readonly name: string;
  readonly neighbours: readonly Neighbour[];
}) {
  const shown = neighbours.slice(0, MAX_NEIGHBOURS);
  const summary = shown
    .map((n) =>
      n.inbound
        ? `${n.name} ${RELATION_LABEL[n.relation.kind]} ${name}`
        : `${name} ${RELATION_LABEL[n.relation.kind]} ${n.name}`,
    )
    .join('; ');
  return (
    <Box maw={360}>
      <svg
        role="img"
        aria-label={`Relations of ${name}: ${summary || 'none'}`}
        viewBox={`0 0 ${SIZE} ${SIZE}`}
        width="100%"
      >
        <defs>
          {Object.entries(RELATION_COLOR).map(([kind, color]) => (
            <marker
              key={kind}
              id={`arrow-${kind}`}
              viewBox="0 0 10 10"
              refX="10"
              refY="5"
              markerWidth="7"
              markerHeight="7"
              orient="auto-start-reverse"
            >
              <path d="M 0 0 L 10 5 L 0 10 z" fill={color} />
            </marker>
          ))}
        </defs>
        {shown.map((n, i) => {
          const angle = (2 * Math.PI * i) / Math.max(shown.length, 1) - Math.PI / 2;
          const x = CENTRE + RADIUS * Math.cos(angle);
          const y = CENTRE + RADIUS * Math.sin(angle);
          // Stop the line at the node's edge so the arrow head shows.
          const ratio = (RADIUS - 34) / RADIUS;
          const ex = CENTRE + (x - CENTRE) * ratio;
          const ey = CENTRE + (y - CENTRE) * ratio;
          const sx = CENTRE + (x - CENTRE) * (30 / RADIUS);
          const sy = CENTRE + (y - CENTRE) * (30 / RADIUS);
          const [x1, y1, x2, y2] = n.inbound ? [ex, ey, sx, sy] : [sx, sy, ex, ey];
          return (
            <g key={`${n.relation.id}`}>
              <line
                x1={x1}
                y1={y1}
                x2={x2}
                y2={y2}
                stroke={RELATION_COLOR[n.relation.kind]}
                strokeWidth={2}
                strokeDasharray={n.relation.kind === 'redundant_with' ? '6 4' : undefined}
                markerEnd={`url(#arrow-${n.relation.kind})`}
              />
              <circle
                cx={x}
                cy={y}
                r={8}
                fill={n.relation.kind === 'runs_function' ? 'var(--mantine-color-grape-1)' : '#fff'}
                stroke={RELATION_COLOR[n.relation.kind]}
                strokeWidth={2}
              />
              <text
                x={x}
                y={y + (y >= CENTRE ? 24 : -14)}
                textAnchor="middle"
                fontSize={12}
                fill="var(--mantine-color-text)"
              >
                {label(n.name)}
              </text>
            </g>
          );
        })}
        <circle
          cx={CENTRE}
          cy={CENTRE}
          r={26}
          fill="var(--mantine-color-indigo-8)"
          stroke="var(--mantine-color-indigo-9)"
        />
        <text
          x={CENTRE}
          y={CENTRE + 46}
          textAnchor="middle"
          fontSize={13}
          fontWeight={700}
          fill="var(--mantine-color-text)"
        >
          {label(name)}
        </text>
      </svg>
    </Box>
  );
}
