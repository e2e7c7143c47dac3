/**
 * Password spraying, brute force and the compromise that follows, from authentication events
 * of any source (Windows 4625/4624, sshd, CloudTrail ConsoleLogin …: ECS `event.category`
 * authentication with `event.outcome`, `user.name`, `source.ip`). Within a sliding window:
 * many accounts failing from one source (spraying), many failures of one account (brute
 * force, from one source or many), and a success for an account or from a source after at
 * least `successAfterFailures` failures (the likely compromise).
 */
import type { Detector, DetectorFinding, DetectorKind } from './detector.ts';
import { entities, pushBounded } from './detector.ts';
import type { DetectorEvent } from './detector-event.ts';
import { BoundedMap, RecentSet } from './bounded-map.ts';
import { finite } from './beaconing.detector.ts';

export const authAttackDefaults = {
  windowMinutes: 30,
  sprayUsers: 10,
  bruteFailures: 20,
  successAfterFailures: 5,
  maxKeys: 20_000,
  membersPerKey: 512,
};
type Thresholds = typeof authAttackDefaults;

/** Failures seen for one source (the accounts tried) or one account (the sources used). */
interface FailureState {
  /** Users (for a source) or sources (for a user), with the time of their last failure. */
  others: RecentSet;
  times: number[];
  ids: string[];
  firedAt: number;
  successFiredAt: number;
}

class AuthAttackDetector implements Detector {
  readonly name = 'auth-attack';
  readonly #t: Thresholds;
  #bySource: BoundedMap<string, FailureState>;
  #byUser: BoundedMap<string, FailureState>;

  constructor(thresholds: Thresholds) {
    this.#t = thresholds;
    this.#bySource = new BoundedMap(thresholds.maxKeys);
    this.#byUser = new BoundedMap(thresholds.maxKeys);
  }

  observe(e: DetectorEvent, emit: (finding: DetectorFinding) => void): void {
    if (e.kind !== 'authentication') return;
    const since = e.timeMs - this.#t.windowMinutes * 60_000;
    const src = e.sourceIp;
    const user = e.user;
    const bySource = src ? this.#state(this.#bySource, src, since) : undefined;
    const byUser = user ? this.#state(this.#byUser, user, since) : undefined;
    if (e.outcome === 'failure') {
      if (bySource && src) this.#failure(bySource, user ?? '?', e);
      if (byUser && user) this.#failure(byUser, src ?? '?', e);
      if (bySource && src) this.#spray(bySource, src, e, emit);
      if (byUser && user) this.#brute(byUser, user, e, emit);
      return;
    }
    if (e.outcome !== 'success') return;
    // The state with more failures says more: a sprayed source, or a guessed account.
    const worst = [bySource, byUser]
      .filter((s): s is FailureState => s !== undefined)
      .sort((a, b) => b.times.length - a.times.length)[0];
    if (!worst || worst.times.length < this.#t.successAfterFailures) return;
    if (e.timeMs - worst.successFiredAt < this.#t.windowMinutes * 60_000) return;
    worst.successFiredAt = e.timeMs;
    pushBounded(worst.ids, e.id);
    emit({
      key: `success:${user ?? '?'}@${src ?? '?'}`,
      title: `Successful logon of ${user ?? 'an account'} after ${worst.times.length} failures`,
      level: 'critical',
      tags: ['attack.credential_access', 'attack.t1110', 'attack.initial_access', 'attack.t1078'],
      score: worst.times.length,
      threshold: this.#t.successAfterFailures,
      summary: `${user ?? '?'} logged on from ${src ?? '?'} after ${worst.times.length} failed attempts within ${this.#t.windowMinutes} min`,
      features: { failures: worst.times.length, related: worst.others.members().slice(0, 50) },
      baseline: { windowMinutes: this.#t.windowMinutes },
      entities: entities({
        users: user ? [user] : [],
        sourceIps: src ? [src] : [],
        hosts: e.host ? [e.host] : [],
      }),
      firstSeen: worst.times[0] ?? e.timeMs,
      lastSeen: e.timeMs,
      eventIds: [...worst.ids],
      eventCount: worst.times.length + 1,
    });
  }

  #state(map: BoundedMap<string, FailureState>, key: string, since: number): FailureState {
    const state = map.upsert(key, () => ({
      others: new RecentSet(this.#t.membersPerKey),
      times: [],
      ids: [],
      firedAt: -Infinity,
      successFiredAt: -Infinity,
    }));
    while (state.times.length > 0 && state.times[0]! < since) state.times.shift();
    state.others.prune(since);
    return state;
  }

  #failure(state: FailureState, other: string, e: DetectorEvent): void {
    state.others.add(other, e.timeMs);
    pushBounded(state.times, e.timeMs, this.#t.membersPerKey);
    pushBounded(state.ids, e.id);
  }

  #spray(
    state: FailureState,
    src: string,
    e: DetectorEvent,
    emit: (finding: DetectorFinding) => void,
  ): void {
    const users = state.others.size;
    if (users < this.#t.sprayUsers || e.timeMs - state.firedAt < this.#t.windowMinutes * 60_000)
      return;
    state.firedAt = e.timeMs;
    const accounts = state.others.members();
    emit({
      key: `spray:${src}`,
      title: `Password spraying from ${src}: ${users} accounts`,
      level: 'high',
      tags: ['attack.credential_access', 'attack.t1110.003'],
      score: users,
      threshold: this.#t.sprayUsers,
      summary: `${users} accounts failed to log on from ${src} within ${this.#t.windowMinutes} min`,
      features: { accounts: users, failures: state.times.length, users: accounts.slice(0, 50) },
      baseline: { windowMinutes: this.#t.windowMinutes },
      entities: entities({ sourceIps: [src], hosts: e.host ? [e.host] : [] }),
      firstSeen: state.times[0] ?? e.timeMs,
      lastSeen: e.timeMs,
      eventIds: [...state.ids],
      eventCount: state.times.length,
    });
  }

  #brute(
    state: FailureState,
    user: string,
    e: DetectorEvent,
    emit: (finding: DetectorFinding) => void,
  ): void {
    const failures = state.times.length;
    if (
      failures < this.#t.bruteFailures ||
      e.timeMs - state.firedAt < this.#t.windowMinutes * 60_000
    )
      return;
    state.firedAt = e.timeMs;
    const sources = state.others.members();
    const many = sources.length > 1;
    emit({
      key: `brute:${user}`,
      title: `Brute force of ${user}: ${failures} failures from ${sources.length} source${many ? 's' : ''}`,
      level: 'high',
      tags: ['attack.credential_access', many ? 'attack.t1110' : 'attack.t1110.001'],
      score: failures,
      threshold: this.#t.bruteFailures,
      summary: `${failures} failed logons of ${user} from ${sources.length} sources within ${this.#t.windowMinutes} min`,
      features: { failures, sources: sources.length, sourceIps: sources.slice(0, 50) },
      baseline: { windowMinutes: this.#t.windowMinutes },
      entities: entities({
        users: [user],
        sourceIps: sources.filter((s) => s !== '?').slice(0, 20),
        hosts: e.host ? [e.host] : [],
      }),
      firstSeen: state.times[0] ?? e.timeMs,
      lastSeen: e.timeMs,
      eventIds: [...state.ids],
      eventCount: failures,
    });
  }

  snapshot(): unknown {
    const rows = (map: BoundedMap<string, FailureState>): unknown[] =>
      [...map.entries()].map(([k, s]) => [
        k,
        s.others.toJSON(),
        s.times,
        finite(s.firedAt),
        finite(s.successFiredAt),
      ]);
    return { bySource: rows(this.#bySource), byUser: rows(this.#byUser) };
  }

  restore(state: unknown): void {
    const s = state as { bySource?: unknown[]; byUser?: unknown[] } | null;
    const load = (rows: unknown[] | undefined): BoundedMap<string, FailureState> => {
      const map = new BoundedMap<string, FailureState>(this.#t.maxKeys);
      for (const row of (rows ?? []) as [
        string,
        [string, number][],
        number[],
        number | null,
        number | null,
      ][])
        map.set(row[0], {
          others: new RecentSet(this.#t.membersPerKey, row[1]),
          times: row[2],
          ids: [],
          firedAt: row[3] ?? -Infinity,
          successFiredAt: row[4] ?? -Infinity,
        });
      return map;
    };
    this.#bySource = load(s?.bySource);
    this.#byUser = load(s?.byUser);
  }

  entries(): number {
    return this.#bySource.size + this.#byUser.size;
  }

  evictions(): number {
    return this.#bySource.evictions + this.#byUser.evictions;
  }
}

export const authAttack: DetectorKind<Thresholds> = {
  name: 'auth-attack',
  description: 'Password spraying, brute force and a successful logon after failures',
  defaults: authAttackDefaults,
  documentation: {
    windowMinutes: 'sliding window of failed logons',
    sprayUsers: 'distinct accounts failing from one source within the window',
    bruteFailures: 'failed logons of one account within the window (any number of sources)',
    successAfterFailures: 'failures within the window after which a success is a compromise',
    maxKeys: 'sources and accounts held per tenant, each (least recently seen evicted)',
    membersPerKey: 'accounts per source / sources per account remembered',
  },
  create: (t) => new AuthAttackDetector(t),
};
