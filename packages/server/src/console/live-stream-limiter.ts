/**
 * How many live streams may be open at once: each holds a socket and polls the journal, so a
 * caller (a script opening streams in a loop, a tab left to reconnect forever) must not be
 * able to hold them all. A cap per principal and one over every principal; beyond either the
 * route answers 429 with a retry hint, and closing a stream frees its place.
 */
import { CordonError } from '@cordon/core';

export interface LiveStreamLimits {
  readonly perPrincipal: number;
  readonly overall: number;
}

export const defaultLiveStreamLimits: LiveStreamLimits = { perPrincipal: 4, overall: 256 };

/** How long a refused browser waits before it tries again. */
const RETRY_AFTER_MS = 5_000;

export class LiveStreamLimiter {
  readonly #limits: LiveStreamLimits;
  readonly #open = new Map<string, number>();
  #total = 0;

  constructor(limits: LiveStreamLimits = defaultLiveStreamLimits) {
    this.#limits = limits;
  }

  get open(): number {
    return this.#total;
  }

  /** Takes a place for `principalKey`, or throws `rate_limited`; the returned release is idempotent. */
  acquire(principalKey: string): () => void {
    const mine = this.#open.get(principalKey) ?? 0;
    if (mine >= this.#limits.perPrincipal) {
      throw new CordonError(
        'rate_limited',
        `at most ${this.#limits.perPrincipal} live streams per caller are open at once; close one`,
        { details: { retryAfterMs: RETRY_AFTER_MS } },
      );
    }
    if (this.#total >= this.#limits.overall) {
      throw new CordonError(
        'rate_limited',
        'the server has as many live streams open as it takes',
        {
          details: { retryAfterMs: RETRY_AFTER_MS },
        },
      );
    }
    this.#open.set(principalKey, mine + 1);
    this.#total += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#total -= 1;
      const left = (this.#open.get(principalKey) ?? 1) - 1;
      if (left <= 0) this.#open.delete(principalKey);
      else this.#open.set(principalKey, left);
    };
  }
}
