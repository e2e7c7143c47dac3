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

function escapeClass(c: string): ((code: number) => boolean) | undefined {
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
}

const POSIX_CLASSES: Readonly<Record<string, (x: number) => boolean>> = {
  alpha: (x) => (x >= 65 && x <= 90) || (x >= 97 && x <= 122),
  digit: isDigit,
  alnum: (x) => isDigit(x) || (x >= 65 && x <= 90) || (x >= 97 && x <= 122),
  space: isSpace,
  upper: (x) => x >= 65 && x <= 90,
  lower: (x) => x >= 97 && x <= 122,
  xdigit: (x) => isDigit(x) || (x >= 65 && x <= 70) || (x >= 97 && x <= 102),
  word: isWordCode,
  punct: (x) =>
    (x >= 33 && x <= 47) || (x >= 58 && x <= 64) || (x >= 91 && x <= 96) || (x >= 123 && x <= 126),
};

const ESCAPE_ASSERTIONS: Readonly<Record<string, Assertion>> = {
  b: 'wordBoundary',
  B: 'notWordBoundary',
  A: 'textStart',
  z: 'textEnd',
  Z: 'textEnd',
};

/** Recursive descent over one pattern: alternation → sequence → quantified atom. */
class RegexParser {
  private pos = 0;
  private current: RegexFlags;
  private readonly source: string;

  constructor(source: string, flags: RegexFlags) {
    this.source = source;
    this.current = flags;
  }

  parse(): RegexNode {
    const tree = this.alternation();
    if (this.pos < this.source.length) this.fail(`unexpected '${this.source[this.pos]}'`);
    return tree;
  }

  private fail(what: string): never {
    throw new SigmaError(
      'regex',
      `regular expression /${this.source}/: ${what} at offset ${this.pos}`,
    );
  }

  private alternation(): RegexNode {
    const options = [this.sequence()];
    while (this.source[this.pos] === '|') {
      this.pos++;
      options.push(this.sequence());
    }
    return options.length === 1 ? options[0]! : { kind: 'alt', options };
  }

  private sequence(): RegexNode {
    const items: RegexNode[] = [];
    while (this.pos < this.source.length) {
      const node = this.quantified();
      if (!node) break;
      items.push(node);
    }
    return items.length === 1 ? items[0]! : { kind: 'seq', items };
  }

  private quantified(): RegexNode | undefined {
    const atom = this.atom();
    if (!atom) return undefined;
    let node = atom;
    for (;;) {
      const bounds = this.quantifier();
      if (!bounds) return node;
      const [min, max] = bounds;
      const next = this.source[this.pos];
      if (next === '?' || next === '+') this.pos++; // lazy / possessive: same language
      if (node.kind === 'assert') continue;
      node = { kind: 'repeat', node, min, max };
    }
  }

  /** The quantifier at `pos` (consumed), or undefined when there is none. */
  private quantifier(): readonly [number, number] | undefined {
    const q = this.source[this.pos];
    let bounds: readonly [number, number];
    if (q === '*') bounds = [0, UNBOUNDED];
    else if (q === '+') bounds = [1, UNBOUNDED];
    else if (q === '?') bounds = [0, 1];
    else if (q === '{') {
      const m = /^\{(\d*)(,(\d*))?\}/.exec(this.source.slice(this.pos));
      // PCRE treats a brace that is not a quantifier as a literal
      if (!m || (m[1] === '' && m[3] === undefined)) return undefined;
      const min = m[1] === '' ? 0 : Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? UNBOUNDED : Number(m[3]);
      if (min > MAX_REPEAT || max > MAX_REPEAT) this.fail(`repeat count above ${MAX_REPEAT}`);
      if (max !== UNBOUNDED && max < min) this.fail('repeat bounds out of order');
      this.pos += m[0].length - 1;
      bounds = [min, max];
    } else return undefined;
    this.pos++;
    return bounds;
  }

  private atom(): RegexNode | undefined {
    const c = this.source[this.pos]!;
    switch (c) {
      case '(':
        this.pos++;
        return this.group();
      case '[':
        this.pos++;
        return this.characterClass();
      case '.':
        this.pos++;
        return this.current.dotAll
          ? { kind: 'chars', test: () => true }
          : { kind: 'chars', test: (x) => x !== 10 };
      case '^':
        this.pos++;
        return { kind: 'assert', assertion: this.current.multiline ? 'lineStart' : 'textStart' };
      case '$':
        this.pos++;
        return { kind: 'assert', assertion: this.current.multiline ? 'lineEnd' : 'textEnd' };
      case '\\':
        this.pos++;
        return this.escape();
      case ')':
      case '|':
        return undefined;
      case '*':
      case '+':
      case '?':
        return this.fail('quantifier without anything to repeat');
      default:
        this.pos++;
        return this.literal(c.charCodeAt(0));
    }
  }

  /** After `(`: a group, its flags and name syntax; `(?i)` changes the enclosing group's flags. */
  private group(): RegexNode {
    const saved = this.current;
    if (this.source[this.pos] === '?') {
      this.pos++;
      const n = this.source[this.pos];
      const after = this.source[this.pos + 1];
      if (n === ':') this.pos++;
      else if (n === '=' || n === '!') this.fail('lookahead is not supported (not linear-time)');
      else if (n === '<' && (after === '=' || after === '!'))
        this.fail('lookbehind is not supported (not linear-time)');
      else if (n === '<' || n === 'P' || n === "'") {
        const end = this.source.indexOf(n === "'" ? "'" : '>', this.pos + 2);
        if (end < 0) this.fail('unterminated group name');
        this.pos = end + 1;
      } else if (n === '>')
        this.pos++; // atomic group: same language, matched as a plain group
      else {
        const m = /^[imsxuU-]*[:)]/.exec(this.source.slice(this.pos));
        if (!m) return this.fail('unsupported group syntax');
        this.pos += m[0].length;
        this.current = this.flagLetters(m[0].slice(0, -1), this.current);
        // `(?i)`: the flags apply to the rest of the enclosing group
        if (m[0].endsWith(')')) return { kind: 'seq', items: [] };
      }
    }
    const inner = this.alternation();
    if (this.source[this.pos] !== ')') this.fail('missing )');
    this.pos++;
    this.current = saved;
    return inner;
  }

  private flagLetters(letters: string, base: RegexFlags): RegexFlags {
    let on = true;
    let { ignoreCase, multiline, dotAll } = base;
    for (const ch of letters) {
      if (ch === '-') on = false;
      else if (ch === 'i') ignoreCase = on;
      else if (ch === 'm') multiline = on;
      else if (ch === 's') dotAll = on;
      else if (ch !== 'x' && ch !== 'u' && ch !== 'U') this.fail(`unsupported inline flag ${ch}`);
    }
    return { ignoreCase, multiline, dotAll };
  }

  /** After a backslash outside a class: a class escape, an assertion, `\Q…\E` or a character. */
  private escape(): RegexNode {
    const e = this.source[this.pos] ?? '';
    const cls = escapeClass(e);
    if (cls) {
      this.pos++;
      return { kind: 'chars', test: cls };
    }
    const assertion = ESCAPE_ASSERTIONS[e];
    if (assertion) {
      this.pos++;
      return { kind: 'assert', assertion };
    }
    if (e === 'Q') {
      const end = this.source.indexOf('\\E', this.pos);
      const text = this.source.slice(this.pos + 1, end < 0 ? this.source.length : end);
      this.pos = end < 0 ? this.source.length : end + 2;
      return { kind: 'seq', items: [...text].map((ch) => this.literal(ch.charCodeAt(0))) };
    }
    return this.literal(this.escapeCode());
  }

  /** A single escaped character code (after the backslash), for atoms and class members. */
  private escapeCode(): number {
    const c = this.source[this.pos++];
    if (c === undefined) return this.fail('trailing backslash');
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
      case 'x':
        return this.hexEscape();
      case 'u': {
        const code = Number.parseInt(this.source.slice(this.pos, this.pos + 4), 16);
        this.pos += 4;
        return Number.isNaN(code) ? this.fail('bad \\u escape') : code;
      }
      default:
        if (/[1-9]/.test(c)) this.fail('back-references are not supported (not linear-time)');
        if (/[A-Za-z]/.test(c)) this.fail(`unsupported escape \\${c}`);
        return c.charCodeAt(0);
    }
  }

  /** After `\x`: two hex digits or `{…}`. */
  private hexEscape(): number {
    let hex: string;
    if (this.source[this.pos] === '{') {
      const end = this.source.indexOf('}', this.pos);
      if (end < 0) this.fail('unterminated \\x{…}');
      hex = this.source.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      hex = this.source.slice(this.pos, this.pos + 2);
      this.pos += 2;
    }
    const code = Number.parseInt(hex, 16);
    return Number.isNaN(code) ? this.fail('bad \\x escape') : code;
  }

  /** After `[`: members up to the closing `]` (a `]` first is a member). */
  private characterClass(): RegexNode {
    let negated = false;
    if (this.source[this.pos] === '^') {
      negated = true;
      this.pos++;
    }
    const items: ClassItem[] = [];
    let first = true;
    for (;;) {
      if (this.pos >= this.source.length) this.fail('unterminated character class');
      if (this.source[this.pos] === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      items.push(this.classMember());
    }
    return { kind: 'chars', test: foldTest(classTest(items, negated), this.current.ignoreCase) };
  }

  private classMember(): ClassItem {
    const c = this.source[this.pos]!;
    let low: number;
    if (c === '\\') {
      this.pos++;
      const cls = escapeClass(this.source[this.pos] ?? '');
      if (cls) {
        this.pos++;
        return cls;
      }
      if (this.source[this.pos] === 'b') {
        this.pos++;
        low = 8;
      } else low = this.escapeCode();
    } else if (c === '[' && this.source[this.pos + 1] === ':') {
      const end = this.source.indexOf(':]', this.pos);
      if (end < 0) this.fail('unterminated POSIX class');
      const name = this.source.slice(this.pos + 2, end);
      this.pos = end + 2;
      const test = POSIX_CLASSES[name];
      return test ?? this.fail(`unknown POSIX class [:${name}:]`);
    } else {
      this.pos++;
      low = c.charCodeAt(0);
    }
    const next = this.source[this.pos + 1];
    if (this.source[this.pos] !== '-' || next === undefined || next === ']') return [low, low];
    this.pos++;
    let high: number;
    if (this.source[this.pos] === '\\') {
      this.pos++;
      high = this.escapeCode();
    } else high = this.source.charCodeAt(this.pos++);
    if (high < low) this.fail('character range out of order');
    return [low, high];
  }

  private literal(code: number): RegexNode {
    return { kind: 'chars', test: foldTest((x) => x === code, this.current.ignoreCase), code };
  }
}

/** Parses `source`; `flags` are the rule's `re` sub-modifiers, inline flags may add to them. */
export function parseRegex(source: string, flags: RegexFlags): RegexNode {
  return new RegexParser(source, flags).parse();
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
