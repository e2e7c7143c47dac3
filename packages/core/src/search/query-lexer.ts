/**
 * Tokens of the search language. Values after `:` or a comparison are read up to white space
 * or `)`, so that `source.ip:2001:db8::1` and `url.original:http://x` need no quotes; elsewhere
 * `:`, `<`, `>` and parentheses end a word. Backslash escapes the next character; quoted
 * strings (`"…"`) are literal (no wildcards). Positions are 1-based columns.
 */
import type { PatternPart } from './query-node.ts';
import { querySyntaxError } from './query-syntax-error.ts';

export type QueryToken =
  | { readonly kind: '(' | ')' | ':' | 'end'; readonly position: number }
  | {
      readonly kind: 'op';
      readonly operator: '<' | '<=' | '>' | '>=';
      readonly position: number;
    }
  | {
      readonly kind: 'word';
      /** The text with escapes removed. */
      readonly text: string;
      readonly quoted: boolean;
      /** Unquoted words with an unescaped `*` or `?`. */
      readonly pattern: readonly PatternPart[] | undefined;
      readonly position: number;
    };

const WORD_END = new Set([' ', '\t', '\n', '\r', '(', ')', ':', '<', '>', '"']);
const VALUE_END = new Set([' ', '\t', '\n', '\r', ')']);

export function tokenizeQuery(query: string): QueryToken[] {
  const tokens: QueryToken[] = [];
  // Depth of `field:( … )` groups: inside them every word is a value.
  const groupDepths: number[] = [];
  let depth = 0;
  let i = 0;
  const previous = (): QueryToken | undefined => tokens[tokens.length - 1];
  while (i < query.length) {
    const c = query[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const position = i + 1;
    const before = previous();
    const valueMode =
      before?.kind === ':' ||
      before?.kind === 'op' ||
      (groupDepths.length > 0 && groupDepths[groupDepths.length - 1] === depth);
    if (c === '(') {
      depth++;
      if (before?.kind === ':') groupDepths.push(depth);
      tokens.push({ kind: '(', position });
      i++;
    } else if (c === ')') {
      if (groupDepths[groupDepths.length - 1] === depth) groupDepths.pop();
      depth--;
      tokens.push({ kind: ')', position });
      i++;
    } else if ((c === '<' || c === '>') && before?.kind !== 'op') {
      const operator = query[i + 1] === '=' ? (`${c}=` as const) : c;
      tokens.push({ kind: 'op', operator, position });
      i += operator.length;
    } else if (c === ':' && !valueMode) {
      tokens.push({ kind: ':', position });
      i++;
    } else if (c === '"') {
      let text = '';
      let j = i + 1;
      for (;;) {
        if (j >= query.length) {
          throw querySyntaxError(`unterminated quoted string starting at ${position}`, position);
        }
        const d = query[j]!;
        if (d === '"') break;
        if (d === '\\') {
          if (j + 1 >= query.length) {
            throw querySyntaxError(`unterminated quoted string starting at ${position}`, position);
          }
          text += query[j + 1];
          j += 2;
          continue;
        }
        text += d;
        j++;
      }
      tokens.push({ kind: 'word', text, quoted: true, pattern: undefined, position });
      i = j + 1;
    } else {
      const end = valueMode ? VALUE_END : WORD_END;
      let text = '';
      const parts: PatternPart[] = [];
      let literal = '';
      let wild = false;
      let j = i;
      while (j < query.length && !end.has(query[j]!)) {
        const d = query[j]!;
        if (d === '\\') {
          if (j + 1 >= query.length) {
            throw querySyntaxError(`nothing to escape after '\\' at ${j + 1}`, j + 1);
          }
          text += query[j + 1];
          literal += query[j + 1];
          j += 2;
          continue;
        }
        if (d === '*' || d === '?') {
          wild = true;
          if (literal) parts.push(literal);
          literal = '';
          parts.push({ wildcard: d });
        } else {
          literal += d;
        }
        text += d;
        j++;
      }
      if (literal) parts.push(literal);
      tokens.push({
        kind: 'word',
        text,
        quoted: false,
        pattern: wild ? parts : undefined,
        position,
      });
      i = j;
    }
  }
  tokens.push({ kind: 'end', position: query.length + 1 });
  return tokens;
}
