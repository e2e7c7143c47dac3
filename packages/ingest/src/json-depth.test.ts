/** The depth check run on every JSON record before it is parsed. */
import { describe, expect, it } from 'vitest';
import { jsonDepthExceeds } from './json-depth.ts';

describe('jsonDepthExceeds', () => {
  it('counts brackets outside strings only, whatever the escapes inside them', () => {
    expect(jsonDepthExceeds('[[[1]]]', 3)).toBe(false);
    expect(jsonDepthExceeds('[[[[1]]]]', 3)).toBe(true);
    const deep = '['.repeat(10);
    // Brackets inside strings, after escaped quotes and escaped backslashes, are not nesting.
    expect(jsonDepthExceeds(JSON.stringify({ a: `"${deep}\\"${deep}` }), 3)).toBe(false);
    expect(jsonDepthExceeds(JSON.stringify([`x\\`, [[[1]]]]), 3)).toBe(true);
    expect(jsonDepthExceeds(JSON.stringify([`x\\\\"`, [[1]]]), 3)).toBe(false);
    // A string that never ends is left to JSON.parse to refuse.
    expect(jsonDepthExceeds(`["${deep}`, 3)).toBe(false);
  });

  it('agrees with the nesting of random values whose strings are full of brackets and escapes', () => {
    let seed = 7;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const chars = ['[', ']', '{', '}', '"', '\\', 'a', ':', ','];
    const text = (): string => Array.from({ length: next(12) }, () => chars[next(9)]).join('');
    // A random value and its depth (arrays and objects count one level each).
    const value = (room: number): [unknown, number] => {
      const pick = next(room > 0 ? 4 : 2);
      if (pick === 0) return [text(), 0];
      if (pick === 1) return [next(100), 0];
      const children = Array.from({ length: 1 + next(3) }, () => value(room - 1));
      const depth = 1 + Math.max(...children.map(([, d]) => d));
      if (pick === 2) return [children.map(([v]) => v), depth];
      return [Object.fromEntries(children.map(([v], i) => [text() + i, v])), depth];
    };
    for (let n = 0; n < 2_000; n++) {
      const [v, depth] = value(8);
      const json = JSON.stringify(v);
      expect(jsonDepthExceeds(json, depth), json).toBe(false);
      if (depth > 0) expect(jsonDepthExceeds(json, depth - 1), json).toBe(true);
    }
  });
});
