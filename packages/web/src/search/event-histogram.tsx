/**
 * Matching events over time as bars, drawn as SVG (no chart library for one bar chart). The
 * figure carries a text summary for screen readers; each bar's count is in its title.
 */
import { Box, Text } from '@mantine/core';
import type { EventHistogram as Histogram } from './search-types.ts';

const WIDTH = 1000;
const HEIGHT = 80;

function span(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}

/**
 * Bars sit at their time within the window searched (the server may leave out empty buckets);
 * an unbounded side ends at the first bucket or now.
 */
export function EventHistogram({
  histogram,
  window,
}: {
  readonly histogram: Histogram;
  readonly window: { readonly from: string | undefined; readonly to: string | undefined };
}) {
  const { buckets, intervalMs } = histogram;
  if (buckets.length === 0) return null;
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const total = buckets.reduce((sum, b) => sum + b.count, 0);
  const firstStart = Date.parse(buckets[0]!.start);
  const lastEnd = Date.parse(buckets[buckets.length - 1]!.start) + intervalMs;
  const start = Math.min(
    window.from === undefined ? firstStart : Date.parse(window.from),
    firstStart,
  );
  const end = Math.max(window.to === undefined ? Date.now() : Date.parse(window.to), lastEnd);
  const scale = WIDTH / Math.max(1, end - start);
  const barWidth = Math.max(1, intervalMs * scale);
  const first = new Date(start).toLocaleString();
  const last = new Date(end).toLocaleString();
  return (
    <Box>
      <svg
        role="img"
        aria-label={`Events over time: ${total.toLocaleString()} in ${buckets.length} buckets of ${span(intervalMs)} from ${first}, at most ${max.toLocaleString()} in one`}
        viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
        preserveAspectRatio="none"
        width="100%"
        height={HEIGHT}
      >
        {buckets.map((b) => {
          const h = b.count === 0 ? 0 : Math.max(2, (b.count / max) * (HEIGHT - 2));
          return (
            <rect
              key={b.start}
              x={(Date.parse(b.start) - start) * scale + barWidth * 0.1}
              y={HEIGHT - h}
              width={Math.max(1, barWidth * 0.8)}
              height={h}
              fill="var(--mantine-color-blue-6)"
            >
              <title>{`${new Date(b.start).toLocaleString()}: ${b.count}`}</title>
            </rect>
          );
        })}
      </svg>
      <Text size="xs" c="dimmed" aria-hidden>
        {first} — {last} · {span(intervalMs)} per bar
      </Text>
    </Box>
  );
}
