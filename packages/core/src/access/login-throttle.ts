/**
 * Sign-in rate limiting. Each attempt is counted the moment it is admitted, before the
 * password is hashed, so parallel guesses cannot all slip through while the first ones are
 * still being checked; a success hands its reservation back. Three counters:
 *
 * - per address: at most 30 attempts a minute, whatever the account;
 * - per account *and* address: after 5 failures in 15 minutes that pair is refused for the
 *   rest of the window. Keying the lock by both means that a stranger who guesses at
 *   `admin@…` locks only themselves out, not the admin signing in from elsewhere;
 * - per account, from every address: beyond 100 failures in 15 minutes (a distributed
 *   guess) each further attempt is slowed, never refused, so the owner still gets in.
 *
 * A platform admin can lift an account's lock (`unlock`). Counters live in memory and are
 * pruned as they expire and capped in number, so an attacker cannot grow them without bound.
 */
export interface LoginThrottleOptions {
  readonly accountFailures: number;
  readonly accountWindowMs: number;
  readonly addressAttempts: number;
  readonly addressWindowMs: number;
  /** Failures of one account from all addresses beyond which attempts are slowed. */
  readonly accountCeiling: number;
  /** Delay added per failure beyond the ceiling, and its maximum. */
  readonly slowdownStepMs: number;
  readonly maxSlowdownMs: number;
  readonly maxTracked: number;
}

const defaults: LoginThrottleOptions = {
  accountFailures: 5,
  accountWindowMs: 15 * 60_000,
  addressAttempts: 30,
  addressWindowMs: 60_000,
  accountCeiling: 100,
  slowdownStepMs: 100,
  maxSlowdownMs: 3_000,
  maxTracked: 100_000,
};

/** The answer to an attempt: refused for `retryAfterMs`, or admitted after `delayMs`. */
export type LoginAdmission =
  | { readonly kind: 'refused'; readonly retryAfterMs: number }
  | { readonly kind: 'admitted'; readonly delayMs: number; readonly reservation: LoginReservation };

/** An admitted attempt, counted as a failure unless `succeeded` is called with it. */
export interface LoginReservation {
  readonly account: string;
  readonly address: string;
  readonly at: number;
}

export class LoginThrottle {
  readonly #options: LoginThrottleOptions;
  readonly #addresses = new Map<string, number[]>();
  /** Keyed by `account\naddress`. */
  readonly #pairs = new Map<string, number[]>();
  readonly #accounts = new Map<string, number[]>();

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.#options = { ...defaults, ...options } satisfies LoginThrottleOptions;
  }

  /**
   * Decides on an attempt and, when admitted, counts it at once (synchronously: there is no
   * await between the check and the count, so concurrent requests see each other).
   */
  admit(account: string, address: string, now: number): LoginAdmission {
    const o = this.#options;
    const pair = pairKey(account, address);
    const byAddress = this.#recent(this.#addresses, address, now, o.addressWindowMs);
    if (byAddress.length >= o.addressAttempts)
      return { kind: 'refused', retryAfterMs: (byAddress[0] ?? now) + o.addressWindowMs - now };
    const byPair = this.#recent(this.#pairs, pair, now, o.accountWindowMs);
    if (byPair.length >= o.accountFailures)
      return { kind: 'refused', retryAfterMs: (byPair[0] ?? now) + o.accountWindowMs - now };
    const byAccount = this.#recent(this.#accounts, account, now, o.accountWindowMs);
    const excess = byAccount.length - o.accountCeiling + 1;
    const delayMs = excess > 0 ? Math.min(o.maxSlowdownMs, excess * o.slowdownStepMs) : 0;
    this.#push(this.#addresses, address, now);
    this.#push(this.#pairs, pair, now);
    // Only the count up to full slowdown matters: the list stays short whatever the flood.
    this.#push(this.#accounts, account, now, o.accountCeiling + o.maxSlowdownMs / o.slowdownStepMs);
    return { kind: 'admitted', delayMs, reservation: { account, address, at: now } };
  }

  /** The attempt was right: its reservation is returned and the pair's failures forgotten. */
  succeeded(reservation: LoginReservation): void {
    this.#pairs.delete(pairKey(reservation.account, reservation.address));
    const times = this.#accounts.get(reservation.account);
    const index = times?.indexOf(reservation.at) ?? -1;
    if (times && index >= 0) times.splice(index, 1);
  }

  /** Lifts every lock and slowdown on an account (a platform admin's decision). */
  unlock(account: string): void {
    this.#accounts.delete(account);
    const prefix = `${account}\n`;
    for (const key of [...this.#pairs.keys()]) if (key.startsWith(prefix)) this.#pairs.delete(key);
  }

  /** Whether the account is locked from some address or slowed, for the unlock report. */
  isRestricted(account: string, now: number): boolean {
    const o = this.#options;
    const prefix = `${account}\n`;
    for (const key of [...this.#pairs.keys()]) {
      if (
        key.startsWith(prefix) &&
        this.#recent(this.#pairs, key, now, o.accountWindowMs).length >= o.accountFailures
      )
        return true;
    }
    return this.#recent(this.#accounts, account, now, o.accountWindowMs).length >= o.accountCeiling;
  }

  #recent(map: Map<string, number[]>, key: string, now: number, windowMs: number): number[] {
    const times = map.get(key);
    if (!times) return [];
    const kept = times.filter((t) => now - t < windowMs);
    if (kept.length === 0) map.delete(key);
    else map.set(key, kept);
    return kept;
  }

  #push(map: Map<string, number[]>, key: string, now: number, maxLength = Infinity): void {
    if (!map.has(key) && map.size >= this.#options.maxTracked) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
    const times = map.get(key) ?? [];
    times.push(now);
    if (times.length > maxLength) times.shift();
    map.set(key, times);
  }
}

function pairKey(account: string, address: string): string {
  return `${account}\n${address}`;
}
