/**
 * The search language, close to Kibana's KQL so that analysts can type what they know:
 *
 *     host.name:web01 AND NOT user.name:root
 *     source.ip:10.0.0.0/8 or source.ip:"2001:db8::/32"
 *     event.code >= 4624 and event.code:<=4634      (ranges; `field:>=v` works too)
 *     process.command_line:*mimikatz*               (wildcards * and ?, case-insensitive)
 *     user.name:*                                   (the field exists)
 *     event.code:(4624 or 4625)                     (several values for one field)
 *     "failed password" sshd                        (free text in the message)
 *
 * Operators `and`, `or`, `not` in any case; juxtaposition is `and`; `and` binds tighter than
 * `or`; parentheses group. An empty query matches everything (`undefined`). Errors are
 * `CordonError('invalid_input')` with the 1-based column in the message and in
 * `details.position`, e.g. `unexpected ')' at 14` — so are queries beyond the bounds of
 * query-limits.ts (length, nesting, number of terms) and field names SQL cannot address.
 */
import type { QueryNode, QueryValue } from './query-node.ts';
import type { QueryToken } from './query-lexer.ts';
import { unaddressableCharacter } from './event-field-ref.ts';
import { tokenizeQuery } from './query-lexer.ts';
import { MAX_QUERY_DEPTH, MAX_QUERY_LENGTH, MAX_QUERY_TERMS } from './query-limits.ts';
import { querySyntaxError } from './query-syntax-error.ts';

type WordToken = Extract<QueryToken, { kind: 'word' }>;

const describe = (token: QueryToken): string => {
  switch (token.kind) {
    case 'end':
      return 'end of query';
    case 'op':
      return `'${token.operator}'`;
    case 'word':
      return token.quoted ? `"${token.text}"` : `'${token.text}'`;
    case '(':
    case ')':
    case ':':
      return `'${token.kind}'`;
  }
};

const keyword = (token: QueryToken, word: 'and' | 'or' | 'not'): boolean =>
  token.kind === 'word' && !token.quoted && token.text.toLowerCase() === word;

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

export function parseQuery(query: string): QueryNode | undefined {
  if (query.length > MAX_QUERY_LENGTH) {
    throw querySyntaxError(
      `query too long at ${MAX_QUERY_LENGTH + 1}: at most ${MAX_QUERY_LENGTH} characters`,
      MAX_QUERY_LENGTH + 1,
    );
  }
  // PostgreSQL text cannot hold NUL, and no field value Cordon stores has other C0 controls:
  // refuse them here with their column rather than as a database error.
  const control = CONTROL_CHARACTER.exec(query);
  if (control) {
    throw querySyntaxError(
      `control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()} at ${control.index + 1}`,
      control.index + 1,
    );
  }
  const tokens = tokenizeQuery(query);
  let index = 0;
  // The parser recurses once per group and per `not`: bound it before the stack does.
  let depth = 0;
  const enter = (token: QueryToken): void => {
    depth += 1;
    if (depth > MAX_QUERY_DEPTH) {
      throw querySyntaxError(
        `query nested too deeply at ${token.position}: at most ${MAX_QUERY_DEPTH} levels of parentheses and 'not'`,
        token.position,
      );
    }
  };
  let terms = 0;
  const term = <N extends QueryNode & { position: number }>(node: N): N => {
    terms += 1;
    if (terms > MAX_QUERY_TERMS) {
      throw querySyntaxError(
        `too many terms at ${node.position}: at most ${MAX_QUERY_TERMS} in one query`,
        node.position,
      );
    }
    return node;
  };
  const fieldName = (token: WordToken): string => {
    const bad = unaddressableCharacter(token.text);
    if (bad !== undefined) {
      const shown = bad === '\\' || bad === '"' ? `'${bad}'` : 'a control character';
      throw querySyntaxError(
        `field name '${token.text}' at ${token.position} may not hold ${shown}`,
        token.position,
      );
    }
    return token.text;
  };
  const peek = (offset = 0): QueryToken => tokens[Math.min(index + offset, tokens.length - 1)]!;
  const next = (): QueryToken => tokens[Math.min(index++, tokens.length - 1)]!;
  const unexpected = (token: QueryToken): never => {
    throw querySyntaxError(`unexpected ${describe(token)} at ${token.position}`, token.position);
  };

  const valueOf = (token: WordToken): QueryValue =>
    token.pattern ? { text: token.text, pattern: token.pattern } : { text: token.text };

  const startsTerm = (token: QueryToken): boolean =>
    token.kind === '(' ||
    (token.kind === 'word' && !keyword(token, 'and') && !keyword(token, 'or'));

  /** `defaultField`: inside `field:( … )`, where bare values match that field. */
  const parseOr = (defaultField?: string): QueryNode => {
    const children = [parseAnd(defaultField)];
    while (keyword(peek(), 'or')) {
      next();
      children.push(parseAnd(defaultField));
    }
    return children.length === 1 ? children[0]! : { kind: 'or', children };
  };

  const parseAnd = (defaultField?: string): QueryNode => {
    const children = [parseNot(defaultField)];
    for (;;) {
      if (keyword(peek(), 'and')) {
        next();
        children.push(parseNot(defaultField));
      } else if (startsTerm(peek())) {
        children.push(parseNot(defaultField));
      } else {
        break;
      }
    }
    return children.length === 1 ? children[0]! : { kind: 'and', children };
  };

  const parseNot = (defaultField?: string): QueryNode => {
    if (keyword(peek(), 'not') && peek(1).kind !== ':' && peek(1).kind !== 'op') {
      enter(next());
      const child = parseNot(defaultField);
      depth -= 1;
      return { kind: 'not', child };
    }
    return parsePrimary(defaultField);
  };

  const parseGroup = (open: QueryToken, defaultField?: string): QueryNode => {
    enter(open);
    if (peek().kind === ')') unexpected(peek());
    const inner = parseOr(defaultField);
    depth -= 1;
    const close = next();
    if (close.kind !== ')') {
      if (close.kind === 'end') {
        throw querySyntaxError(`missing ')' for the '(' at ${open.position}`, close.position);
      }
      unexpected(close);
    }
    return inner;
  };

  const parseFieldValue = (field: WordToken): QueryNode => {
    next(); // ':'
    const token = next();
    if (token.kind === '(') return parseGroup(token, field.text);
    if (token.kind === 'op') return parseRange(field, token);
    if (token.kind !== 'word') {
      throw querySyntaxError(
        `expected a value after '${field.text}:' at ${token.position}, found ${describe(token)}`,
        token.position,
      );
    }
    if (!token.quoted && token.text === '*') {
      return term({ kind: 'exists', field: field.text, position: field.position });
    }
    return term({
      kind: 'match',
      field: field.text,
      value: valueOf(token),
      position: field.position,
    });
  };

  const parseRange = (field: WordToken, op: Extract<QueryToken, { kind: 'op' }>): QueryNode => {
    const value = next();
    if (value.kind !== 'word' || value.pattern) {
      throw querySyntaxError(
        `expected a value after '${field.text} ${op.operator}' at ${value.position}, found ${describe(value)}`,
        value.position,
      );
    }
    return term({
      kind: 'range',
      field: field.text,
      operator: op.operator,
      value: value.text,
      position: field.position,
    });
  };

  const parsePrimary = (defaultField?: string): QueryNode => {
    const token = next();
    if (token.kind === '(') return parseGroup(token, defaultField);
    if (token.kind !== 'word') return unexpected(token);
    if (keyword(token, 'and') || keyword(token, 'or')) return unexpected(token);
    const after = peek();
    if (!token.quoted && after.kind === ':') {
      if (defaultField !== undefined) unexpected(after);
      if (token.pattern) {
        throw querySyntaxError(
          `wildcards are not allowed in field names ('${token.text}' at ${token.position})`,
          token.position,
        );
      }
      fieldName(token);
      return parseFieldValue(token);
    }
    if (!token.quoted && after.kind === 'op') {
      if (defaultField !== undefined) unexpected(after);
      fieldName(token);
      next();
      return parseRange(token, after);
    }
    if (defaultField !== undefined) {
      if (!token.quoted && token.text === '*') {
        return term({ kind: 'exists', field: defaultField, position: token.position });
      }
      return term({
        kind: 'match',
        field: defaultField,
        value: valueOf(token),
        position: token.position,
      });
    }
    return term({ kind: 'text', value: valueOf(token), position: token.position });
  };

  if (peek().kind === 'end') return undefined;
  const root = parseOr();
  const rest = peek();
  if (rest.kind !== 'end') unexpected(rest);
  return root;
}
