/**
 * Parser for the regular expressions found in Sigma rules (PCRE flavour as the modifiers
 * appendix defines it, plus the classes and escapes SigmaHQ rules use in practice: `\d \w \s`,
 * `(?:…)`, named groups, inline flags `(?i)` / `(?i:…)`, lazy and possessive quantifiers).
 * Lookaround and back-references are refused: they cannot run in linear time.
 */
import { SigmaError } from '../sigma-error.ts';

export type RegexNode =
  | {
      readonly kind: 'chars';
      readonly test: (code: number) => boolean;
      /** The character, when the node matches one character (modulo case). */
      readonly code?: number;
    }
  | { readonly kind: 'seq'; readonly items: readonly RegexNode[] }
  | { readonly kind: 'alt'; readonly options: readonly RegexNode[] }
  | {
      readonly kind: 'repeat';
      readonly node: RegexNode;
      readonly min: number;
      readonly max: number;
    }
  | { readonly kind: 'assert'; readonly assertion: Assertion };

/** `max` of a repeat without an upper bound. */
export const UNBOUNDED = -1;

export type Assertion =
  'lineStart' | 'lineEnd' | 'textStart' | 'textEnd' | 'wordBoundary' | 'notWordBoundary';

export interface RegexFlags {
  readonly ignoreCase: boolean;
  readonly multiline: boolean;
  readonly dotAll: boolean;
}

const MAX_REPEAT = 1000;

export function isWordCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}
function isSpace(c: number): boolean {
  return (
    c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x2028 || c === 0x2029 || c === 0xfeff
  );
}

type Range = readonly [number, number];
type ClassItem = Range | ((c: number) => boolean);

function foldTest(test: (c: number) => boolean, ignoreCase: boolean): (c: number) => boolean {
  if (!ignoreCase) return test;
  return (c) => {
    if (test(c)) return true;
    const s = String.fromCharCode(c);
    const lower = s.toLowerCase().charCodeAt(0);
    const upper = s.toUpperCase().charCodeAt(0);
    return (lower !== c && test(lower)) || (upper !== c && test(upper));
  };
}

function classTest(items: readonly ClassItem[], negated: boolean): (c: number) => boolean {
  return (c) => {
    let hit = false;
    for (const item of items) {
      if (typeof item === 'function' ? item(c) : c >= item[0] && c <= item[1]) {
        hit = true;
        break;
      }
    }
    return hit !== negated;
  };
}

/** Parses `source`; `flags` are the rule's `re` sub-modifiers, inline flags may add to them. */
export function parseRegex(source: string, flags: RegexFlags): RegexNode {
  let pos = 0;
  let current = flags;
  const fail = (what: string): never => {
    throw new SigmaError('regex', `regular expression /${source}/: ${what} at offset ${pos}`);
  };

  const escapeClass = (c: string): ((code: number) => boolean) | undefined => {
    switch (c) {
      case 'd':
        return isDigit;
      case 'D':
        return (x) => !isDigit(x);
      case 'w':
        return isWordCode;
      case 'W':
        return (x) => !isWordCode(x);
      case 's':
        return isSpace;
      case 'S':
        return (x) => !isSpace(x);
      case 'h':
        return (x) => x === 32 || x === 9 || x === 0xa0;
      default:
        return undefined;
    }
  };

  /** A single escaped character code (after the backslash), for atoms and class members. */
  const escapeCode = (): number => {
    const c = source[pos++];
    if (c === undefined) return fail('trailing backslash');
    switch (c) {
      case 't':
        return 9;
      case 'n':
        return 10;
      case 'r':
        return 13;
      case 'f':
        return 12;
      case 'v':
        return 11;
      case 'e':
        return 27;
      case '0':
        return 0;
      case 'x': {
        let hex: string;
        if (source[pos] === '{') {
          const end = source.indexOf('}', pos);
          if (end < 0) fail('unterminated \\x{…}');
          hex = source.slice(pos + 1, end);
          pos = end + 1;
        } else {
          hex = source.slice(pos, pos + 2);
          pos += 2;
        }
        const code = Number.parseInt(hex, 16);
        return Number.isNaN(code) ? fail('bad \\x escape') : code;
      }
      case 'u': {
        const code = Number.parseInt(source.slice(pos, pos + 4), 16);
        pos += 4;
        return Number.isNaN(code) ? fail('bad \\u escape') : code;
      }
      default:
        if (/[1-9]/.test(c)) fail('back-references are not supported (not linear-time)');
        if (/[A-Za-z]/.test(c)) fail(`unsupported escape \\${c}`);
        return c.charCodeAt(0);
    }
  };

  const parseClass = (): RegexNode => {
    // at '[' already consumed
    let negated = false;
    if (source[pos] === '^') {
      negated = true;
      pos++;
    }
    const items: ClassItem[] = [];
    let first = true;
    for (;;) {
      if (pos >= source.length) fail('unterminated character class');
      const c = source[pos]!;
      if (c === ']' && !first) {
        pos++;
        break;
      }
      first = false;
      let low: number;
      if (c === '\\') {
        pos++;
        const cls = escapeClass(source[pos] ?? '');
        if (cls) {
          pos++;
          items.push(cls);
          continue;
        }
        if (source[pos] === 'b') {
          pos++;
          low = 8;
        } else low = escapeCode();
      } else if (c === '[' && source[pos + 1] === ':') {
        const end = source.indexOf(':]', pos);
        if (end < 0) fail('unterminated POSIX class');
        const name = source.slice(pos + 2, end);
        pos = end + 2;
        const posix: Record<string, (x: number) => boolean> = {
          alpha: (x) => (x >= 65 && x <= 90) || (x >= 97 && x <= 122),
          digit: isDigit,
          alnum: (x) => isDigit(x) || (x >= 65 && x <= 90) || (x >= 97 && x <= 122),
          space: isSpace,
          upper: (x) => x >= 65 && x <= 90,
          lower: (x) => x >= 97 && x <= 122,
          xdigit: (x) => isDigit(x) || (x >= 65 && x <= 70) || (x >= 97 && x <= 102),
          word: isWordCode,
          punct: (x) =>
            (x >= 33 && x <= 47) ||
            (x >= 58 && x <= 64) ||
            (x >= 91 && x <= 96) ||
            (x >= 123 && x <= 126),
        };
        const test = posix[name];
        if (!test) fail(`unknown POSIX class [:${name}:]`);
        items.push(test!);
        continue;
      } else {
        pos++;
        low = c.charCodeAt(0);
      }
      if (source[pos] === '-' && source[pos + 1] !== undefined && source[pos + 1] !== ']') {
        pos++;
        let high: number;
        if (source[pos] === '\\') {
          pos++;
          high = escapeCode();
        } else {
          high = source.charCodeAt(pos++);
        }
        if (high < low) fail('character range out of order');
        items.push([low, high]);
      } else {
        items.push([low, low]);
      }
    }
    return { kind: 'chars', test: foldTest(classTest(items, negated), current.ignoreCase) };
  };

  const parseFlagLetters = (letters: string, base: RegexFlags): RegexFlags => {
    let on = true;
    let { ignoreCase, multiline, dotAll } = base;
    for (const ch of letters) {
      if (ch === '-') on = false;
      else if (ch === 'i') ignoreCase = on;
      else if (ch === 'm') multiline = on;
      else if (ch === 's') dotAll = on;
      else if (ch !== 'x' && ch !== 'u' && ch !== 'U') fail(`unsupported inline flag ${ch}`);
    }
    return { ignoreCase, multiline, dotAll };
  };

  const parseAtom = (): RegexNode | undefined => {
    const c = source[pos]!;
    switch (c) {
      case '(': {
        pos++;
        const saved = current;
        if (source[pos] === '?') {
          pos++;
          const n = source[pos];
          if (n === ':') pos++;
          else if (n === '=' || n === '!') fail('lookahead is not supported (not linear-time)');
          else if (n === '<' && (source[pos + 1] === '=' || source[pos + 1] === '!'))
            fail('lookbehind is not supported (not linear-time)');
          else if (n === '<' || n === 'P' || n === "'") {
            const close = n === "'" ? "'" : '>';
            const end = source.indexOf(close, pos + 2);
            if (end < 0) fail('unterminated group name');
            pos = end + 1;
          } else if (n === '>')
            pos++; // atomic group: same language, matched as a plain group
          else {
            const m = /^[imsxuU-]*[:)]/.exec(source.slice(pos));
            if (!m) fail('unsupported group syntax');
            const letters = m![0].slice(0, -1);
            pos += m![0].length;
            if (m![0].endsWith(')')) {
              // `(?i)`: flags apply to the rest of the enclosing group
              current = parseFlagLetters(letters, current);
              return { kind: 'seq', items: [] };
            }
            current = parseFlagLetters(letters, current);
          }
        }
        const inner = parseAlternation();
        if (source[pos] !== ')') fail('missing )');
        pos++;
        current = saved;
        return inner;
      }
      case '[':
        pos++;
        return parseClass();
      case '.':
        pos++;
        return current.dotAll
          ? { kind: 'chars', test: () => true }
          : { kind: 'chars', test: (x) => x !== 10 };
      case '^':
        pos++;
        return { kind: 'assert', assertion: current.multiline ? 'lineStart' : 'textStart' };
      case '$':
        pos++;
        return { kind: 'assert', assertion: current.multiline ? 'lineEnd' : 'textEnd' };
      case '\\': {
        pos++;
        const e = source[pos] ?? '';
        const cls = escapeClass(e);
        if (cls) {
          pos++;
          return { kind: 'chars', test: cls };
        }
        const assertions: Record<string, Assertion> = {
          b: 'wordBoundary',
          B: 'notWordBoundary',
          A: 'textStart',
          z: 'textEnd',
          Z: 'textEnd',
        };
        const assertion = assertions[e];
        if (assertion) {
          pos++;
          return { kind: 'assert', assertion };
        }
        if (e === 'Q') {
          const end = source.indexOf('\\E', pos);
          const text = source.slice(pos + 1, end < 0 ? source.length : end);
          pos = end < 0 ? source.length : end + 2;
          return { kind: 'seq', items: [...text].map((ch) => literal(ch.charCodeAt(0))) };
        }
        return literal(escapeCode());
      }
      case ')':
      case '|':
        return undefined;
      case '*':
      case '+':
      case '?':
        return fail('quantifier without anything to repeat');
      default:
        pos++;
        return literal(c.charCodeAt(0));
    }
  };

  const literal = (code: number): RegexNode => ({
    kind: 'chars',
    test: foldTest((x) => x === code, current.ignoreCase),
    code,
  });

  const parseQuantified = (): RegexNode | undefined => {
    const atom = parseAtom();
    if (!atom) return undefined;
    let node = atom;
    for (;;) {
      const q = source[pos];
      let min: number;
      let max: number;
      if (q === '*') [min, max] = [0, UNBOUNDED];
      else if (q === '+') [min, max] = [1, UNBOUNDED];
      else if (q === '?') [min, max] = [0, 1];
      else if (q === '{') {
        const m = /^\{(\d*)(,(\d*))?\}/.exec(source.slice(pos));
        if (!m || (m[1] === '' && m[3] === undefined)) {
          // PCRE treats a brace that is not a quantifier as a literal
          return node;
        }
        min = m[1] === '' ? 0 : Number(m[1]);
        max = m[2] === undefined ? min : m[3] === '' ? UNBOUNDED : Number(m[3]);
        if (min > MAX_REPEAT || max > MAX_REPEAT) fail(`repeat count above ${MAX_REPEAT}`);
        if (max !== UNBOUNDED && max < min) fail('repeat bounds out of order');
        pos += m[0].length - 1;
      } else return node;
      pos++;
      if (source[pos] === '?' || source[pos] === '+') pos++; // lazy / possessive: same language
      if (node.kind === 'assert') continue;
      node = { kind: 'repeat', node, min, max };
    }
  };

  const parseSequence = (): RegexNode => {
    const items: RegexNode[] = [];
    for (;;) {
      if (pos >= source.length) break;
      const node = parseQuantified();
      if (!node) break;
      items.push(node);
    }
    return items.length === 1 ? items[0]! : { kind: 'seq', items };
  };

  const parseAlternation = (): RegexNode => {
    const options = [parseSequence()];
    while (source[pos] === '|') {
      pos++;
      options.push(parseSequence());
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options };
  };

  const tree = parseAlternation();
  if (pos < source.length) fail(`unexpected '${source[pos]}'`);
  return tree;
}

/**
 * The longest run of plain characters every match must contain, lower-cased (callers compare
 * it with lower-cased text, which is a necessary condition whatever the case flags). Used to
 * skip running the automaton on text that cannot match.
 */
export function requiredLiteral(node: RegexNode): string {
  const items: RegexNode[] = [];
  const flatten = (n: RegexNode): void => {
    if (n.kind === 'seq') n.items.forEach(flatten);
    else items.push(n);
  };
  flatten(node);
  let best = '';
  let run = '';
  for (const item of items) {
    if (item.kind === 'chars' && item.code !== undefined) {
      run += String.fromCharCode(item.code).toLowerCase();
      if (run.length > best.length) best = run;
    } else if (
      item.kind === 'repeat' &&
      item.min >= 1 &&
      item.node.kind === 'chars' &&
      item.node.code !== undefined
    ) {
      // x+ or x{2,}: one x is certain, and the run cannot continue past it
      run += String.fromCharCode(item.node.code).toLowerCase();
      if (run.length > best.length) best = run;
      run = '';
    } else if (item.kind === 'assert') {
      continue;
    } else {
      run = '';
    }
  }
  return best;
}

/** The fewest characters any match has: text shorter than this cannot match. */
export function minimumLength(node: RegexNode): number {
  switch (node.kind) {
    case 'chars':
      return 1;
    case 'assert':
      return 0;
    case 'seq':
      return node.items.reduce((sum, item) => sum + minimumLength(item), 0);
    case 'alt':
      return Math.min(...node.options.map(minimumLength));
    case 'repeat':
      return node.min * minimumLength(node.node);
  }
}
