/** Facts and a seeded random source for the behavioural detector tests. */
import type { Detector, DetectorFinding } from '../../src/detection/detectors/detector.ts';
import type { DetectorEvent } from '../../src/detection/detectors/detector-event.ts';

export const T0 = Date.UTC(2024, 0, 1, 0, 0, 0);
export const MIN = 60_000;
export const HOUR = 3_600_000;

let sequence = 0;

export function fact(
  parts: Partial<DetectorEvent> & Pick<DetectorEvent, 'kind' | 'timeMs'>,
): DetectorEvent {
  return {
    id: `f${++sequence}`,
    host: undefined,
    user: undefined,
    sourceIp: undefined,
    destinationIp: undefined,
    destinationPort: undefined,
    serverName: undefined,
    sentBytes: undefined,
    outcome: undefined,
    processName: undefined,
    parentName: undefined,
    dnsName: undefined,
    dnsResponseCode: undefined,
    ...parts,
  };
}

export const conn = (
  timeMs: number,
  src: string,
  dst: string,
  port: number,
  extra: Partial<DetectorEvent> = {},
): DetectorEvent =>
  fact({
    kind: 'connection',
    timeMs,
    sourceIp: src,
    destinationIp: dst,
    destinationPort: port,
    outcome: 'success',
    ...extra,
  });

/** Feeds facts; returns what was found. */
export function run(detector: Detector, facts: Iterable<DetectorEvent>): DetectorFinding[] {
  const found: DetectorFinding[] = [];
  for (const f of facts) detector.observe(f, (finding) => found.push(finding));
  return found;
}

/** A small seeded generator (mulberry32), so jittered inputs are the same on every run. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A detector rebuilt from a JSON round trip of another's snapshot (what a restart does). */
export function restarted(make: () => Detector, from: Detector): Detector {
  const next = make();
  next.restore(JSON.parse(JSON.stringify(from.snapshot())));
  return next;
}
