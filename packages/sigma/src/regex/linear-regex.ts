/**
 * Linear-time regular expression matching for rule regexes, which run on attacker-controlled
 * text. Mechanism: the pattern is compiled to a Thompson NFA and searched with a lazily built
 * DFA (each DFA state is a set of NFA states plus the class of the previous character, which
 * is what `^`, `$` and `\b` need). Every input character costs one table lookup once its
 * transition is cached and at most one NFA-sized step when it is not, so matching is
 * O(text × pattern) in the worst case and there is no backtracking to exploit: `(a+)+$` on
 * "aaaa…!" takes as long as any other pattern of its size. The DFA cache is bounded; when it
 * fills it is dropped and rebuilt, which keeps memory bounded without losing linearity.
 *
 * Only `test` semantics are offered (does the pattern occur anywhere?): detection never needs
 * match positions or captures.
 */
import { SigmaError } from '../sigma-error.ts';
import type { Assertion, RegexFlags, RegexNode } from './regex-syntax.ts';
import {
  UNBOUNDED,
  isWordCode,
  minimumLength,
  parseRegex,
  requiredLiteral,
} from './regex-syntax.ts';

const MAX_NFA_STATES = 50_000;
const MAX_DFA_STATES = 2_000;

const NFA_KIND = { chars: 0, split: 1, assert: 2, match: 3 } as const;

/** Previous-character classes: what assertions need to know about the left context. */
const PREV_START = 0;
const PREV_NEWLINE = 1;
const PREV_WORD = 2;
const PREV_OTHER = 3;
const END = -1;

interface NfaState {
  type: number;
  test?: (code: number) => boolean;
  assertion?: Assertion;
  out: number;
  out2: number;
}

interface DfaState {
  readonly core: readonly number[];
  readonly prev: number;
  /** Cached transitions for other than ASCII (ASCII ones are in the regex's `ascii` table). */
  readonly other: Map<number, number>;
  /** Whether the end of text after this state is a match: 0 unknown, 1 no, 2 yes. */
  endMatch: number;
}

const MATCHED = -2;

/**
 * `C{n,m}` and `C{n,}$` (C one character class): rules that flag long command lines or
 * paths. A lazy DFA needs a state per counted position and per character seen there, so these
 * are run as what they mean: a run of at least n characters of C (ending the text, for `$`).
 */
interface RunShape {
  readonly test: (code: number) => boolean;
  readonly min: number;
  readonly atEnd: boolean;
}

function runShape(tree: RegexNode): RunShape | undefined {
  let node = tree;
  let atEnd = false;
  if (node.kind === 'seq' && node.items.length === 2) {
    const last = node.items[1]!;
    if (last.kind !== 'assert' || last.assertion !== 'textEnd') return undefined;
    node = node.items[0]!;
    atEnd = true;
  }
  if (node.kind !== 'repeat' || node.node.kind !== 'chars' || node.min < 1) return undefined;
  return { test: node.node.test, min: node.min, atEnd };
}

function hasRun(text: string, run: RunShape): boolean {
  let length = 0;
  for (let i = 0; i < text.length; i++) {
    if (run.test(text.charCodeAt(i))) {
      if (++length >= run.min && !run.atEnd) return true;
    } else length = 0;
  }
  return length >= run.min;
}

export class LinearRegex {
  readonly source: string;
  private readonly nfa: NfaState[] = [];
  private readonly start: number;
  private dfa: DfaState[] = [];
  /**
   * Cached ASCII transitions of every DFA state, `state * 128 + code` → next state id, -1
   * unknown, -2 matched: one typed-array read per character. Grows with the states.
   */
  private ascii = new Int32Array(16 * 128).fill(-1);
  private dfaIndex = new Map<string, number>();
  private readonly visited: Int32Array;
  private stamp = 0;
  /** Lower-cased text every match contains ('' if none): a cheap pre-check for callers. */
  readonly requiredLiteral: string;
  /** Text shorter than this cannot match (`.{1000,}` rules need no automaton for short text). */
  readonly minimumLength: number;
  /** How many times the DFA cache was dropped because it filled (observable for tests). */
  cacheResets = 0;
  private readonly run: RunShape | undefined;

  constructor(source: string, flags: RegexFlags) {
    this.source = source;
    const tree = parseRegex(source, flags);
    this.requiredLiteral = requiredLiteral(tree);
    this.minimumLength = minimumLength(tree);
    this.run = runShape(tree);
    const matchState = this.add({ type: NFA_KIND.match, out: -1, out2: -1 });
    this.start = this.compile(tree, matchState);
    this.visited = new Int32Array(this.nfa.length);
  }

  /** True when the pattern occurs somewhere in `text`. */
  test(text: string): boolean {
    if (text.length < this.minimumLength) return false;
    if (this.run) return hasRun(text, this.run);
    let state = this.initialState();
    let ascii = this.ascii;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let next =
        code < 128 ? ascii[(state << 7) | code]! : (this.dfa[state]!.other.get(code) ?? -1);
      if (next === -1) {
        const dstate = this.dfa[state]!;
        next = this.transition(state, code);
        if (next === -3) {
          // cache was dropped: recompute from the rebuilt state
          state = this.stateFor(dstate.core, dstate.prev);
          next = this.transition(state, code);
        }
        ascii = this.ascii; // the table may have grown or been dropped
      }
      if (next === MATCHED) return true;
      state = next;
    }
    const last = this.dfa[state]!;
    if (last.endMatch === 0) last.endMatch = this.closureMatches(last.core, last.prev, END) ? 2 : 1;
    return last.endMatch === 2;
  }

  private initialState(): number {
    return this.stateFor([this.start], PREV_START);
  }

  private add(state: NfaState): number {
    if (this.nfa.length >= MAX_NFA_STATES) {
      throw new SigmaError('regex', `regular expression /${this.source}/ is too large to compile`);
    }
    this.nfa.push(state);
    return this.nfa.length - 1;
  }

  /** Thompson construction, built back to front: returns the entry state of `node` → `next`. */
  private compile(node: RegexNode, next: number): number {
    switch (node.kind) {
      case 'chars':
        return this.add({ type: NFA_KIND.chars, test: node.test, out: next, out2: -1 });
      case 'assert':
        return this.add({ type: NFA_KIND.assert, assertion: node.assertion, out: next, out2: -1 });
      case 'seq': {
        let entry = next;
        for (let i = node.items.length - 1; i >= 0; i--)
          entry = this.compile(node.items[i]!, entry);
        return entry;
      }
      case 'alt': {
        let entry = this.compile(node.options[node.options.length - 1]!, next);
        for (let i = node.options.length - 2; i >= 0; i--) {
          entry = this.add({
            type: NFA_KIND.split,
            out: this.compile(node.options[i]!, next),
            out2: entry,
          });
        }
        return entry;
      }
      case 'repeat': {
        let tail: number;
        if (node.max === UNBOUNDED) {
          const loop = this.add({ type: NFA_KIND.split, out: -1, out2: next });
          this.nfa[loop]!.out = this.compile(node.node, loop);
          tail = loop;
        } else {
          tail = next;
          for (let i = node.min; i < node.max; i++) {
            tail = this.add({
              type: NFA_KIND.split,
              out: this.compile(node.node, tail),
              out2: next,
            });
          }
        }
        for (let i = 0; i < node.min; i++) tail = this.compile(node.node, tail);
        return tail;
      }
    }
  }

  private assertionHolds(assertion: Assertion, prev: number, next: number): boolean {
    switch (assertion) {
      case 'textStart':
        return prev === PREV_START;
      case 'lineStart':
        return prev === PREV_START || prev === PREV_NEWLINE;
      case 'textEnd':
        return next === END;
      case 'lineEnd':
        return next === END || next === 10;
      case 'wordBoundary':
        return (prev === PREV_WORD) !== (next !== END && isWordCode(next));
      case 'notWordBoundary':
        return (prev === PREV_WORD) === (next !== END && isWordCode(next));
    }
  }

  /**
   * Follows split and assertion edges from `core` given the surrounding characters; collects
   * the character-consuming states into `out`. Returns true if the match state is reachable.
   */
  private closure(core: readonly number[], prev: number, next: number, out: number[]): boolean {
    const stamp = ++this.stamp;
    const stack = [...core];
    let matched = false;
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (this.visited[id] === stamp) continue;
      this.visited[id] = stamp;
      const s = this.nfa[id]!;
      switch (s.type) {
        case NFA_KIND.chars:
          out.push(id);
          break;
        case NFA_KIND.split:
          stack.push(s.out2, s.out);
          break;
        case NFA_KIND.assert:
          if (this.assertionHolds(s.assertion!, prev, next)) stack.push(s.out);
          break;
        default:
          matched = true;
      }
    }
    return matched;
  }

  private closureMatches(core: readonly number[], prev: number, next: number): boolean {
    return this.closure(core, prev, next, []);
  }

  private stateFor(core: readonly number[], prev: number): number {
    const key = prev + ':' + core.join(',');
    const found = this.dfaIndex.get(key);
    if (found !== undefined) return found;
    if (this.dfa.length >= MAX_DFA_STATES) {
      this.dfa = [];
      this.dfaIndex = new Map();
      this.ascii = new Int32Array(16 * 128).fill(-1);
      this.cacheResets++;
    }
    const id = this.dfa.length;
    if ((id + 1) * 128 > this.ascii.length) {
      const grown = new Int32Array(this.ascii.length * 2).fill(-1);
      grown.set(this.ascii);
      this.ascii = grown;
    }
    this.dfa.push({ core, prev, other: new Map(), endMatch: 0 });
    this.dfaIndex.set(key, id);
    return id;
  }

  /** Computes and caches the transition; -3 when the cache had to be dropped meanwhile. */
  private transition(stateId: number, code: number): number {
    const state = this.dfa[stateId]!;
    const consuming: number[] = [];
    let result: number;
    if (this.closure(state.core, state.prev, code, consuming)) {
      result = MATCHED;
    } else {
      const nextCore = new Set<number>();
      for (const id of consuming) {
        const s = this.nfa[id]!;
        if (s.test!(code)) nextCore.add(s.out);
      }
      nextCore.add(this.start); // unanchored search: a match may begin at every position
      const prev = code === 10 ? PREV_NEWLINE : isWordCode(code) ? PREV_WORD : PREV_OTHER;
      const resets = this.cacheResets;
      result = this.stateFor(
        [...nextCore].sort((a, b) => a - b),
        prev,
      );
      if (this.cacheResets !== resets) return -3;
    }
    if (code < 128) this.ascii[(stateId << 7) | code] = result;
    else state.other.set(code, result);
    return result;
  }
}

/** Compiles a rule regex; throws SigmaError('regex') with the reason when it cannot run. */
export function compileRegex(source: string, flags: RegexFlags): LinearRegex {
  return new LinearRegex(source, flags);
}
