/**
 * Port and address scans from flows and connection records: vertical (one source, many ports
 * of one host) and horizontal (one source, one port of many hosts). Members are counted over a
 * sliding window in event time, so a slow scan spread over the window counts as much as a fast
 * one. Horizontal counting takes inside destinations and failed attempts only: an inside host
 * reaching port 443 of many outside sites is browsing. The alert lists the scanned set.
 */
import type { Detector, DetectorFinding, DetectorKind } from './detector.ts';
import { entities, pushBounded } from './detector.ts';
import type { DetectorEvent } from './detector-event.ts';
import { isInternal } from './detector-event.ts';
import { BoundedMap, RecentSet } from './bounded-map.ts';
import { finite } from './beaconing.detector.ts';

export const portScanDefaults = {
  windowMinutes: 60,
  verticalPorts: 20,
  horizontalHosts: 20,
  maxKeys: 20_000,
  membersPerKey: 256,
};
type Thresholds = typeof portScanDefaults;

interface ScanState {
  members: RecentSet;
  ids: string[];
  firedAt: number;
}

class PortScanDetector implements Detector {
  readonly name = 'port-scan';
  readonly #t: Thresholds;
  #vertical: BoundedMap<string, ScanState>;
  #horizontal: BoundedMap<string, ScanState>;

  constructor(thresholds: Thresholds) {
    this.#t = thresholds;
    this.#vertical = new BoundedMap(thresholds.maxKeys);
    this.#horizontal = new BoundedMap(thresholds.maxKeys);
  }

  observe(e: DetectorEvent, emit: (finding: DetectorFinding) => void): void {
    if (e.kind !== 'connection' || !e.sourceIp || !e.destinationIp) return;
    if (e.destinationPort === undefined) return;
    const src = e.sourceIp;
    const dst = e.destinationIp;
    const port = String(e.destinationPort);
    this.#count({
      map: this.#vertical,
      key: `${src}>${dst}`,
      member: port,
      threshold: this.#t.verticalPorts,
      e,
      emit,
      finding: (state, members) => ({
        title: `Vertical port scan of ${dst} from ${src}`,
        summary: `${members.length} ports of ${dst} within ${this.#t.windowMinutes} min`,
        features: { ports: members.length, scannedPorts: members.slice(0, 100) },
        entities: entities({ sourceIps: [src], ips: [dst], hosts: e.host ? [e.host] : [] }),
        state,
      }),
    });
    if (!isInternal(dst) && e.outcome !== 'failure') return;
    this.#count({
      map: this.#horizontal,
      key: `${src}:${port}`,
      member: dst,
      threshold: this.#t.horizontalHosts,
      e,
      emit,
      finding: (state, members) => ({
        title: `Horizontal scan of port ${port} from ${src}`,
        summary: `${members.length} hosts on port ${port} within ${this.#t.windowMinutes} min`,
        features: { hosts: members.length, port, scannedHosts: members.slice(0, 100) },
        entities: entities({ sourceIps: [src], ips: members.slice(0, 20) }),
        state,
      }),
    });
  }

  #count(options: {
    map: BoundedMap<string, ScanState>;
    key: string;
    member: string;
    threshold: number;
    e: DetectorEvent;
    emit: (finding: DetectorFinding) => void;
    finding: (
      state: ScanState,
      members: string[],
    ) => Pick<DetectorFinding, 'title' | 'summary' | 'features' | 'entities'> & {
      state: ScanState;
    };
  }): void {
    const { map, key, e } = options;
    const windowMs = this.#t.windowMinutes * 60_000;
    const state = map.upsert(key, () => ({
      members: new RecentSet(this.#t.membersPerKey),
      ids: [],
      firedAt: -Infinity,
    }));
    state.members.add(options.member, e.timeMs);
    pushBounded(state.ids, e.id);
    if (state.members.size < options.threshold) return;
    state.members.prune(e.timeMs - windowMs);
    if (state.members.size < options.threshold || e.timeMs - state.firedAt < windowMs) return;
    state.firedAt = e.timeMs;
    const members = state.members.members();
    const { state: _state, ...found } = options.finding(state, members);
    options.emit({
      key,
      level: 'medium',
      tags: ['attack.discovery', 'attack.t1046'],
      score: members.length,
      threshold: options.threshold,
      baseline: { windowMinutes: this.#t.windowMinutes },
      firstSeen: state.members.oldest() ?? e.timeMs,
      lastSeen: e.timeMs,
      eventIds: [...state.ids],
      eventCount: members.length,
      ...found,
    });
  }

  snapshot(): unknown {
    const rows = (map: BoundedMap<string, ScanState>): unknown[] =>
      [...map.entries()].map(([k, s]) => [k, s.members.toJSON(), finite(s.firedAt)]);
    return { vertical: rows(this.#vertical), horizontal: rows(this.#horizontal) };
  }

  restore(state: unknown): void {
    const s = state as { vertical?: unknown[]; horizontal?: unknown[] } | null;
    const load = (rows: unknown[] | undefined): BoundedMap<string, ScanState> => {
      const map = new BoundedMap<string, ScanState>(this.#t.maxKeys);
      for (const row of (rows ?? []) as [string, [string, number][], number | null][])
        map.set(row[0], {
          members: new RecentSet(this.#t.membersPerKey, row[1]),
          ids: [],
          firedAt: row[2] ?? -Infinity,
        });
      return map;
    };
    this.#vertical = load(s?.vertical);
    this.#horizontal = load(s?.horizontal);
  }

  entries(): number {
    return this.#vertical.size + this.#horizontal.size;
  }

  evictions(): number {
    return this.#vertical.evictions + this.#horizontal.evictions;
  }
}

export const portScan: DetectorKind<Thresholds> = {
  name: 'port-scan',
  description: 'Vertical (many ports of one host) and horizontal (one port of many hosts) scans',
  defaults: portScanDefaults,
  documentation: {
    windowMinutes: 'sliding window in which scanned ports or hosts are counted',
    verticalPorts: 'distinct ports of one host from one source within the window',
    horizontalHosts: 'distinct inside hosts (or failed attempts) on one port from one source',
    maxKeys: 'source/target keys held per tenant, each kind (least recently seen evicted)',
    membersPerKey: 'ports or hosts remembered per key',
  },
  create: (t) => new PortScanDetector(t),
};
