import { describe, expect, it } from 'vitest';
import { filetimeIso } from './filetime.ts';

function filetimeBytes(ticks: bigint): Uint8Array {
  return Uint8Array.from({ length: 8 }, (_, i) => Number((ticks >> BigInt(8 * i)) & 0xffn));
}

const EPOCH_TICKS = 11644473600n * 10000000n;

describe('filetimeIso', () => {
  it('agrees with Date on dates across four centuries, to the tick', () => {
    let seed = 12345;
    for (let i = 0; i < 2000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      const ms =
        Date.UTC(1601, 0, 1) +
        Math.floor((seed / 2147483648) * (Date.UTC(2400, 0, 1) - Date.UTC(1601, 0, 1)));
      const tick = BigInt(seed % 10000);
      const ticks = BigInt(ms) * 10000n + EPOCH_TICKS + tick;
      const iso = new Date(ms).toISOString();
      expect(filetimeIso(filetimeBytes(ticks), 0)).toBe(
        iso.slice(0, 19) +
          '.' +
          String(((ms % 1000) + 1000) % 1000).padStart(3, '0') +
          String(tick).padStart(4, '0') +
          'Z',
      );
    }
  });

  it('keeps the 100 ns digit of large values exact', () => {
    const ticks = 0x01d53e3a4b8e3c5fn;
    const seconds = ticks / 10000000n;
    const fraction = ticks % 10000000n;
    const iso = new Date(Number(seconds - 11644473600n) * 1000).toISOString().slice(0, 19);
    expect(filetimeIso(filetimeBytes(ticks), 0)).toBe(
      `${iso}.${String(fraction).padStart(7, '0')}Z`,
    );
  });
});
