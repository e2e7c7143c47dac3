/**
 * DNS tunnelling and generated domains, from DNS queries (Zeek dns, Suricata dns, Sysmon 22,
 * resolver logs: ECS `dns.question.name`, `dns.response_code`). Per (client, registered
 * domain) within the window: many unique subdomains, or many long high-entropy labels
 * (encoded data); per client: a burst of NXDOMAIN answers for distinct names (a DGA walking
 * its list).
 */
import type { Detector, DetectorFinding, DetectorKind } from './detector.ts';
import { entities, pushBounded } from './detector.ts';
import type { DetectorEvent } from './detector-event.ts';
import { BoundedMap, RecentSet } from './bounded-map.ts';
import { finite } from './beaconing.detector.ts';
import { round, shannonEntropy } from './robust-stats.ts';

export const dnsTunnelDefaults = {
  windowMinutes: 60,
  uniqueSubdomains: 100,
  longLabelLength: 30,
  labelEntropyBits: 3.5,
  encodedQueries: 20,
  nxdomainBurst: 50,
  maxKeys: 20_000,
  namesPerKey: 512,
};
type Thresholds = typeof dnsTunnelDefaults;

interface DomainState {
  names: RecentSet;
  encoded: number[];
  ids: string[];
  firedAt: number;
}

/** `a.b.example.co.uk` → `example.co.uk`: two labels, three under a short second level. */
export function registeredDomain(name: string): string {
  const labels = name.split('.');
  if (labels.length <= 2) return name;
  const tld = labels[labels.length - 1]!;
  const second = labels[labels.length - 2]!;
  const take = tld.length === 2 && second.length <= 3 ? 3 : 2;
  return labels.slice(-take).join('.');
}

class DnsTunnelDetector implements Detector {
  readonly name = 'dns-tunnel';
  readonly #t: Thresholds;
  #domains: BoundedMap<string, DomainState>;
  #nx: BoundedMap<string, DomainState>;

  constructor(thresholds: Thresholds) {
    this.#t = thresholds;
    this.#domains = new BoundedMap(thresholds.maxKeys);
    this.#nx = new BoundedMap(thresholds.maxKeys);
  }

  observe(e: DetectorEvent, emit: (finding: DetectorFinding) => void): void {
    if (e.kind !== 'dns' || !e.dnsName) return;
    const client = e.sourceIp ?? e.host ?? '?';
    const windowMs = this.#t.windowMinutes * 60_000;
    const since = e.timeMs - windowMs;
    const domain = registeredDomain(e.dnsName);
    const sub = e.dnsName.length > domain.length ? e.dnsName.slice(0, -domain.length - 1) : '';
    const key = `${client}>${domain}`;
    const state = this.#domains.upsert(key, () => this.#fresh());
    if (sub !== '') state.names.add(sub, e.timeMs);
    const encoded = sub
      .split('.')
      .some(
        (l) => l.length >= this.#t.longLabelLength && shannonEntropy(l) >= this.#t.labelEntropyBits,
      );
    if (encoded) pushBounded(state.encoded, e.timeMs, this.#t.encodedQueries * 2);
    pushBounded(state.ids, e.id);
    while (state.encoded.length > 0 && state.encoded[0]! < since) state.encoded.shift();
    if (
      state.names.size >= this.#t.uniqueSubdomains ||
      state.encoded.length >= this.#t.encodedQueries
    ) {
      state.names.prune(since);
      this.#tunnel(state, { key, client, domain, e, emit, windowMs });
    }
    if (e.dnsResponseCode === 'NXDOMAIN') this.#nxdomain(client, e, emit, windowMs);
  }

  #fresh(): DomainState {
    return { names: new RecentSet(this.#t.namesPerKey), encoded: [], ids: [], firedAt: -Infinity };
  }

  #tunnel(
    state: DomainState,
    at: {
      key: string;
      client: string;
      domain: string;
      e: DetectorEvent;
      emit: (f: DetectorFinding) => void;
      windowMs: number;
    },
  ): void {
    const unique = state.names.size;
    const encoded = state.encoded.length;
    const overUnique = unique >= this.#t.uniqueSubdomains;
    if (!overUnique && encoded < this.#t.encodedQueries) return;
    if (at.e.timeMs - state.firedAt < at.windowMs) return;
    state.firedAt = at.e.timeMs;
    at.emit({
      key: at.key,
      title: `DNS tunnelling signs from ${at.client} to ${at.domain}`,
      level: 'high',
      tags: [
        'attack.command_and_control',
        'attack.t1071.004',
        'attack.exfiltration',
        'attack.t1048',
      ],
      score: overUnique ? unique : encoded,
      threshold: overUnique ? this.#t.uniqueSubdomains : this.#t.encodedQueries,
      summary: `${unique} unique subdomains of ${at.domain}, ${encoded} with long high-entropy labels, within ${this.#t.windowMinutes} min`,
      features: {
        uniqueSubdomains: unique,
        encodedQueries: encoded,
        sample: state.names.members().slice(-5),
        entropyOfLatest: round(shannonEntropy(state.names.members().at(-1) ?? '')),
      },
      baseline: {
        windowMinutes: this.#t.windowMinutes,
        longLabelLength: this.#t.longLabelLength,
        labelEntropyBits: this.#t.labelEntropyBits,
      },
      entities: entities({
        hosts: at.e.host ? [at.e.host] : [],
        ips: at.e.sourceIp ? [at.e.sourceIp] : [],
      }),
      firstSeen: state.names.oldest() ?? at.e.timeMs,
      lastSeen: at.e.timeMs,
      eventIds: [...state.ids],
      eventCount: unique,
    });
  }

  #nxdomain(
    client: string,
    e: DetectorEvent,
    emit: (f: DetectorFinding) => void,
    windowMs: number,
  ): void {
    const state = this.#nx.upsert(client, () => this.#fresh());
    state.names.add(e.dnsName!, e.timeMs);
    pushBounded(state.ids, e.id);
    if (state.names.size < this.#t.nxdomainBurst) return;
    state.names.prune(e.timeMs - windowMs);
    const names = state.names.size;
    if (names < this.#t.nxdomainBurst || e.timeMs - state.firedAt < windowMs) return;
    state.firedAt = e.timeMs;
    emit({
      key: `nx:${client}`,
      title: `NXDOMAIN burst from ${client}: ${names} names`,
      level: 'medium',
      tags: ['attack.command_and_control', 'attack.t1568.002'],
      score: names,
      threshold: this.#t.nxdomainBurst,
      summary: `${names} distinct names answered NXDOMAIN within ${this.#t.windowMinutes} min`,
      features: { names, sample: state.names.members().slice(-5) },
      baseline: { windowMinutes: this.#t.windowMinutes },
      entities: entities({ hosts: e.host ? [e.host] : [], ips: e.sourceIp ? [e.sourceIp] : [] }),
      firstSeen: state.names.oldest() ?? e.timeMs,
      lastSeen: e.timeMs,
      eventIds: [...state.ids],
      eventCount: names,
    });
  }

  snapshot(): unknown {
    const rows = (map: BoundedMap<string, DomainState>): unknown[] =>
      [...map.entries()].map(([k, s]) => [k, s.names.toJSON(), s.encoded, finite(s.firedAt)]);
    return { domains: rows(this.#domains), nx: rows(this.#nx) };
  }

  restore(state: unknown): void {
    const s = state as { domains?: unknown[]; nx?: unknown[] } | null;
    const load = (rows: unknown[] | undefined): BoundedMap<string, DomainState> => {
      const map = new BoundedMap<string, DomainState>(this.#t.maxKeys);
      for (const [k, names, encoded, fired] of (rows ?? []) as [
        string,
        [string, number][],
        number[],
        number | null,
      ][])
        map.set(k, {
          names: new RecentSet(this.#t.namesPerKey, names),
          encoded,
          ids: [],
          firedAt: fired ?? -Infinity,
        });
      return map;
    };
    this.#domains = load(s?.domains);
    this.#nx = load(s?.nx);
  }

  entries(): number {
    return this.#domains.size + this.#nx.size;
  }

  evictions(): number {
    return this.#domains.evictions + this.#nx.evictions;
  }
}

export const dnsTunnel: DetectorKind<Thresholds> = {
  name: 'dns-tunnel',
  description: 'Many unique or encoded subdomains of one domain; NXDOMAIN bursts',
  defaults: dnsTunnelDefaults,
  documentation: {
    windowMinutes: 'sliding window of queries',
    uniqueSubdomains: 'unique subdomains of one registered domain from one client',
    longLabelLength: 'a label at least this long may be encoded data',
    labelEntropyBits: 'Shannon entropy (bits/char) from which a long label counts as encoded',
    encodedQueries: 'queries with encoded labels to one domain from one client',
    nxdomainBurst: 'distinct names answered NXDOMAIN for one client',
    maxKeys: 'client/domain keys held per tenant, each kind (least recently seen evicted)',
    namesPerKey: 'names remembered per key',
  },
  create: (t) => new DnsTunnelDetector(t),
};
