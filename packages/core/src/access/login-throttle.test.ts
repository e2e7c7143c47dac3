/**
 * issue 13 item 8 and "found by reading": attempts are counted when admitted (before the
 * password is hashed), the lock is per account and address, and guesses at one account from
 * many addresses slow its sign-in down without ever refusing its owner.
 */
import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.ts';
import { signInAddressKey } from './sign-in-address.ts';

describe('LoginThrottle', () => {
  it('counts an admitted attempt at once, so the sixth concurrent one is refused', () => {
    const throttle = new LoginThrottle();
    const admitted = Array.from({ length: 6 }, () => throttle.admit('a@x', '192.0.2.1', 0).kind);
    expect(admitted).toEqual([
      'admitted',
      'admitted',
      'admitted',
      'admitted',
      'admitted',
      'refused',
    ]);
  });

  it('hands a success back, and forgets the failures of that address', () => {
    const throttle = new LoginThrottle();
    for (let i = 0; i < 4; i++) throttle.admit('a@x', '192.0.2.1', 0);
    const ok = throttle.admit('a@x', '192.0.2.1', 0);
    if (ok.kind !== 'admitted') throw new Error('expected admission');
    throttle.succeeded(ok.reservation);
    expect(throttle.admit('a@x', '192.0.2.1', 1).kind).toBe('admitted');
  });

  it('slows, never locks, an account guessed at from many addresses', () => {
    const throttle = new LoginThrottle({
      accountCeiling: 20,
      slowdownStepMs: 100,
      maxSlowdownMs: 1000,
    });
    const delays: number[] = [];
    for (let i = 0; i < 200; i++) {
      const admission = throttle.admit('admin@x', `198.51.100.${i}`, i);
      expect(admission.kind).toBe('admitted');
      if (admission.kind === 'admitted') delays.push(admission.delayMs);
    }
    expect(delays[0]).toBe(0);
    expect(delays[19]).toBe(0);
    expect(delays[20]).toBe(100);
    expect(Math.max(...delays)).toBe(1000);
    // The owner, from an address of their own, is slowed but admitted.
    expect(throttle.admit('admin@x', '192.0.2.200', 300)).toMatchObject({
      kind: 'admitted',
      delayMs: 1000,
    });
    expect(throttle.isRestricted('admin@x', 300)).toBe(true);
    throttle.unlock('admin@x');
    expect(throttle.admit('admin@x', '192.0.2.200', 301)).toMatchObject({ delayMs: 0 });
  });
});

// Found beside the per-address limit (issue 13, sign-in): one IPv6 client could take a fresh
// address of its /64 for every guess and never reach the limit.
describe('signInAddressKey', () => {
  it('counts an IPv6 client by its /64, so rotating addresses inside it does not help', () => {
    expect(signInAddressKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(signInAddressKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(signInAddressKey('2001:db8:1:3::1')).toBe('2001:db8:1:3::/64');
    expect(signInAddressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(signInAddressKey('192.0.2.7')).toBe('192.0.2.7');
  });
});
