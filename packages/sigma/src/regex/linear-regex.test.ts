import { describe, expect, it } from 'vitest';
import { SigmaError } from '../sigma-error.ts';
import { compileRegex } from './linear-regex.ts';
import { RegexWorkBudget } from './regex-work-budget.ts';

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

/** `length` pseudo-random characters from `alphabet`. */
function noise(length: number, alphabet: string, seed = 7): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    out += alphabet[(seed >> 16) % alphabet.length];
  }
  return out;
}

describe('issue 13 item 6: bounded work per test', () => {
  it('agrees with RegExp once the DFA cache thrashes (the NFA simulation takes over)', () => {
    const cases: [string, string][] = [
      ['(a|b)*a(a|b){12}c', 'ab'],
      ['a[ab]{40}b$', 'ab'],
      ['[ab]*b[ab]{12}a\\b', 'ab'],
    ];
    for (const [pattern, alphabet] of cases) {
      const regex = compileRegex(pattern, plain, { maxStates: 2_000 });
      for (let seed = 1; seed <= 6; seed++) {
        const text = noise(3_000, alphabet, seed) + (seed % 2 ? 'c' : ' ');
        expect(regex.test(text), `/${pattern}/ seed ${seed}`).toBe(new RegExp(pattern).test(text));
      }
      expect(regex.cacheResets, pattern).toBeGreaterThan(0);
    }
  });

  it('refuses a pattern beyond maxStates, with the reason', () => {
    expect(() => compileRegex('a[ab]{999}c', plain, { maxStates: 1_000 })).toThrow(
      /needs more than 1000 automaton states/,
    );
    expect(compileRegex('a[ab]{999}c', plain, { maxStates: 4_000 }).states).toBeGreaterThan(1_000);
  });

  it('reads at most maxInputChars characters; a match must end within them', () => {
    const regex = compileRegex('ab+c', plain, { maxInputChars: 100 });
    expect(regex.test('x'.repeat(97) + 'abc')).toBe(true);
    expect(regex.test('x'.repeat(97) + 'abcxxxx')).toBe(true);
    expect(regex.test('x'.repeat(98) + 'abc')).toBe(false);
    expect(regex.test('x'.repeat(98) + 'abbc')).toBe(false);
  });

  it('stops when the budget is spent: steps counted, not time', () => {
    // a[ab]{999}c on a/b noise: each character leaves a new set of up to 1,000 live states
    const regex = compileRegex('a[ab]{999}c', plain);
    const text = noise(16_384, 'ab');
    const unbounded = new RegexWorkBudget();
    unbounded.startEvent(Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER);
    expect(regex.test(text, unbounded)).toBe(false);
    const spentUnbounded = Number.MAX_SAFE_INTEGER - unbounded.left;
    // millions of steps for one 16 KB value (64 KB made /healthz wait 6 s)
    expect(spentUnbounded).toBeGreaterThan(5_000_000);
    const budget = new RegexWorkBudget();
    budget.startEvent(10_000_000, 500_000);
    expect(regex.test(text, budget)).toBe(false);
    expect(budget.cutOffs).toBe(1);
    // at most one closure (≤ the NFA's size) beyond what was allowed
    expect(500_000 - budget.left).toBeLessThanOrEqual(500_000 + 5 * regex.states);
    // what is left for the event goes on: the next rule starts with its own share
    budget.startRule();
    expect(budget.left).toBe(500_000);
    expect(compileRegex('b{3}', plain).test('abbba', budget)).toBe(true);
  });
});
