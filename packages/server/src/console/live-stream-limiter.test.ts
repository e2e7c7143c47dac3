import { CordonError } from '@cordon/core';
import { describe, expect, it } from 'vitest';
import { LiveStreamLimiter } from './live-stream-limiter.ts';

const refused = (take: () => unknown): string => {
  try {
    take();
  } catch (error) {
    if (error instanceof CordonError) return error.code;
    throw error;
  }
  return 'accepted';
};

describe('LiveStreamLimiter', () => {
  it('caps streams per principal, and a released place can be taken again', () => {
    const limiter = new LiveStreamLimiter({ perPrincipal: 2, overall: 10 });
    const first = limiter.acquire('user:a');
    limiter.acquire('user:a');
    expect(refused(() => limiter.acquire('user:a'))).toBe('rate_limited');
    expect(refused(() => limiter.acquire('user:b'))).toBe('accepted');
    first();
    first(); // releasing twice frees one place, not two
    expect(refused(() => limiter.acquire('user:a'))).toBe('accepted');
    expect(refused(() => limiter.acquire('user:a'))).toBe('rate_limited');
    expect(limiter.open).toBe(3);
  });

  it('caps streams over every principal', () => {
    const limiter = new LiveStreamLimiter({ perPrincipal: 5, overall: 3 });
    const releases = ['a', 'b', 'c'].map((p) => limiter.acquire(`user:${p}`));
    expect(refused(() => limiter.acquire('user:d'))).toBe('rate_limited');
    releases[1]?.();
    expect(refused(() => limiter.acquire('user:d'))).toBe('accepted');
  });
});
