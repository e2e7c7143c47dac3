/**
 * Rare processes and unusual parent/child pairs, per host and per tenant, after a baseline
 * period (counted per host from its first process event). A process a host has never run,
 * that at most `rareTenantHosts` other hosts of the tenant run, is rare; a parent → child pair
 * the tenant has never seen, for a child that at least `commonChildHosts` hosts run, is an
 * unusual parent — an Office application or a browser starting a shell or a script host is
 * raised high (ATT&CK T1204 / T1059).
 */
import type { Detector, DetectorFinding, DetectorKind } from './detector.ts';
import { entities } from './detector.ts';
import type { DetectorEvent } from './detector-event.ts';
import { BoundedMap, RecentSet } from './bounded-map.ts';

export const rareProcessDefaults = {
  baselineHours: 24,
  rareTenantHosts: 1,
  commonChildHosts: 3,
  maxHosts: 5_000,
  processesPerHost: 512,
  maxTenantProcesses: 20_000,
  maxTenantPairs: 20_000,
};
type Thresholds = typeof rareProcessDefaults;

const DOCUMENT_PARENTS = new Set([
  'winword.exe',
  'excel.exe',
  'powerpnt.exe',
  'outlook.exe',
  'msaccess.exe',
  'onenote.exe',
  'acrord32.exe',
  'chrome.exe',
  'msedge.exe',
  'firefox.exe',
]);
const SHELLS = new Set([
  'cmd.exe',
  'powershell.exe',
  'pwsh.exe',
  'wscript.exe',
  'cscript.exe',
  'mshta.exe',
  'rundll32.exe',
  'regsvr32.exe',
  'bash',
  'sh',
]);

interface HostState {
  firstSeen: number;
  names: RecentSet;
}

class RareProcessDetector implements Detector {
  readonly name = 'rare-process';
  readonly #t: Thresholds;
  #hosts: BoundedMap<string, HostState>;
  /** Process name → the hosts that ran it (a few suffice to call it common). */
  #processes: BoundedMap<string, RecentSet>;
  #pairs: BoundedMap<string, number>;

  constructor(thresholds: Thresholds) {
    this.#t = thresholds;
    this.#hosts = new BoundedMap(thresholds.maxHosts);
    this.#processes = new BoundedMap(thresholds.maxTenantProcesses);
    this.#pairs = new BoundedMap(thresholds.maxTenantPairs);
  }

  observe(e: DetectorEvent, emit: (finding: DetectorFinding) => void): void {
    if (e.kind !== 'process' || !e.host || !e.processName) return;
    const { host, processName: name, parentName: parent } = e;
    const state = this.#hosts.upsert(host, () => ({
      firstSeen: e.timeMs,
      names: new RecentSet(this.#t.processesPerHost),
    }));
    const learnt = e.timeMs - state.firstSeen >= this.#t.baselineHours * 3_600_000;
    const runners = this.#processes.upsert(name, () => new RecentSet(16));
    const pair = parent ? `${parent}>${name}` : undefined;
    if (learnt) {
      const finding =
        (pair && this.#unusualParent(e, pair, runners)) ?? this.#rare(e, state, runners);
      if (finding) emit(finding);
    }
    state.names.add(name, e.timeMs);
    runners.add(host, e.timeMs);
    if (pair) this.#pairs.set(pair, (this.#pairs.peek(pair) ?? 0) + 1);
  }

  #unusualParent(e: DetectorEvent, pair: string, runners: RecentSet): DetectorFinding | undefined {
    if (this.#pairs.peek(pair) !== undefined) return undefined;
    const parent = e.parentName!;
    const child = e.processName!;
    const risky = DOCUMENT_PARENTS.has(parent) && SHELLS.has(child);
    if (!risky && runners.size < this.#t.commonChildHosts) return undefined;
    return {
      key: `pair:${pair}`,
      title: `Unusual parent: ${parent} started ${child} on ${e.host}`,
      level: risky ? 'high' : 'medium',
      tags: risky
        ? ['attack.execution', 'attack.t1204.002', 'attack.t1059']
        : ['attack.execution', 'attack.t1059'],
      score: risky ? 1 : 0.7,
      threshold: 0.5,
      summary: `${parent} → ${child} never seen in the tenant; ${child} runs on ${runners.size} hosts`,
      features: { parent, child, documentOrBrowserParentStartingShell: risky ? 'yes' : 'no' },
      baseline: { childHosts: runners.size, pairSeen: 0, baselineHours: this.#t.baselineHours },
      entities: entities({ hosts: [e.host!], users: e.user ? [e.user] : [] }),
      firstSeen: e.timeMs,
      lastSeen: e.timeMs,
      eventIds: [e.id],
      eventCount: 1,
    };
  }

  #rare(e: DetectorEvent, state: HostState, runners: RecentSet): DetectorFinding | undefined {
    const name = e.processName!;
    if (state.names.has(name)) return undefined;
    const others = runners.members().filter((h) => h !== e.host).length;
    if (others > this.#t.rareTenantHosts) return undefined;
    return {
      key: `process:${e.host}:${name}`,
      title: `Rare process ${name} on ${e.host}`,
      level: 'medium',
      tags: ['attack.execution', 'attack.t1204'],
      score: 1 / (1 + others),
      threshold: 1 / (1 + this.#t.rareTenantHosts),
      summary: `${name} first seen on ${e.host} after its baseline, run by ${others} other hosts`,
      features: { process: name, parent: e.parentName ?? '', otherHosts: others },
      baseline: {
        hostProcesses: state.names.size,
        hostBaselineSince: new Date(state.firstSeen).toISOString(),
        baselineHours: this.#t.baselineHours,
      },
      entities: entities({ hosts: [e.host!], users: e.user ? [e.user] : [] }),
      firstSeen: e.timeMs,
      lastSeen: e.timeMs,
      eventIds: [e.id],
      eventCount: 1,
    };
  }

  snapshot(): unknown {
    return {
      hosts: [...this.#hosts.entries()].map(([h, s]) => [h, s.firstSeen, s.names.toJSON()]),
      processes: [...this.#processes.entries()].map(([p, s]) => [p, s.toJSON()]),
      pairs: [...this.#pairs.entries()],
    };
  }

  restore(state: unknown): void {
    const s = state as { hosts?: unknown[]; processes?: unknown[]; pairs?: unknown[] } | null;
    this.#hosts = new BoundedMap(this.#t.maxHosts);
    for (const [h, first, names] of (s?.hosts ?? []) as [string, number, [string, number][]][])
      this.#hosts.set(h, {
        firstSeen: first,
        names: new RecentSet(this.#t.processesPerHost, names),
      });
    this.#processes = new BoundedMap(this.#t.maxTenantProcesses);
    for (const [p, hosts] of (s?.processes ?? []) as [string, [string, number][]][])
      this.#processes.set(p, new RecentSet(16, hosts));
    this.#pairs = new BoundedMap(this.#t.maxTenantPairs);
    for (const [p, n] of (s?.pairs ?? []) as [string, number][]) this.#pairs.set(p, n);
  }

  entries(): number {
    return this.#hosts.size + this.#processes.size + this.#pairs.size;
  }

  evictions(): number {
    return this.#hosts.evictions + this.#processes.evictions + this.#pairs.evictions;
  }
}

export const rareProcess: DetectorKind<Thresholds> = {
  name: 'rare-process',
  description: 'Processes new to a host and rare in the tenant; parent/child pairs never seen',
  defaults: rareProcessDefaults,
  documentation: {
    baselineHours: 'learning period per host (from its first process event) before alerting',
    rareTenantHosts: 'a new process run by at most this many other hosts is rare',
    commonChildHosts: 'a child run by at least this many hosts is common (its new parents alert)',
    maxHosts: 'hosts held per tenant (least recently seen evicted)',
    processesPerHost: 'process names remembered per host',
    maxTenantProcesses: 'process names held per tenant',
    maxTenantPairs: 'parent/child pairs held per tenant',
  },
  create: (t) => new RareProcessDetector(t),
};
