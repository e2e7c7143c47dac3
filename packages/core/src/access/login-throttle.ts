/**
 * Sign-in rate limiting: per account, after 5 failures in 15 minutes the account is refused
 * for the rest of the window; per address, at most 30 attempts a minute. Counters live in
 * memory and are pruned as they expire, so an attacker cannot grow them without bound.
 */
export interface LoginThrottleOptions {
  readonly accountFailures: number;
  readonly accountWindowMs: number;
  readonly addressAttempts: number;
  readonly addressWindowMs: number;
  readonly maxTracked: number;
}

const defaults: LoginThrottleOptions = {
  accountFailures: 5,
  accountWindowMs: 15 * 60_000,
  addressAttempts: 30,
  addressWindowMs: 60_000,
  maxTracked: 100_000,
};

export class LoginThrottle {
  readonly #options: LoginThrottleOptions;
  readonly #accounts = new Map<string, number[]>();
  readonly #addresses = new Map<string, number[]>();

  constructor(options: Partial<LoginThrottleOptions> = {}) {
    this.#options = { ...defaults, ...options } satisfies LoginThrottleOptions;
  }

  /** Milliseconds until another attempt is allowed, or undefined if it is allowed now. Counts the attempt per address. */
  check(account: string, address: string, now: number): number | undefined {
    const o = this.#options;
    const byAddress = this.#recent(this.#addresses, address, now, o.addressWindowMs);
    if (byAddress.length >= o.addressAttempts)
      return (byAddress[0] ?? now) + o.addressWindowMs - now;
    const byAccount = this.#recent(this.#accounts, account, now, o.accountWindowMs);
    if (byAccount.length >= o.accountFailures)
      return (byAccount[0] ?? now) + o.accountWindowMs - now;
    this.#push(this.#addresses, address, now);
    return undefined;
  }

  recordFailure(account: string, _address: string, now: number): void {
    this.#push(this.#accounts, account, now);
  }

  recordSuccess(account: string): void {
    this.#accounts.delete(account);
  }

  #recent(map: Map<string, number[]>, key: string, now: number, windowMs: number): number[] {
    const times = map.get(key);
    if (!times) return [];
    const kept = times.filter((t) => now - t < windowMs);
    if (kept.length === 0) map.delete(key);
    else map.set(key, kept);
    return kept;
  }

  #push(map: Map<string, number[]>, key: string, now: number): void {
    if (!map.has(key) && map.size >= this.#options.maxTracked) {
      const oldest = map.keys().next().value;
      if (oldest !== undefined) map.delete(oldest);
    }
    const times = map.get(key) ?? [];
    times.push(now);
    map.set(key, times);
  }
}
