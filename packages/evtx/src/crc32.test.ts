import { describe, expect, it } from 'vitest';
import { crc32 } from './crc32.ts';

describe('crc32', () => {
  it('gives the IEEE check value and continues across calls', () => {
    const text = new TextEncoder().encode('123456789');
    expect(crc32(text, 0, text.length)).toBe(0xcbf43926);
    expect(crc32(text, 4, text.length, crc32(text, 0, 4))).toBe(0xcbf43926);
    const long = Uint8Array.from({ length: 1000 }, (_, i) => (i * 31) & 0xff);
    let bytewise = 0;
    for (let i = 0; i < long.length; i++) bytewise = crc32(long, i, i + 1, bytewise);
    expect(crc32(long, 0, long.length)).toBe(bytewise);
    expect(crc32(long, 3, 3)).toBe(0);
  });
});
