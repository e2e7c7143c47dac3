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
 *
 * Linear is not bounded: a step costs up to the NFA's size, so the work of one test is up to
 * states × characters. Both factors are capped (`maxStates` at compile time, `maxInputChars`
 * per test: a longer text is searched in its first `maxInputChars` characters, and a match
 * must end within them), and a `RegexWorkBudget` passed to `test` stops it when the steps the
 * caller allows run out.
 */
import { SigmaError } from '../sigma-error.ts';
import type { Assertion, RegexFlags, RegexNode } from './regex-syntax.ts';
import type { RegexWorkBudget } from './regex-work-budget.ts';
import {
  UNBOUNDED,
  isWordCode,
  minimumLength,
  parseRegex,
  requiredLiteral,
} from './regex-syntax.ts';

export interface RegexLimits {
  /** NFA states the pattern may compile to (larger patterns are refused). */
  readonly maxStates?: number;
  /** Characters of a text a test reads (the first ones). */
  readonly maxInputChars?: number;
}

const DEFAULT_MAX_NFA_STATES = 50_000;
/** Cached DFA states: half the NFA cap, within these bounds (the ASCII table is 512 B a state). */
const MIN_DFA_STATES = 256;
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

/** Work arrays of the NFA simulation, sized by the NFA. */
interface Simulation {
  readonly core: Int32Array;
  readonly consuming: Int32Array;
  readonly stack: Int32Array;
}

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

/**
 * Whether the run occurs: anywhere in the first `limit` characters, or (`atEnd`) as the last
 * `min` characters — which is exact whatever the length, reading only those characters.
 */
function hasRun(text: string, run: RunShape, limit: number): boolean {
  if (run.atEnd) {
    for (let i = text.length - run.min; i < text.length; i++) {
      if (!run.test(text.charCodeAt(i))) return false;
    }
    return true;
  }
  let length = 0;
  const end = Math.min(text.length, limit);
  for (let i = 0; i < end; i++) {
    if (run.test(text.charCodeAt(i))) {
      if (++length >= run.min) return true;
    } else length = 0;
  }
  return false;
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
  /** Deduplicates the next states of an NFA simulation step. */
  private readonly visited2: Int32Array;
  private stamp2 = 0;
  private sim: Simulation | undefined;
  /** NFA states visited by closures so far (the costly part of a step). */
  private visits = 0;
  private readonly maxStates: number;
  private readonly maxDfaStates: number;
  /** Characters of a text a test reads. */
  readonly maxInputChars: number;
  /** NFA states of the compiled pattern (0 for counted runs, which need no automaton). */
  readonly states: number;
  /** Lower-cased text every match contains ('' if none): a cheap pre-check for callers. */
  readonly requiredLiteral: string;
  /** Text shorter than this cannot match (`.{1000,}` rules need no automaton for short text). */
  readonly minimumLength: number;
  /** How many times the DFA cache was dropped because it filled (observable for tests). */
  cacheResets = 0;
  private readonly run: RunShape | undefined;

  constructor(source: string, flags: RegexFlags, limits: RegexLimits = {}) {
    this.source = source;
    this.maxStates = limits.maxStates ?? DEFAULT_MAX_NFA_STATES;
    this.maxInputChars = limits.maxInputChars ?? Infinity;
    this.maxDfaStates = Math.min(MAX_DFA_STATES, Math.max(MIN_DFA_STATES, this.maxStates >> 1));
    const tree = parseRegex(source, flags);
    this.requiredLiteral = requiredLiteral(tree);
    this.minimumLength = minimumLength(tree);
    this.run = runShape(tree);
    const matchState = this.add({ type: NFA_KIND.match, out: -1, out2: -1 });
    this.start = this.run ? matchState : this.compile(tree, matchState);
    this.states = this.run ? 0 : this.nfa.length;
    this.visited = new Int32Array(this.nfa.length);
    this.visited2 = new Int32Array(this.nfa.length);
  }

  /**
   * True when the pattern occurs in `text` (a match ending within its first `maxInputChars`
   * characters). With a `budget`, false as soon as the steps it has left are spent (counted in
   * `budget.cutOffs`).
   */
  test(text: string, budget?: RegexWorkBudget): boolean {
    if (text.length < this.minimumLength) return false;
    const end = Math.min(text.length, this.maxInputChars);
    if (this.run) {
      budget?.spend(this.run.atEnd ? this.run.min : end);
      return hasRun(text, this.run, end);
    }
    const allowance = budget === undefined ? Infinity : budget.left;
    if (allowance <= 0) return this.stop(budget!, 0);
    const visitsBefore = this.visits;
    const resetsBefore = this.cacheResets;
    let state = this.initialState();
    let ascii = this.ascii;
    for (let i = 0; i < end; i++) {
      const code = text.charCodeAt(i);
      let next =
        code < 128 ? ascii[(state << 7) | code]! : (this.dfa[state]!.other.get(code) ?? -1);
      if (next === -1) {
        if (this.cacheResets !== resetsBefore) {
          // The cache filled on this text: it would only be rebuilt and dropped again, at far
          // more than an NFA step per character. Run the rest on the NFA directly.
          const dstate = this.dfa[state]!;
          return this.simulate(text, i, end, dstate, { budget, allowance, visitsBefore });
        }
        next = this.step(state, code);
        ascii = this.ascii; // the table may have grown or been dropped
        const spent = i + this.visits - visitsBefore;
        if (spent > allowance) return this.stop(budget!, spent);
      }
      if (next === MATCHED) {
        budget?.spend(i + this.visits - visitsBefore);
        return true;
      }
      state = next;
    }
    const last = this.dfa[state]!;
    let matched: boolean;
    if (end < text.length) {
      // cut short: a match ends here only as the character after it allows (`$`, `\b`)
      matched = this.closureMatches(last.core, last.prev, text.charCodeAt(end));
    } else {
      if (last.endMatch === 0)
        last.endMatch = this.closureMatches(last.core, last.prev, END) ? 2 : 1;
      matched = last.endMatch === 2;
    }
    budget?.spend(end + this.visits - visitsBefore);
    return matched;
  }

  /**
   * The search from position `from` on, by NFA simulation (no DFA states made): each
   * character costs the states its closure visits, and nothing else (typed arrays made once
   * per regex, so no garbage either).
   */
  private simulate(
    text: string,
    from: number,
    end: number,
    start: { readonly core: readonly number[]; readonly prev: number },
    spend: { budget: RegexWorkBudget | undefined; allowance: number; visitsBefore: number },
  ): boolean {
    const sim = (this.sim ??= {
      core: new Int32Array(this.nfa.length + 1),
      consuming: new Int32Array(this.nfa.length),
      stack: new Int32Array(3 * this.nfa.length + 2),
    });
    let coreLength = start.core.length;
    sim.core.set(start.core);
    let prev = start.prev;
    const seen = this.visited2;
    for (let i = from; i < end; i++) {
      const code = text.charCodeAt(i);
      const consumingLength = this.closureOf(sim, coreLength, prev, code);
      if (consumingLength < 0) {
        spend.budget?.spend(i + this.visits - spend.visitsBefore);
        return true;
      }
      const stamp = ++this.stamp2;
      coreLength = 0;
      for (let k = 0; k < consumingLength; k++) {
        const s = this.nfa[sim.consuming[k]!]!;
        if (s.test!(code) && seen[s.out] !== stamp) {
          seen[s.out] = stamp;
          sim.core[coreLength++] = s.out;
        }
      }
      if (seen[this.start] !== stamp) sim.core[coreLength++] = this.start;
      prev = code === 10 ? PREV_NEWLINE : isWordCode(code) ? PREV_WORD : PREV_OTHER;
      const spent = i + this.visits - spend.visitsBefore;
      if (spent > spend.allowance) return this.stop(spend.budget!, spent);
    }
    const matched =
      this.closureOf(sim, coreLength, prev, end < text.length ? text.charCodeAt(end) : END) < 0;
    spend.budget?.spend(end + this.visits - spend.visitsBefore);
    return matched;
  }

  /** `closure` over typed arrays: the consuming states into `sim.consuming`; -1 on a match. */
  private closureOf(sim: Simulation, coreLength: number, prev: number, next: number): number {
    const stamp = ++this.stamp;
    const { stack, consuming } = sim;
    stack.set(sim.core.subarray(0, coreLength));
    let top = coreLength;
    let count = 0;
    let matched = false;
    while (top > 0) {
      const id = stack[--top]!;
      if (this.visited[id] === stamp) continue;
      this.visited[id] = stamp;
      this.visits++;
      const s = this.nfa[id]!;
      switch (s.type) {
        case NFA_KIND.chars:
          consuming[count++] = id;
          break;
        case NFA_KIND.split:
          stack[top++] = s.out2;
          stack[top++] = s.out;
          break;
        case NFA_KIND.assert:
          if (this.assertionHolds(s.assertion!, prev, next)) stack[top++] = s.out;
          break;
        default:
          matched = true;
      }
    }
    return matched ? -1 : count;
  }

  private stop(budget: RegexWorkBudget, spent: number): false {
    budget.cutOff(spent);
    return false;
  }

  /** The transition of `state` on `code`, computed (and cached). */
  private step(state: number, code: number): number {
    const dstate = this.dfa[state]!;
    const next = this.transition(state, code);
    if (next !== -3) return next;
    // cache was dropped: recompute from the rebuilt state
    return this.transition(this.stateFor(dstate.core, dstate.prev), code);
  }

  private initialState(): number {
    return this.stateFor([this.start], PREV_START);
  }

  private add(state: NfaState): number {
    if (this.nfa.length >= this.maxStates) {
      throw new SigmaError(
        'limit',
        `regular expression /${this.source}/ needs more than ${this.maxStates} automaton states, ` +
          'the limit for these rules (counted repeats such as {999} multiply the pattern)',
      );
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
      this.visits++;
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
    if (this.dfa.length >= this.maxDfaStates) {
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
      // a new DFA state costs a sort and a key of its core: charge it like visits
      this.visits += 4 * nextCore.size;
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

/**
 * Compiles a rule regex; throws SigmaError('regex') with the reason when it cannot run, or
 * SigmaError('limit') when it needs more states than `limits.maxStates`.
 */
export function compileRegex(
  source: string,
  flags: RegexFlags,
  limits: RegexLimits = {},
): LinearRegex {
  return new LinearRegex(source, flags, limits);
}
