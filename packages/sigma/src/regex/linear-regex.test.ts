import { describe, expect, it } from 'vitest';
import { SigmaError } from '../sigma-error.ts';
import { compileRegex } from './linear-regex.ts';

const plain = { ignoreCase: false, multiline: false, dotAll: false };
const test = (pattern: string, text: string, flags = plain) =>
  compileRegex(pattern, flags).test(text);

describe('LinearRegex', () => {
  it('agrees with RegExp on the constructs rules use', () => {
    const cases: [string, string[]][] = [
      ['abc', ['xxabcxx', 'ab', 'ABC']],
      ['^abc$', ['abc', 'abcd', 'xabc']],
      ['a.c', ['abc', 'a\nc', 'ac']],
      ['\\d{2,4}-\\w+', ['12-x', '1-x', '12345-_']],
      ['(?:foo|bar)+baz', ['foobarbaz', 'baz', 'xbarbazx']],
      ['[^a-c]x', ['ax', 'dx', 'x']],
      ['\\bword\\b', ['a word here', 'swordfish', 'word']],
      ['colou?r', ['color', 'colour', 'colouur']],
      ['a{3}', ['aa', 'aaa']],
      ['[\\s\\-]{1,3}z', ['  z', '-z', 'z']],
      ['x*', ['', 'y']],
      ['(a|)+b', ['b', 'aab', 'c']],
      ['\\.exe$', ['a.exe', 'a.exe ', 'aXexe']],
      // counted runs (run without an automaton)
      ['.{5,}', ['abcd', 'abcde', 'ab\ncdefg', 'abc\nde']],
      ['(.){3}', ['ab', 'a\nbcd']],
      ['[^/]{4,}$', ['/abcd', 'abcd/', 'ab/cdefg', '/abc']],
    ];
    for (const [pattern, inputs] of cases) {
      for (const input of inputs) {
        expect(test(pattern, input), `/${pattern}/ on ${JSON.stringify(input)}`).toBe(
          new RegExp(pattern).test(input),
        );
      }
    }
  });

  it('translates inline flags and the i, m, s sub-modifiers', () => {
    expect(test('(?i)ABC', 'xabcx')).toBe(true);
    expect(test('ABC', 'abc')).toBe(false);
    expect(test('ABC', 'abc', { ...plain, ignoreCase: true })).toBe(true);
    expect(test('(?i:a)B', 'AB')).toBe(true);
    expect(test('(?i:a)B', 'Ab')).toBe(false);
    expect(test('^b$', 'a\nb\nc', { ...plain, multiline: true })).toBe(true);
    expect(test('^b$', 'a\nb\nc')).toBe(false);
    expect(test('a.b', 'a\nb', { ...plain, dotAll: true })).toBe(true);
  });

  it('refuses what cannot run in linear time, with the reason', () => {
    expect(() => test('(a)\\1', 'aa')).toThrow(/back-references/);
    expect(() => test('a(?=b)', 'ab')).toThrow(/lookahead/);
    expect(() => test('(?<!a)b', 'ab')).toThrow(SigmaError);
    expect(() => test('(ab', 'ab')).toThrow(/missing \)/);
  });

  it('runs a catastrophic-backtracking pattern on hostile input in linear time', () => {
    // (a+)+$ and (a|aa)*c need ~2^n steps in a backtracking engine; n = 50_000 here.
    const hostile = 'a'.repeat(50_000) + '!';
    expect(test('(a+)+$', hostile)).toBe(false);
    expect(test('(a|aa)*c', hostile)).toBe(false);
    expect(test('(.*a){20}x', hostile)).toBe(false);
    expect(test('(a+)+!$', hostile)).toBe(true);
  });

  it('bounds its DFA cache', () => {
    const regex = compileRegex('(a|b)*a(a|b){12}c', plain);
    let text = '';
    let seed = 12345;
    for (let i = 0; i < 20_000; i++) {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      text += (seed >> 16) % 2 === 0 ? 'a' : 'b';
    }
    expect(regex.test(text)).toBe(false);
    expect(regex.test(text + 'aaaaaaaaaaaaac')).toBe(true);
    expect(regex.cacheResets).toBeGreaterThan(0);
  });
});
