/**
 * Recursive-descent parser for condition expressions. Keywords are case-insensitive; depth is
 * bounded so hostile input cannot exhaust the stack.
 */
import { SigmaError } from '../sigma-error.ts';
import type { ConditionNode } from './condition-node.ts';

const MAX_DEPTH = 100;

type Token =
  | { readonly type: '(' | ')'; readonly at: number }
  | { readonly type: 'word'; readonly text: string; readonly at: number };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:([()])|([^\s()]+))/y;
  let m: RegExpExecArray | null;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    m = re.exec(text);
    if (!m) break;
    const at = m.index + m[0].length - (m[1] ?? m[2] ?? '').length;
    if (m[1]) tokens.push({ type: m[1] as '(' | ')', at });
    else if (m[2]) tokens.push({ type: 'word', text: m[2], at });
    pos = re.lastIndex;
  }
  return tokens;
}

export function parseCondition(text: string): ConditionNode {
  const tokens = tokenize(text);
  let i = 0;
  const fail = (what: string): never => {
    const at = tokens[i]?.at ?? text.length;
    throw new SigmaError('condition', `condition '${text}': ${what} at column ${at + 1}`);
  };
  const keyword = (t: Token | undefined, word: string): boolean =>
    t?.type === 'word' && t.text.toLowerCase() === word;

  const parseOr = (depth: number): ConditionNode => {
    const items = [parseAnd(depth)];
    while (keyword(tokens[i], 'or')) {
      i++;
      items.push(parseAnd(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'or', items };
  };
  const parseAnd = (depth: number): ConditionNode => {
    const items = [parseNot(depth)];
    while (keyword(tokens[i], 'and')) {
      i++;
      items.push(parseNot(depth));
    }
    return items.length === 1 ? items[0]! : { kind: 'and', items };
  };
  const parseNot = (depth: number): ConditionNode => {
    if (depth > MAX_DEPTH) fail('expression nested too deeply');
    if (keyword(tokens[i], 'not')) {
      i++;
      return { kind: 'not', item: parseNot(depth + 1) };
    }
    return parsePrimary(depth);
  };
  const parsePrimary = (depth: number): ConditionNode => {
    const t = tokens[i];
    if (!t) return fail('expression ends early');
    if (t.type === '(') {
      i++;
      const inner = parseOr(depth + 1);
      if (tokens[i]?.type !== ')') fail("missing ')'");
      i++;
      return inner;
    }
    if (t.type !== 'word') return fail("unexpected ')'");
    const text = t.text;
    const word = text.toLowerCase();
    if (['and', 'or', 'of', 'them'].includes(word)) return fail(`unexpected '${text}'`);
    if (keyword(tokens[i + 1], 'of') && (word === 'all' || /^\d+$/.test(word))) {
      const target = tokens[i + 2];
      if (target?.type !== 'word') {
        i += 2;
        return fail("'of' needs 'them' or an identifier pattern");
      }
      i += 3;
      const count = word === 'all' ? 'all' : Number(word);
      if (count === 0) fail("'0 of' can never match");
      return {
        kind: 'of',
        count,
        pattern: target.text.toLowerCase() === 'them' ? 'them' : target.text,
      };
    }
    i++;
    return { kind: 'identifier', name: text };
  };

  if (tokens.length === 0) fail('empty condition');
  const pipe = tokens.findIndex((t) => t.type === 'word' && t.text.startsWith('|'));
  if (pipe >= 0) {
    i = pipe;
    fail(
      "uses the Sigma 1.x aggregation syntax ('| count() …' / 'near'), replaced by correlation rules",
    );
  }
  const tree = parseOr(0);
  if (i < tokens.length) fail(`unexpected '${(tokens[i] as { text?: string }).text ?? ')'}'`);
  return tree;
}
