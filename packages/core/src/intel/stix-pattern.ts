/**
 * The part of the STIX 2.1 patterning language that a watchlist can match value by value:
 * observation expressions joined by `OR`, each a disjunction of equality comparisons (or
 * `ISSUBSET` with a network) on `ipv4-addr:value`, `ipv6-addr:value`, `domain-name:value`,
 * `url:value` and `file:hashes.<MD5|SHA-1|SHA-256>`. Anything else — `AND`, `FOLLOWEDBY`,
 * qualifiers, other operators or object paths, `NOT` — is refused with the reason, since
 * matching one value of it would raise alerts the pattern does not describe.
 */
import type { IndicatorKind, IndicatorValue } from './indicator.ts';
import { canonicalIndicator } from './indicator.ts';

export const MAX_PATTERN_LENGTH = 8192;
const MAX_COMPARISONS = 256;

export type PatternReading =
  | { readonly kind: 'supported'; readonly indicators: readonly IndicatorValue[] }
  | { readonly kind: 'unsupported'; readonly reason: string };

type Token =
  | { readonly t: 'punct'; readonly v: '[' | ']' | '=' }
  | { readonly t: 'word'; readonly v: string }
  | { readonly t: 'string'; readonly v: string };

const HASH_KINDS: Readonly<Record<string, IndicatorKind>> = {
  md5: 'md5',
  'sha-1': 'sha1',
  sha1: 'sha1',
  'sha-256': 'sha256',
  sha256: 'sha256',
};

const VALUE_KINDS: Readonly<Record<string, IndicatorKind>> = {
  'ipv4-addr:value': 'ip',
  'ipv6-addr:value': 'ip',
  'domain-name:value': 'domain',
  'url:value': 'url',
};

class Unsupported extends Error {}

export function readStixPattern(pattern: string): PatternReading {
  if (pattern.length > MAX_PATTERN_LENGTH)
    return { kind: 'unsupported', reason: `pattern longer than ${MAX_PATTERN_LENGTH} characters` };
  try {
    return { kind: 'supported', indicators: parseTokens(tokenize(pattern)) };
  } catch (error) {
    if (error instanceof Unsupported) return { kind: 'unsupported', reason: error.message };
    throw error;
  }
}

function tokenize(pattern: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '[' || c === ']' || c === '=') {
      tokens.push({ t: 'punct', v: c });
      i++;
    } else if (c === "'") {
      let value = '';
      i++;
      for (;;) {
        if (i >= pattern.length) throw new Unsupported('unterminated string literal');
        const d = pattern[i]!;
        if (d === '\\') {
          const next = pattern[i + 1];
          if (next !== "'" && next !== '\\') throw new Unsupported('invalid escape in a string');
          value += next;
          i += 2;
        } else if (d === "'") {
          i++;
          break;
        } else {
          value += d;
          i++;
        }
      }
      tokens.push({ t: 'string', v: value });
    } else {
      const match = /^[A-Za-z0-9_:.\-*'<>!()]+?(?=[\s[\]=]|$)/.exec(pattern.slice(i));
      const word = match?.[0] ?? pattern.slice(i, i + 1);
      tokens.push({ t: 'word', v: word });
      i += word.length;
    }
    if (tokens.length > MAX_COMPARISONS * 6) throw new Unsupported('pattern has too many terms');
  }
  return tokens;
}

function parseTokens(tokens: readonly Token[]): IndicatorValue[] {
  const out: IndicatorValue[] = [];
  let i = 0;
  const expect = (what: string): Token => {
    const token = tokens[i++];
    if (!token) throw new Unsupported(`pattern ends where ${what} was expected`);
    return token;
  };
  for (;;) {
    const open = expect('[');
    if (open.t !== 'punct' || open.v !== '[')
      throw new Unsupported(`expected an observation expression "[…]", found ${describe(open)}`);
    for (;;) {
      out.push(comparison(expect('an object path'), expect('an operator'), expect('a value')));
      if (out.length > MAX_COMPARISONS)
        throw new Unsupported(`more than ${MAX_COMPARISONS} comparisons`);
      const next = expect('"]"');
      if (next.t === 'punct' && next.v === ']') break;
      if (next.t === 'word' && next.v.toUpperCase() === 'OR') continue;
      throw new Unsupported(
        `${describe(next)} inside an observation: only OR of comparisons is matched`,
      );
    }
    const after = tokens[i++];
    if (!after) return out;
    if (after.t === 'word' && after.v.toUpperCase() === 'OR') continue;
    throw new Unsupported(`${describe(after)} between observations: only OR is matched`);
  }
}

function comparison(path: Token, operator: Token, literal: Token): IndicatorValue {
  if (path.t !== 'word') throw new Unsupported(`expected an object path, found ${describe(path)}`);
  const kind = pathKind(path.v);
  const op = operator.t === 'punct' ? operator.v : operator.v.toUpperCase();
  const isSubset = op === 'ISSUBSET' && kind === 'ip';
  if (op !== '=' && !isSubset)
    throw new Unsupported(
      `operator ${operator.v} on ${path.v}: only = (and ISSUBSET for addresses)`,
    );
  if (literal.t !== 'string')
    throw new Unsupported(`expected a string literal after ${path.v}, found ${describe(literal)}`);
  if (!isSubset && kind === 'ip' && literal.v.includes('/'))
    throw new Unsupported(`a network with = on ${path.v}: use ISSUBSET`);
  const indicator = canonicalIndicator(kind, literal.v);
  if (!indicator) throw new Unsupported(`'${literal.v.slice(0, 100)}' is not a valid ${path.v}`);
  return indicator;
}

function pathKind(path: string): IndicatorKind {
  const lower = path.toLowerCase();
  const direct = VALUE_KINDS[lower];
  if (direct) return direct;
  const hash = /^file:hashes\.(?:'([^']+)'|([a-z0-9-]+))$/.exec(lower);
  const algorithm = hash ? (hash[1] ?? hash[2])! : undefined;
  const kind = algorithm === undefined ? undefined : HASH_KINDS[algorithm];
  if (kind) return kind;
  throw new Unsupported(`object path ${path.slice(0, 100)} is not matched by watchlists`);
}

function describe(token: Token): string {
  return token.t === 'string' ? 'a string' : `"${token.v.slice(0, 40)}"`;
}
