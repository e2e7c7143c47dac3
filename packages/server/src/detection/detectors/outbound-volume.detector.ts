/**
 * Outbound volume: bytes an inside host sends to outside addresses per hour, against its own
 * robust seasonal baseline. With two weeks of history the baseline is the same hour of the
 * week (and the hours either side) in earlier weeks; before that, the same hour of the day
 * (and either side) over the last week. Hours without traffic count as zero. The hour alerts
 * once, as soon as its running total exceeds median + `madFactor` × MAD (MAD at least
 * `minMadBytes`) and `minBytes`, so detection does not wait for the hour to end. A host whose
 * volume is heavy-tailed by nature (a backup agent, a build server) has hours far above its
 * median every week; the hour must also exceed `peakFactor` × the host's busiest hour of the
 * week before, so only volume the host has not come near alerts.
 */
import type { Detector, DetectorFinding, DetectorKind } from './detector.ts';
import { entities, pushBounded } from './detector.ts';
import type { DetectorEvent } from './detector-event.ts';
import { isInternal } from './detector-event.ts';
import { BoundedMap } from './bounded-map.ts';
import { ascending, mad, median, round } from './robust-stats.ts';

export const outboundVolumeDefaults = {
  madFactor: 8,
  minMadBytes: 1_000_000,
  minBytes: 50_000_000,
  minHistoryHours: 72,
  maxHosts: 2_000,
  peakFactor: 1.5,
};
type Thresholds = typeof outboundVolumeDefaults;

const HOUR = 3_600_000;
const KEEP_HOURS = 24 * 28;

interface HostVolume {
  /** Absolute hour (epoch ms / 1 h) → bytes sent outside in it; kept 4 weeks. */
  hours: Map<number, number>;
  firstHour: number;
  firedHour: number;
  ids: string[];
  /** The current hour's threshold, computed once per hour. */
  limit: {
    hour: number;
    value: number;
    median: number;
    mad: number;
    peak: number;
    values: number;
  } | null;
}

class OutboundVolumeDetector implements Detector {
  readonly name = 'outbound-volume';
  readonly #t: Thresholds;
  #hosts: BoundedMap<string, HostVolume>;

  constructor(thresholds: Thresholds) {
    this.#t = thresholds;
    this.#hosts = new BoundedMap(thresholds.maxHosts);
  }

  observe(e: DetectorEvent, emit: (finding: DetectorFinding) => void): void {
    if (e.kind !== 'connection' || !e.sourceIp || !e.destinationIp || !e.sentBytes) return;
    if (!isInternal(e.sourceIp) || isInternal(e.destinationIp)) return;
    const key = e.host ?? e.sourceIp;
    const hour = Math.floor(e.timeMs / HOUR);
    const host = this.#hosts.upsert(key, () => ({
      hours: new Map(),
      firstHour: hour,
      firedHour: -1,
      ids: [],
      limit: null,
    }));
    const total = (host.hours.get(hour) ?? 0) + e.sentBytes;
    if (!host.hours.has(hour)) {
      for (const h of host.hours.keys()) if (h < hour - KEEP_HOURS) host.hours.delete(h);
    }
    host.hours.set(hour, total);
    pushBounded(host.ids, e.id);
    if (hour - host.firstHour < this.#t.minHistoryHours || host.firedHour === hour) return;
    if (host.limit?.hour !== hour) host.limit = this.#limit(host, hour);
    const limit = host.limit;
    if (total <= limit.value) return;
    host.firedHour = hour;
    emit({
      key: `host:${key}`,
      title: `Unusual outbound volume from ${key}: ${Math.round(total / 1e6)} MB this hour`,
      level: 'high',
      tags: ['attack.exfiltration', 'attack.t1048', 'attack.t1041'],
      score: round(limit.mad > 0 ? (total - limit.median) / limit.mad : total, 1),
      threshold: this.#t.madFactor,
      summary: `${Math.round(total / 1e6)} MB sent outside in the hour from ${new Date(hour * HOUR).toISOString()}; usual ${Math.round(limit.median / 1e6)} MB (MAD ${Math.round(limit.mad / 1e6)} MB)`,
      features: { bytesThisHour: total, hourStart: new Date(hour * HOUR).toISOString() },
      baseline: {
        medianBytes: Math.round(limit.median),
        madBytes: Math.round(limit.mad),
        limitBytes: Math.round(limit.value),
        weekPeakBytes: Math.round(limit.peak),
        hoursCompared: limit.values,
        seasonality: hour - host.firstHour >= 24 * 14 ? 'hour of week' : 'hour of day',
      },
      entities: entities({ hosts: e.host ? [e.host] : [], ips: [e.sourceIp, e.destinationIp] }),
      firstSeen: hour * HOUR,
      lastSeen: e.timeMs,
      eventIds: [...host.ids],
      eventCount: host.ids.length,
    });
  }

  #limit(host: HostVolume, hour: number): NonNullable<HostVolume['limit']> {
    const weekly = hour - host.firstHour >= 24 * 14;
    const step = weekly ? 24 * 7 : 24;
    const values: number[] = [];
    for (let back = step; back <= (weekly ? KEEP_HOURS : 24 * 7); back += step) {
      for (const d of [-1, 0, 1]) {
        const h = hour - back + d;
        if (h >= host.firstHour) values.push(host.hours.get(h) ?? 0);
      }
    }
    const sorted = ascending(values);
    const m = median(sorted);
    const spread = Math.max(mad(sorted), this.#t.minMadBytes);
    let peak = 0;
    for (let h = hour - 24 * 7; h < hour; h++) peak = Math.max(peak, host.hours.get(h) ?? 0);
    return {
      hour,
      value: Math.max(m + this.#t.madFactor * spread, this.#t.minBytes, this.#t.peakFactor * peak),
      median: m,
      peak,
      mad: spread,
      values: values.length,
    };
  }

  snapshot(): unknown {
    return [...this.#hosts.entries()].map(([k, h]) => [k, h.firstHour, h.firedHour, [...h.hours]]);
  }

  restore(state: unknown): void {
    this.#hosts = new BoundedMap(this.#t.maxHosts);
    for (const [k, first, fired, hours] of (Array.isArray(state) ? state : []) as [
      string,
      number,
      number,
      [number, number][],
    ][])
      this.#hosts.set(k, {
        hours: new Map(hours),
        firstHour: first,
        firedHour: fired,
        ids: [],
        limit: null,
      });
  }

  entries(): number {
    return this.#hosts.size;
  }

  evictions(): number {
    return this.#hosts.evictions;
  }
}

export const outboundVolume: DetectorKind<Thresholds> = {
  name: 'outbound-volume',
  description: 'Bytes an inside host sends outside per hour against its own seasonal baseline',
  defaults: outboundVolumeDefaults,
  documentation: {
    madFactor: 'MADs above the median of comparable hours from which an hour is unusual',
    minMadBytes: 'floor of the MAD (a host with a flat baseline)',
    minBytes: 'an hour below this many bytes never alerts',
    minHistoryHours: 'history a host needs before it is judged',
    maxHosts: 'hosts held per tenant (least recently seen evicted)',
    peakFactor:
      "an hour must also exceed this many times the host's busiest hour of the week before",
  },
  create: (t) => new OutboundVolumeDetector(t),
};
