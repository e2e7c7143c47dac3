import { describe, expect, it } from 'vitest';
import type { SigmaString } from './sigma-string.ts';
import { ANY_ONE, ANY_RUN } from './sigma-string.ts';
import { compileAnyTextTest, compileTextTest } from './string-matcher.ts';

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALPHABET = ['a', 'b', 'c', '\\', '.', 'é', '\u{1F600}'];

function word(next: () => number, max: number): string {
  let out = '';
  const length = Math.floor(next() * max);
  for (let i = 0; i < length; i++) out += ALPHABET[Math.floor(next() * ALPHABET.length)]!;
  return out;
}

function pattern(next: () => number): SigmaString {
  const lit = word(next, 4) || 'a';
  switch (Math.floor(next() * 6)) {
    case 0:
      return [lit];
    case 1:
      return [lit, ANY_RUN];
    case 2:
      return [ANY_RUN, lit];
    case 3:
      return [ANY_RUN, lit, ANY_RUN];
    case 4:
      return [lit, ANY_ONE, ANY_RUN, word(next, 3) || 'b'];
    default:
      return next() < 0.5 ? [] : [ANY_RUN];
  }
}

function shown(p: SigmaString): string {
  return p.map((x) => (typeof x === 'string' ? x : x === ANY_RUN ? '*' : '?')).join('');
}

describe('compileAnyTextTest', () => {
  it('holds exactly when one of the patterns does (lists short and long, every shape)', () => {
    const next = random(7);
    for (let round = 0; round < 400; round++) {
      const count = 1 + Math.floor(next() * 24);
      const patterns = Array.from({ length: count }, () => pattern(next));
      const any = compileAnyTextTest(patterns);
      const each = patterns.map(compileTextTest);
      for (let t = 0; t < 60; t++) {
        const text = word(next, 9);
        expect(any(text), JSON.stringify({ patterns: patterns.map(shown), text })).toBe(
          each.some((test) => test(text)),
        );
      }
    }
  });

  it('looks long lists of suffixes and prefixes up by their ends', () => {
    const suffixes = ['\\calc.exe', '\\hh.exe', '\\mshta.exe', '\\ping.exe', '\\wscript.exe'];
    const exes = [...suffixes, '\\cscript.exe', '\\forfiles.exe', '\\a.exe', '\\b.exe'];
    const test = compileAnyTextTest(exes.map((s) => [ANY_RUN, s]));
    expect(test('c:\\windows\\system32\\hh.exe')).toBe(true);
    expect(test('c:\\x\\a.exe')).toBe(true);
    expect(test('c:\\x\\ba.exe')).toBe(false);
    expect(test('hh.exe')).toBe(false);
    expect(test('')).toBe(false);
    const starts = compileAnyTextTest(exes.map((s) => [s.slice(1), ANY_RUN]));
    expect(starts('hh.exe /c')).toBe(true);
    expect(starts('h.exe')).toBe(false);
  });

  it('finds any of many non-ASCII substrings (emoji lists) and none in ASCII text', () => {
    const emoji = [
      '\u{1F600}',
      '\u{1F4A9}',
      '\u{1F525}',
      '\u2705',
      '\u202E',
      '\u00A0',
      '\u2044',
      '\u02E3',
    ];
    const test = compileAnyTextTest(emoji.map((e) => [ANY_RUN, e, ANY_RUN]));
    expect(test('cmd /c echo hello')).toBe(false);
    expect(test('cmd /c echo caf\u00E9')).toBe(false);
    expect(test('cmd /c echo \u{1F525}fire')).toBe(true);
    expect(test('invoice\u202Efdp.exe')).toBe(true);
  });
});
