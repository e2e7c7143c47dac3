/**
 * Beaconing / command-and-control: per (source, destination, port, server name) pair to an
 * outside endpoint, how regular the connections are. Over the last `samples` connections of a
 * pair: the median absolute deviation of the inter-arrival times relative to their median
 * (a jittered timer stays low, people browsing do not), the quartile skew of those intervals,
 * the same dispersion of the bytes sent, and how much of the coverage span the pair covers.
 * The score is their weighted sum in [0, 1]; at least `minConnections` connections are needed.
 * Separately, repeated failed connections to one outside endpoint (an implant whose server is
 * down or blocked) within the window.
 */
import type { Detector, DetectorFinding, DetectorKind } from './detector.ts';
import { entities, pushBounded } from './detector.ts';
import type { DetectorEvent } from './detector-event.ts';
import { isInternal } from './detector-event.ts';
import { BoundedMap } from './bounded-map.ts';
import { ascending, mad, median, quartileSkew, round } from './robust-stats.ts';

export const beaconingDefaults = {
  minConnections: 10,
  score: 0.8,
  samples: 48,
  coverageHours: 2,
  windowHours: 24,
  failedConnections: 20,
  maxPairs: 10_000,
};
type Thresholds = typeof beaconingDefaults;

interface PairState {
  /** Connection times (ms) and bytes sent (-1: unknown), oldest first, at most `samples`. */
  times: number[];
  bytes: number[];
  failures: number[];
  ids: string[];
  /** First connection of the pair still held (the coverage starts there). */
  first: number;
  seen: number;
  firedAt: number;
  failedFiredAt: number;
}

class BeaconingDetector implements Detector {
  readonly name = 'beaconing';
  readonly #t: Thresholds;
  #pairs: BoundedMap<string, PairState>;

  constructor(thresholds: Thresholds) {
    this.#t = thresholds;
    this.#pairs = new BoundedMap(thresholds.maxPairs);
  }

  observe(e: DetectorEvent, emit: (finding: DetectorFinding) => void): void {
    if (e.kind !== 'connection' || !e.sourceIp || !e.destinationIp) return;
    if (isInternal(e.destinationIp) || !isInternal(e.sourceIp)) return;
    const key = `${e.sourceIp}>${e.destinationIp}:${e.destinationPort ?? ''}/${e.serverName ?? ''}`;
    const pair = this.#pairs.upsert(key, () => ({
      times: [],
      bytes: [],
      failures: [],
      ids: [],
      first: e.timeMs,
      seen: 0,
      firedAt: -Infinity,
      failedFiredAt: -Infinity,
    }));
    const windowMs = this.#t.windowHours * 3_600_000;
    pushBounded(pair.ids, e.id);
    if (e.outcome === 'failure') {
      this.#failed(key, pair, e, windowMs, emit);
      return;
    }
    pair.seen++;
    pushBounded(pair.times, e.timeMs, this.#t.samples);
    pushBounded(pair.bytes, e.sentBytes ?? -1, this.#t.samples);
    if (pair.times.length < this.#t.minConnections) return;
    if (e.timeMs - pair.firedAt < windowMs) return;
    // Scoring sorts the samples: every other connection of a busy pair is enough.
    if (pair.times.length > this.#t.minConnections && pair.seen % 2 === 1) return;
    const scored = this.#score(pair);
    if (scored.score < this.#t.score) return;
    pair.firedAt = e.timeMs;
    emit({
      key,
      title: `Beaconing from ${e.sourceIp} to ${e.destinationIp}:${e.destinationPort ?? '?'}`,
      level: 'high',
      tags: ['attack.command_and_control', 'attack.t1071', 'attack.t1573'],
      score: round(scored.score),
      threshold: this.#t.score,
      summary: `${pair.times.length} connections at a median interval of ${Math.round(scored.features.medianIntervalS)} s with relative MAD ${scored.features.intervalMadRatio}`,
      features: scored.features,
      baseline: {
        minConnections: this.#t.minConnections,
        coverageHours: this.#t.coverageHours,
        weights: 'interval 0.4, skew 0.2, bytes 0.2, coverage 0.2',
      },
      entities: entities({
        hosts: e.host ? [e.host] : [],
        sourceIps: [e.destinationIp],
        ips: [e.sourceIp],
      }),
      firstSeen: pair.times[0]!,
      lastSeen: e.timeMs,
      eventIds: [...pair.ids],
      eventCount: pair.times.length,
    });
  }

  #score(pair: PairState): {
    score: number;
    features: { medianIntervalS: number; intervalMadRatio: number } & Record<string, number>;
  } {
    const intervals: number[] = [];
    for (let i = 1; i < pair.times.length; i++)
      intervals.push(Math.max(0, pair.times[i]! - pair.times[i - 1]!));
    const sorted = ascending(intervals);
    const m = median(sorted);
    const madRatio = m > 0 ? mad(sorted) / m : 1;
    const skew = quartileSkew(sorted);
    const known = pair.bytes.filter((b) => b >= 0);
    const sortedBytes = ascending(known);
    const bytesMedian = median(sortedBytes);
    const bytesRatio =
      known.length < pair.bytes.length / 2
        ? 0.5
        : bytesMedian > 0
          ? mad(sortedBytes) / bytesMedian
          : 0;
    const span = pair.times[pair.times.length - 1]! - Math.min(pair.first, pair.times[0]!);
    const coverage = Math.min(1, span / (this.#t.coverageHours * 3_600_000));
    const score =
      0.4 * (1 - Math.min(1, madRatio)) +
      0.2 * (1 - Math.abs(skew)) +
      0.2 * (1 - Math.min(1, bytesRatio)) +
      0.2 * coverage;
    return {
      score: m > 0 ? score : 0,
      features: {
        connections: pair.times.length,
        medianIntervalS: round(m / 1000, 1),
        intervalMadRatio: round(madRatio),
        intervalSkew: round(skew),
        bytesMedian: round(bytesMedian, 0),
        bytesMadRatio: round(bytesRatio),
        coverage: round(coverage),
      },
    };
  }

  #failed(
    key: string,
    pair: PairState,
    e: DetectorEvent,
    windowMs: number,
    emit: (finding: DetectorFinding) => void,
  ): void {
    const since = e.timeMs - windowMs;
    pair.failures.push(e.timeMs);
    while (pair.failures.length > 0 && pair.failures[0]! < since) pair.failures.shift();
    if (pair.failures.length > this.#t.failedConnections) pair.failures.shift();
    if (pair.failures.length < this.#t.failedConnections) return;
    if (e.timeMs - pair.failedFiredAt < windowMs) return;
    pair.failedFiredAt = e.timeMs;
    emit({
      key: `failed:${key}`,
      title: `Repeated failed connections from ${e.sourceIp} to ${e.destinationIp}:${e.destinationPort ?? '?'}`,
      level: 'medium',
      tags: ['attack.command_and_control', 'attack.t1071'],
      score: pair.failures.length,
      threshold: this.#t.failedConnections,
      summary: `${pair.failures.length} failed connections to one outside endpoint within ${this.#t.windowHours} h`,
      features: {
        failures: pair.failures.length,
        firstFailure: new Date(pair.failures[0]!).toISOString(),
      },
      baseline: { windowHours: this.#t.windowHours },
      entities: entities({
        hosts: e.host ? [e.host] : [],
        sourceIps: [e.destinationIp!],
        ips: [e.sourceIp!],
      }),
      firstSeen: pair.failures[0]!,
      lastSeen: e.timeMs,
      eventIds: [...pair.ids],
      eventCount: pair.failures.length,
    });
  }

  snapshot(): unknown {
    return [...this.#pairs.entries()].map(([key, p]) => [
      key,
      deltas(p.times),
      p.bytes,
      deltas(p.failures),
      p.seen,
      p.first,
      finite(p.firedAt),
      finite(p.failedFiredAt),
    ]);
  }

  restore(state: unknown): void {
    if (!Array.isArray(state)) return;
    this.#pairs = new BoundedMap(this.#t.maxPairs);
    for (const row of state as [
      string,
      number[],
      number[],
      number[],
      number,
      number,
      number | null,
      number | null,
    ][])
      this.#pairs.set(row[0], {
        times: undeltas(row[1]),
        bytes: row[2],
        failures: undeltas(row[3]),
        ids: [],
        seen: row[4],
        first: row[5],
        firedAt: row[6] ?? -Infinity,
        failedFiredAt: row[7] ?? -Infinity,
      });
  }

  entries(): number {
    return this.#pairs.size;
  }

  evictions(): number {
    return this.#pairs.evictions;
  }
}

/** Times as the first one and the gaps after it: a snapshot a third the size. */
export function deltas(times: readonly number[]): number[] {
  return times.map((t, i) => (i === 0 ? t : t - times[i - 1]!));
}

export function undeltas(values: readonly number[]): number[] {
  const out: number[] = [];
  for (const v of values) out.push(out.length === 0 ? v : out[out.length - 1]! + v);
  return out;
}

export const finite = (value: number): number | null => (Number.isFinite(value) ? value : null);

export const beaconing: DetectorKind<Thresholds> = {
  name: 'beaconing',
  description:
    'Regular connections (times and sizes) from an inside host to one outside endpoint; repeated failed connections to one',
  defaults: beaconingDefaults,
  documentation: {
    minConnections: 'connections of a pair needed before it is scored',
    score: 'score (0–1) from which a pair is a beacon',
    samples: 'latest connections kept and scored per pair',
    coverageHours: 'span of connections that counts as full coverage',
    windowHours: 'observation window; a pair alerts at most once per window',
    failedConnections: 'failed connections to one outside endpoint within the window',
    maxPairs: 'pairs held per tenant (least recently seen evicted)',
  },
  create: (t) => new BeaconingDetector(t),
};
