/**
 * Beaconing / command-and-control: per (source, destination, port, server name) pair to an
 * outside endpoint, how regular the check-ins are. Connections closer than `burstSeconds` to
 * the previous one are one check-in (a client opening parallel connections). Over the last
 * `samples` check-ins of a pair:
 * - timing: the median absolute deviation of the inter-arrival times relative to their median
 *   (a timer with ±50 % jitter stays near 0.25, random arrivals near 0.69), and how far below
 *   random arrivals that is for this many intervals (`significance`, a z-like figure: few
 *   intervals are needed for a steady timer, more for a heavily jittered one, so a handful of
 *   visits that happen to look even is not enough);
 * - sizes: the same dispersion of the bytes sent per check-in;
 * - coverage: how much of `coverageHours` the pair spans;
 * - rarity: how many inside hosts talk to the same destination, or keep the same schedule (port,
 *   interval and size) to any destination, within the window — what `popularSources` or more
 *   hosts do (an update service, time servers of one pool, a monitoring endpoint, a CDN) is
 *   infrastructure; what only one host does is not;
 * - a weak prior for well-known periodic services (NTP on port 123): a small deduction, not an
 *   allow-list, so a near-perfect beacon on that port still alerts.
 * The score is their weighted sum in [0, 1]; at least `minConnections` check-ins and the
 * significance are needed. Separately, repeated failed connections to one outside endpoint (an
 * implant whose server is down or blocked) within the window.
 */
import type { Detector, DetectorFinding, DetectorKind } from './detector.ts';
import { entities, pushBounded } from './detector.ts';
import type { DetectorEvent } from './detector-event.ts';
import { isInternal } from './detector-event.ts';
import { BoundedMap, RecentSet } from './bounded-map.ts';
import { ascending, mad, median, quartileSkew, round } from './robust-stats.ts';

export const beaconingDefaults = {
  minConnections: 10,
  score: 0.8,
  samples: 48,
  coverageHours: 2,
  windowHours: 24,
  failedConnections: 20,
  maxPairs: 10_000,
  significance: 3,
  burstSeconds: 5,
  popularSources: 4,
};
type Thresholds = typeof beaconingDefaults;

/** Relative MAD of the intervals of random (Poisson) arrivals, and its spread × √n. */
const RANDOM_MAD_RATIO = 0.69;
const RANDOM_MAD_SPREAD = 0.6;
/** Ports of services that poll on a timer by design: a weak prior, never an allow-list. */
const PERIODIC_SERVICE_PORTS: ReadonlySet<number> = new Set([123]);
const PERIODIC_SERVICE_PRIOR = 0.1;
const WEIGHTS = { timing: 0.4, bytes: 0.2, coverage: 0.15, rarity: 0.25 };
/** A pair's schedule is recorded from this many check-ins, when its dispersion is below this. */
const SCHEDULE_FROM = 5;
const SCHEDULE_MAD_RATIO = 0.25;

interface Measured {
  intervals: number;
  medianMs: number;
  madRatio: number;
  skew: number;
  bytesKnown: boolean;
  bytesMedian: number;
  bytesMadRatio: number;
}

function measure(pair: PairState): Measured {
  const intervals: number[] = [];
  for (let i = 1; i < pair.times.length; i++)
    intervals.push(Math.max(0, pair.times[i]! - pair.times[i - 1]!));
  const sorted = ascending(intervals);
  const medianMs = median(sorted);
  const known = pair.bytes.filter((b) => b >= 0);
  const sortedBytes = ascending(known);
  const bytesMedian = median(sortedBytes);
  const bytesKnown = known.length >= pair.bytes.length / 2;
  return {
    intervals: intervals.length,
    medianMs,
    madRatio: medianMs > 0 ? mad(sorted) / medianMs : 1,
    skew: quartileSkew(sorted),
    bytesKnown,
    bytesMedian,
    bytesMadRatio: !bytesKnown ? 0.5 : bytesMedian > 0 ? mad(sortedBytes) / bytesMedian : 0,
  };
}

interface PairState {
  /** Check-in times (ms) and bytes sent per check-in (-1: unknown), oldest first, at most `samples`. */
  times: number[];
  bytes: number[];
  failures: number[];
  ids: string[];
  /** First connection of the pair still held (the coverage starts there). */
  first: number;
  /** The latest connection (a burst continues from it). */
  last: number;
  seen: number;
  /** `seen` at which the pair is measured next (not saved: after a restart, at once). */
  measureAt: number;
  firedAt: number;
  failedFiredAt: number;
}

interface Scored {
  score: number;
  significance: number;
  features: Record<string, number>;
}

class BeaconingDetector implements Detector {
  readonly name = 'beaconing';
  readonly #t: Thresholds;
  #pairs: BoundedMap<string, PairState>;
  /** Per destination (server name or address, and port): the inside hosts that reached it. */
  #destinations: BoundedMap<string, RecentSet>;
  /** Per schedule (port, interval, size): the inside hosts keeping it. */
  #schedules: BoundedMap<string, RecentSet>;

  constructor(thresholds: Thresholds) {
    this.#t = thresholds;
    this.#pairs = new BoundedMap(thresholds.maxPairs);
    this.#destinations = new BoundedMap(thresholds.maxPairs);
    this.#schedules = new BoundedMap(thresholds.maxPairs);
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
      last: -Infinity,
      seen: 0,
      measureAt: SCHEDULE_FROM,
      firedAt: -Infinity,
      failedFiredAt: -Infinity,
    }));
    const windowMs = this.#t.windowHours * 3_600_000;
    pushBounded(pair.ids, e.id);
    if (e.outcome === 'failure') {
      this.#failed(key, pair, e, windowMs, emit);
      return;
    }
    const destination = this.#destination(e);
    destination.add(e.sourceIp, e.timeMs);
    const sent = e.sentBytes ?? -1;
    const inBurst = e.timeMs - pair.last < this.#t.burstSeconds * 1000 && pair.times.length > 0;
    pair.last = Math.max(pair.last, e.timeMs);
    if (inBurst) {
      const at = pair.bytes.length - 1;
      if (pair.bytes[at]! >= 0 && sent >= 0) pair.bytes[at]! += sent;
      return;
    }
    pair.seen++;
    pushBounded(pair.times, e.timeMs, this.#t.samples);
    pushBounded(pair.bytes, sent, this.#t.samples);
    const held = pair.times.length;
    if (held < SCHEDULE_FROM) return;
    if (held >= this.#t.minConnections && e.timeMs - pair.firedAt < windowMs) return;
    // Measuring sorts the samples: a pair is measured again after a quarter of what it holds
    // is new (every other check-in while it holds few), and always when it reaches minConnections.
    if (held !== this.#t.minConnections && pair.seen < pair.measureAt) return;
    pair.measureAt = pair.seen + Math.max(2, Math.floor(held / 4));
    const measured = measure(pair);
    if (measured.medianMs <= 0) return;
    const schedule = measured.madRatio <= SCHEDULE_MAD_RATIO ? this.#schedule(e, measured) : [];
    if (held < this.#t.minConnections) return;
    const since = e.timeMs - windowMs;
    destination.prune(since);
    const sameSchedule = new Set<string>();
    for (const hosts of schedule) {
      hosts.prune(since);
      for (const host of hosts.members()) sameSchedule.add(host);
    }
    const scored = this.#score(pair, measured, {
      destination: destination.size,
      schedule: sameSchedule.size,
      port: e.destinationPort,
    });
    if (scored.significance < this.#t.significance || scored.score < this.#t.score) return;
    pair.firedAt = e.timeMs;
    emit({
      key,
      title: `Beaconing from ${e.sourceIp} to ${e.destinationIp}:${e.destinationPort ?? '?'}`,
      level: 'high',
      tags: ['attack.command_and_control', 'attack.t1071', 'attack.t1573'],
      score: round(scored.score),
      threshold: this.#t.score,
      summary: `${held} check-ins at a median interval of ${Math.round(measured.medianMs / 1000)} s with relative MAD ${round(measured.madRatio)} (random arrivals: ${RANDOM_MAD_RATIO}); ${destination.size} inside host(s) reach this destination, ${sameSchedule.size} keep this schedule`,
      features: scored.features,
      baseline: {
        minConnections: this.#t.minConnections,
        coverageHours: this.#t.coverageHours,
        significance: this.#t.significance,
        randomArrivalsMadRatio: RANDOM_MAD_RATIO,
        popularSources: this.#t.popularSources,
        weights: `timing ${WEIGHTS.timing}, bytes ${WEIGHTS.bytes}, coverage ${WEIGHTS.coverage}, rarity ${WEIGHTS.rarity}; periodic-service port −${PERIODIC_SERVICE_PRIOR}`,
      },
      entities: entities({
        hosts: e.host ? [e.host] : [],
        sourceIps: [e.destinationIp],
        ips: [e.sourceIp],
      }),
      firstSeen: pair.times[0]!,
      lastSeen: e.timeMs,
      eventIds: [...pair.ids],
      eventCount: held,
    });
  }

  #destination(e: DetectorEvent): RecentSet {
    const key = `${e.serverName ?? e.destinationIp}:${e.destinationPort ?? ''}`;
    return this.#destinations.upsert(key, () => new RecentSet(this.#popularCap()));
  }

  /**
   * Records this host under its pair's schedule (port, interval and size, on log scales ~10 %
   * and ~20 % wide) and returns the hosts of that schedule and its neighbours: NTP clients
   * polling different pool servers, or agents reaching different addresses of one service,
   * share a schedule though not a destination.
   */
  #schedule(e: DetectorEvent, measured: Measured): RecentSet[] {
    const port = e.destinationPort ?? '';
    const period = Math.round(Math.log(measured.medianMs) / Math.log(1.1));
    const size = measured.bytesKnown ? Math.round(Math.log2(measured.bytesMedian + 1) * 4) : 'u';
    const own = `${port}|${period}|${size}`;
    this.#schedules.upsert(own, () => new RecentSet(this.#popularCap())).add(e.sourceIp!, e.timeMs);
    const found: RecentSet[] = [];
    for (const p of [period - 1, period, period + 1])
      for (const b of typeof size === 'number' ? [size - 1, size, size + 1] : [size]) {
        const hosts = this.#schedules.peek(`${port}|${p}|${b}`);
        if (hosts) found.push(hosts);
      }
    return found;
  }

  /** Counting stops mattering at `popularSources`: that many hosts are kept, no more. */
  #popularCap(): number {
    return Math.max(1, Math.ceil(this.#t.popularSources));
  }

  #score(
    pair: PairState,
    measured: Measured,
    sources: { destination: number; schedule: number; port: number | undefined },
  ): Scored {
    const { medianMs, madRatio, intervals } = measured;
    const significance = ((RANDOM_MAD_RATIO - madRatio) * Math.sqrt(intervals)) / RANDOM_MAD_SPREAD;
    const timing = Math.max(0, 1 - madRatio / RANDOM_MAD_RATIO);
    const bytes = 1 - Math.min(1, measured.bytesMadRatio / 0.5);
    const span = pair.times[pair.times.length - 1]! - Math.min(pair.first, pair.times[0]!);
    const coverage = Math.min(1, span / (this.#t.coverageHours * 3_600_000));
    const popular = Math.max(2, this.#t.popularSources);
    const widest = Math.max(sources.destination, sources.schedule);
    const rarity = 1 - Math.min(1, Math.max(0, widest - 1) / (popular - 1));
    const prior =
      sources.port !== undefined && PERIODIC_SERVICE_PORTS.has(sources.port)
        ? PERIODIC_SERVICE_PRIOR
        : 0;
    const score =
      WEIGHTS.timing * timing +
      WEIGHTS.bytes * bytes +
      WEIGHTS.coverage * coverage +
      WEIGHTS.rarity * rarity -
      prior;
    return {
      score: Math.max(0, score),
      significance,
      features: {
        connections: pair.times.length,
        medianIntervalS: round(medianMs / 1000, 1),
        intervalMadRatio: round(madRatio),
        intervalSkew: round(measured.skew),
        significance: round(significance, 2),
        bytesMedian: round(measured.bytesMedian, 0),
        bytesMadRatio: round(measured.bytesMadRatio),
        coverage: round(coverage),
        destinationSources: sources.destination,
        sameScheduleSources: sources.schedule,
        servicePrior: prior,
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
    return {
      pairs: [...this.#pairs.entries()].map(([key, p]) => [
        key,
        deltas(p.times),
        p.bytes,
        deltas(p.failures),
        p.seen,
        p.first,
        finite(p.firedAt),
        finite(p.failedFiredAt),
        finite(p.last),
      ]),
      destinations: [...this.#destinations.entries()].map(([key, s]) => [key, s.toJSON()]),
      schedules: [...this.#schedules.entries()].map(([key, s]) => [key, s.toJSON()]),
    };
  }

  /** Takes this snapshot, and the older one (the pairs' rows alone, no destinations). */
  restore(state: unknown): void {
    const s = (Array.isArray(state) ? { pairs: state } : state) as {
      pairs?: unknown;
      destinations?: unknown;
      schedules?: unknown;
    } | null;
    this.#pairs = new BoundedMap(this.#t.maxPairs);
    this.#destinations = new BoundedMap(this.#t.maxPairs);
    this.#schedules = new BoundedMap(this.#t.maxPairs);
    if (!s || !Array.isArray(s.pairs)) return;
    for (const row of s.pairs as [
      string,
      number[],
      number[],
      number[],
      number,
      number,
      number | null,
      number | null,
      (number | null)?,
    ][]) {
      const times = undeltas(row[1]);
      this.#pairs.set(row[0], {
        times,
        bytes: row[2],
        failures: undeltas(row[3]),
        ids: [],
        seen: row[4],
        measureAt: 0,
        first: row[5],
        firedAt: row[6] ?? -Infinity,
        failedFiredAt: row[7] ?? -Infinity,
        last: row[8] ?? times[times.length - 1] ?? -Infinity,
      });
    }
    const cap = this.#popularCap();
    for (const [map, rows] of [
      [this.#destinations, s.destinations],
      [this.#schedules, s.schedules],
    ] as const)
      if (Array.isArray(rows))
        for (const row of rows as [string, [string, number][]][])
          map.set(row[0], new RecentSet(cap, row[1]));
  }

  entries(): number {
    return this.#pairs.size + this.#destinations.size + this.#schedules.size;
  }

  evictions(): number {
    return this.#pairs.evictions + this.#destinations.evictions + this.#schedules.evictions;
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
    minConnections: 'check-ins of a pair needed before it is scored',
    score: 'score (0–1) from which a pair is a beacon',
    significance:
      'how far below random arrivals the interval dispersion must be, for the intervals held (z-like; 3 ≈ 1 in 1,000 for random arrivals)',
    burstSeconds: 'connections of a pair this close to the previous one are one check-in',
    popularSources:
      'inside hosts reaching one destination within the window from which it counts as infrastructure (rarity 0)',
    samples: 'latest connections kept and scored per pair',
    coverageHours: 'span of connections that counts as full coverage',
    windowHours: 'observation window; a pair alerts at most once per window',
    failedConnections: 'failed connections to one outside endpoint within the window',
    maxPairs: 'pairs held per tenant (least recently seen evicted)',
  },
  create: (t) => new BeaconingDetector(t),
};
