import { describe, expect, it } from 'vitest';
import { LIVE_RETRY_FIRST_MS, LIVE_RETRY_MAX_MS, liveRetryDelayMs } from './live-retry.ts';

describe('live stream retry delay', () => {
  it('doubles from about the first wait and stops growing at the cap', () => {
    expect(liveRetryDelayMs(1, 0.5)).toBe(LIVE_RETRY_FIRST_MS);
    expect(liveRetryDelayMs(2, 0.5)).toBe(LIVE_RETRY_FIRST_MS * 2);
    expect(liveRetryDelayMs(3, 0.5)).toBe(LIVE_RETRY_FIRST_MS * 4);
    expect(liveRetryDelayMs(50, 0.5)).toBe(LIVE_RETRY_MAX_MS);
    expect(liveRetryDelayMs(5_000, 0.999)).toBeLessThanOrEqual(LIVE_RETRY_MAX_MS * 1.25);
  });

  it('spreads each wait by a quarter either way', () => {
    expect(liveRetryDelayMs(1, 0)).toBe(LIVE_RETRY_FIRST_MS * 0.75);
    expect(liveRetryDelayMs(1, 0.999_999)).toBe(Math.round(LIVE_RETRY_FIRST_MS * 1.25));
  });
});
