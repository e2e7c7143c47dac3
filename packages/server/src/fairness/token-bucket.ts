/**
 * A token bucket: `burst` tokens at most, refilled at `perSecond`. Taking may leave the bucket
 * in debt (a body's records are charged as they are parsed, and the one record that crosses
 * the line is not parsed twice); a bucket in debt refuses until it has refilled past zero.
 * Time comes from the caller, so the bucket is pure and its tests need no clock.
 */
export class TokenBucket {
  readonly perSecond: number;
  readonly burst: number;
  #tokens: number;
  #at: number;

  constructor(perSecond: number, burst: number, nowMs: number) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.#tokens = burst;
    this.#at = nowMs;
  }

  /** Tokens now (negative: in debt). */
  tokens(nowMs: number): number {
    this.#refill(nowMs);
    return this.#tokens;
  }

  /** Whether anything may be taken now (the bucket is not empty or in debt). */
  hasTokens(nowMs: number): boolean {
    return this.tokens(nowMs) > 0;
  }

  /** Takes `amount` whatever is left (it may go into debt). */
  take(amount: number, nowMs: number): void {
    this.#refill(nowMs);
    this.#tokens -= amount;
  }

  /** Whether the bucket is full again (an idle tenant's bucket can be forgotten). */
  isFull(nowMs: number): boolean {
    return this.tokens(nowMs) >= this.burst;
  }

  /** How long until `amount` tokens (at most `burst`) are there. */
  msUntil(amount: number, nowMs: number): number {
    const missing = Math.min(amount, this.burst) - this.tokens(nowMs);
    return missing <= 0 ? 0 : Math.ceil((missing / this.perSecond) * 1000);
  }

  #refill(nowMs: number): void {
    const elapsed = Math.max(0, nowMs - this.#at);
    this.#at = Math.max(this.#at, nowMs);
    this.#tokens = Math.min(this.burst, this.#tokens + (elapsed / 1000) * this.perSecond);
  }
}
