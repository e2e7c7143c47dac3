/**
 * Compiles a Sigma string (literals and `*` / `?` wildcards) into a test on text. The common
 * shapes — exact, prefix, suffix, substring — become one string method call; the rest use a
 * chunked glob match that is O(text × pattern) at worst (no backtracking blow-up).
 */
import type { SigmaString, SigmaStringPart, ANY_ONE } from './sigma-string.ts';
import { ANY_RUN } from './sigma-string.ts';
import { LiteralIndex } from '../engine/literal-index.ts';
import { NON_ASCII } from '../event/match-context.ts';

export type TextTest = (text: string) => boolean;

type Chunk = readonly (string | typeof ANY_ONE)[];

function chunkLength(chunk: Chunk): number {
  let n = 0;
  for (const p of chunk) n += typeof p === 'string' ? p.length : 1;
  return n;
}

function chunkAt(text: string, pos: number, chunk: Chunk): boolean {
  for (const p of chunk) {
    if (typeof p === 'string') {
      if (!text.startsWith(p, pos)) return false;
      pos += p.length;
    } else {
      if (pos >= text.length) return false;
      pos++;
    }
  }
  return true;
}

function findChunk(text: string, from: number, end: number, chunk: Chunk, length: number): number {
  const first = chunk[0];
  for (let pos = from; pos + length <= end; pos++) {
    if (typeof first === 'string') {
      pos = text.indexOf(first, pos);
      if (pos < 0 || pos + length > end) return -1;
    }
    if (chunkAt(text, pos, chunk)) return pos;
  }
  return -1;
}

/** `pattern` must already be in the case (and dash) form the text will be compared in. */
export function compileTextTest(pattern: SigmaString): TextTest {
  const parts: readonly SigmaStringPart[] = pattern;
  if (parts.length === 0) return (t) => t.length === 0;
  const [a, b, c] = parts;
  if (parts.length === 1) {
    if (typeof a === 'string') return (t) => t === a;
    if (a === ANY_RUN) return () => true;
  }
  if (parts.length === 2) {
    if (typeof a === 'string' && b === ANY_RUN) return (t) => t.startsWith(a);
    if (a === ANY_RUN && typeof b === 'string') return (t) => t.endsWith(b);
  }
  if (parts.length === 3 && a === ANY_RUN && typeof b === 'string' && c === ANY_RUN) {
    return (t) => t.includes(b);
  }
  // General glob: split at `*` into chunks; first anchors left, last anchors right, the
  // middle ones are found leftmost-first, which is optimal for `*`-separated chunks.
  const chunks: (string | typeof ANY_ONE)[][] = [[]];
  for (const p of parts) {
    if (p === ANY_RUN) chunks.push([]);
    else chunks[chunks.length - 1]!.push(p);
  }
  if (chunks.length === 1) {
    const only = chunks[0]!;
    const length = chunkLength(only);
    return (t) => t.length === length && chunkAt(t, 0, only);
  }
  const head = chunks[0]!;
  const tail = chunks[chunks.length - 1]!;
  const middle = chunks.slice(1, -1).filter((ch) => ch.length > 0);
  const middleLengths = middle.map(chunkLength);
  const headLength = chunkLength(head);
  const tailLength = chunkLength(tail);
  return (t) => {
    if (t.length < headLength + tailLength) return false;
    if (!chunkAt(t, 0, head)) return false;
    const tailStart = t.length - tailLength;
    if (!chunkAt(t, tailStart, tail)) return false;
    let pos = headLength;
    for (let k = 0; k < middle.length; k++) {
      const length = middleLengths[k]!;
      const found = findChunk(t, pos, tailStart, middle[k]!, length);
      if (found < 0) return false;
      pos = found + length;
    }
    return true;
  };
}

/** Lists at least this long get a lookup structure instead of a loop. */
const LIST_LOOKUP = 8;

/**
 * Prefixes (or suffixes) by their first (last) `key` characters, `key` the shortest one's
 * length: a text is compared only with those sharing its own first (last) characters.
 */
function affixTest(affixes: readonly string[], atEnd: boolean): TextTest {
  const fits = atEnd
    ? (t: string, a: string): boolean => t.endsWith(a)
    : (t: string, a: string): boolean => t.startsWith(a);
  const anyFits = (t: string, list: readonly string[]): boolean => {
    for (let i = 0; i < list.length; i++) if (fits(t, list[i]!)) return true;
    return false;
  };
  if (affixes.length < LIST_LOOKUP) return (t) => anyFits(t, affixes);
  const key = Math.min(...affixes.map((a) => a.length));
  const keyOf = (text: string): string =>
    atEnd ? text.slice(text.length - key) : text.slice(0, key);
  const byKey = new Map<string, string[]>();
  for (const a of affixes) {
    const list = byKey.get(keyOf(a)) ?? [];
    list.push(a);
    byKey.set(keyOf(a), list);
  }
  return (t) => {
    if (t.length < key) return false;
    const list = byKey.get(keyOf(t));
    return list !== undefined && anyFits(t, list);
  };
}

/**
 * The OR of several patterns (a rule's value list) as one test: equal values in a set,
 * prefixes and suffixes looked up by their first or last characters, substrings in one
 * Aho–Corasick pass when there are many, and the rest one by one.
 */
export function compileAnyTextTest(patterns: readonly SigmaString[]): TextTest {
  if (patterns.length === 1) return compileTextTest(patterns[0]!);
  const exact = new Set<string>();
  const prefixes: string[] = [];
  const suffixes: string[] = [];
  const substrings: string[] = [];
  const others: TextTest[] = [];
  for (const p of patterns) {
    const [a, b, c] = p;
    if (p.length === 1 && typeof a === 'string') exact.add(a);
    else if (p.length === 2 && typeof a === 'string' && b === ANY_RUN) prefixes.push(a);
    else if (p.length === 2 && a === ANY_RUN && typeof b === 'string') suffixes.push(b);
    else if (p.length === 3 && a === ANY_RUN && typeof b === 'string' && c === ANY_RUN) {
      substrings.push(b);
    } else others.push(compileTextTest(p));
  }
  const tests: TextTest[] = [];
  if (exact.size > 0) tests.push((t) => exact.has(t));
  if (prefixes.length > 0) tests.push(affixTest(prefixes, false));
  if (suffixes.length > 0) tests.push(affixTest(suffixes, true));
  if (substrings.length >= LIST_LOOKUP) {
    const automaton = new LiteralIndex(substrings);
    // Lists of emoji or look-alike letters: ASCII text cannot contain any of them, and a
    // native regex finds a non-ASCII character faster than the automaton walks the text.
    if (substrings.every((l) => NON_ASCII.test(l))) {
      tests.push((t) => NON_ASCII.test(t) && automaton.containsAny(t));
    } else tests.push((t) => automaton.containsAny(t));
  } else if (substrings.length > 0) {
    tests.push((t) => {
      for (let i = 0; i < substrings.length; i++) if (t.includes(substrings[i]!)) return true;
      return false;
    });
  }
  tests.push(...others);
  if (tests.length === 1) return tests[0]!;
  return (t) => {
    for (let i = 0; i < tests.length; i++) if (tests[i]!(t)) return true;
    return false;
  };
}

/** The longest literal run of a pattern: a substring every matching text contains. */
export function longestLiteral(pattern: SigmaString): string {
  let best = '';
  for (const p of pattern) if (typeof p === 'string' && p.length > best.length) best = p;
  return best;
}
