import { describe, expect, it } from 'vitest';
import { ScanMemo, ScanMemoBudget } from './scan-memo.ts';

describe('ScanMemo', () => {
  it('remembers scan results within a budget shared by all memos, then starts over', () => {
    const budget = new ScanMemoBudget(10);
    const a = new ScanMemo(budget);
    const b = new ScanMemo(budget);
    a.remember('cmd.exe', Int32Array.of(1, 2));
    b.remember('abc', new Int32Array(0));
    expect([...a.get('cmd.exe')!]).toEqual([1, 2]);
    expect(b.get('abc')?.length).toBe(0);
    expect(budget.bytes).toBe(20);
    // 10 characters are spent: the next value clears both memos first.
    b.remember('x', Int32Array.of(3));
    expect(a.get('cmd.exe')).toBeUndefined();
    expect(b.get('abc')).toBeUndefined();
    expect([...b.get('x')!]).toEqual([3]);
    expect(budget.bytes).toBe(2);
  });

  it('does not remember values too long to repeat', () => {
    const memo = new ScanMemo(new ScanMemoBudget(1_000_000));
    const long = 'a'.repeat(10_000);
    memo.remember(long, Int32Array.of(1));
    expect(memo.get(long)).toBeUndefined();
  });

  it('stands aside while its values do not repeat, then tries again', () => {
    const memo = new ScanMemo(new ScanMemoBudget(10_000_000));
    const ids = Int32Array.of(1);
    // Unique values: the first window only fills the memo, the second has no hit either.
    for (let i = 0; i < 1024; i++) {
      memo.get(`unique ${i}`);
      memo.remember(`unique ${i}`, ids);
    }
    expect(memo.bypassed).toBe(false);
    for (let i = 1024; i < 2048; i++) {
      expect(memo.get(`unique ${i}`)).toBeUndefined();
      memo.remember(`unique ${i}`, ids);
    }
    expect(memo.bypassed).toBe(true);
    memo.remember('repeated', ids);
    expect(memo.get('repeated')).toBeUndefined();
    // After the pause it remembers again.
    for (let i = 0; i < 16 * 1024; i++) memo.get('x');
    expect(memo.bypassed).toBe(false);
    memo.remember('repeated', ids);
    expect([...memo.get('repeated')!]).toEqual([1]);
    // Values that repeat keep it on.
    for (let i = 0; i < 4096; i++) {
      const value = `v${i % 16}`;
      if (memo.get(value) === undefined) memo.remember(value, ids);
    }
    expect(memo.bypassed).toBe(false);
  });
});
