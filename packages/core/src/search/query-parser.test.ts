import { describe, expect, it } from 'vitest';
import { CordonError } from '../errors/cordon-error.ts';
import { parseQuery } from './query-parser.ts';

const m = (field: string, text: string, position: number) => ({
  kind: 'match',
  field,
  value: { text },
  position,
});

describe('parseQuery', () => {
  it('reads field:value, quoted phrases and free text', () => {
    expect(parseQuery('host.name:web01')).toEqual(m('host.name', 'web01', 1));
    expect(parseQuery('message:"failed password"')).toEqual(m('message', 'failed password', 1));
    expect(parseQuery('sshd')).toEqual({ kind: 'text', value: { text: 'sshd' }, position: 1 });
    expect(parseQuery('"a \\"quoted\\" word"')).toEqual({
      kind: 'text',
      value: { text: 'a "quoted" word' },
      position: 1,
    });
    expect(parseQuery('   ')).toBeUndefined();
  });

  it('reads IPv6 addresses, CIDR blocks and URLs after a colon without quotes', () => {
    expect(parseQuery('source.ip:2001:db8::/32')).toEqual(m('source.ip', '2001:db8::/32', 1));
    expect(parseQuery('url.original:http://x.example/a?b')).toMatchObject({
      field: 'url.original',
      value: { text: 'http://x.example/a?b' },
    });
    expect(parseQuery('(source.ip:fe80::1)')).toEqual(m('source.ip', 'fe80::1', 2));
  });

  it('reads wildcards as patterns, escaped or quoted ones as literals', () => {
    expect(parseQuery('process.name:power*.ex?')).toEqual({
      kind: 'match',
      field: 'process.name',
      value: {
        text: 'power*.ex?',
        pattern: ['power', { wildcard: '*' }, '.ex', { wildcard: '?' }],
      },
      position: 1,
    });
    expect(parseQuery('process.name:a\\*b')).toEqual(m('process.name', 'a*b', 1));
    expect(parseQuery('process.name:"a*b"')).toEqual(m('process.name', 'a*b', 1));
    expect(parseQuery('user.name:*')).toEqual({ kind: 'exists', field: 'user.name', position: 1 });
    expect(parseQuery('user.name:"*"')).toEqual(m('user.name', '*', 1));
  });

  it('reads ranges in both spellings', () => {
    expect(parseQuery('event.code >= 4624')).toEqual({
      kind: 'range',
      field: 'event.code',
      operator: '>=',
      value: '4624',
      position: 1,
    });
    expect(parseQuery('source.port:<1024')).toEqual({
      kind: 'range',
      field: 'source.port',
      operator: '<',
      value: '1024',
      position: 1,
    });
    expect(parseQuery('@timestamp > "2026-11-01T00:00:00Z"')).toMatchObject({
      operator: '>',
      value: '2026-11-01T00:00:00Z',
    });
  });

  it('gives AND precedence over OR, NOT over AND, and reads juxtaposition as AND', () => {
    expect(parseQuery('a:1 OR b:2 c:3')).toEqual({
      kind: 'or',
      children: [m('a', '1', 1), { kind: 'and', children: [m('b', '2', 8), m('c', '3', 12)] }],
    });
    expect(parseQuery('not a:1 and b:2')).toEqual({
      kind: 'and',
      children: [{ kind: 'not', child: m('a', '1', 5) }, m('b', '2', 13)],
    });
    expect(parseQuery('NOT (a:1 or b:2)')).toEqual({
      kind: 'not',
      child: { kind: 'or', children: [m('a', '1', 6), m('b', '2', 13)] },
    });
  });

  it('reads several values for one field', () => {
    expect(parseQuery('event.code:(4624 or 4625) and host:x')).toEqual({
      kind: 'and',
      children: [
        { kind: 'or', children: [m('event.code', '4624', 13), m('event.code', '4625', 21)] },
        m('host', 'x', 31),
      ],
    });
  });

  it('treats keywords as values where a value is expected', () => {
    expect(parseQuery('user.name:and')).toEqual(m('user.name', 'and', 1));
    expect(parseQuery('"or"')).toEqual({ kind: 'text', value: { text: 'or' }, position: 1 });
  });

  const bad: [string, string, number][] = [
    ['host.name:web01 AND (user.name:x))', "unexpected ')' at 34", 34],
    ['(a:1 OR b:2', "missing ')' for the '(' at 1", 12],
    ['a:1 AND', 'unexpected end of query at 8', 8],
    ['OR a:1', "unexpected 'OR' at 1", 1],
    ['host.name:', "expected a value after 'host.name:' at 11, found end of query", 11],
    ['a:1 OR OR b:2', "unexpected 'OR' at 8", 8],
    ['event.code >= ', "expected a value after 'event.code >=' at 15, found end of query", 15],
    ['event.code >= 4*', "expected a value after 'event.code >=' at 15, found '4*'", 15],
    ['message:"never closed', 'unterminated quoted string starting at 9', 9],
    ['a:b\\', "nothing to escape after '\\' at 4", 4],
    ['ho*st:x', "wildcards are not allowed in field names ('ho*st' at 1)", 1],
    ['()', "unexpected ')' at 2", 2],
    ['a:(b', "missing ')' for the '(' at 3", 5],
    ['a:(b > 5)', "unexpected '>' at 6", 6],
  ];
  for (const [query, message, position] of bad) {
    it(`rejects ${JSON.stringify(query)}`, () => {
      let error: unknown;
      try {
        parseQuery(query);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(CordonError);
      expect((error as CordonError).message).toBe(message);
      expect((error as CordonError).code).toBe('invalid_input');
      expect((error as CordonError).details).toEqual({ position });
    });
  }
});

// issue 13 item 9: deep queries overflowed the parser's stack (500); now bounded, with a column.
describe('parseQuery limits', () => {
  const positionOf = (query: string): unknown => {
    try {
      parseQuery(query);
    } catch (error) {
      return (error as CordonError).details;
    }
    return 'parsed';
  };

  it('takes 32 levels of parentheses and not, and refuses the 33rd where it opens', () => {
    expect(positionOf(`${'('.repeat(32)}a${')'.repeat(32)}`)).toBe('parsed');
    expect(positionOf(`${'('.repeat(33)}a${')'.repeat(33)}`)).toEqual({ position: 33 });
    expect(positionOf(`${'not '.repeat(32)}a`)).toBe('parsed');
    expect(positionOf(`${'not '.repeat(33)}a`)).toEqual({ position: 129 });
    // Depth is nesting, not count: many groups side by side are fine.
    expect(positionOf(Array.from({ length: 200 }, () => '(a or b)').join(' and '))).toBe('parsed');
  });

  it('takes 1024 terms and refuses the next, and a query over 10,000 characters', () => {
    expect(positionOf(Array.from({ length: 1024 }, () => 'a').join(' '))).toBe('parsed');
    expect(positionOf(Array.from({ length: 1025 }, () => 'a').join(' '))).toEqual({
      position: 2049,
    });
    expect(positionOf(`a:${'x'.repeat(10_000)}`)).toEqual({ position: 10_001 });
  });

  it('refuses a field name no path can address: a trailing backslash, a quote, a control character', () => {
    expect(positionOf('x:1 or fields.a\\\\:b')).toEqual({ position: 8 });
    expect(positionOf('a\\":b')).toEqual({ position: 1 });
    expect(positionOf('a\\\u0001b:c')).toEqual({ position: 3 });
    expect(positionOf('a >= 3 and b\\\\ > 4')).toEqual({ position: 12 });
  });

  // Found by the search fuzz on PostgreSQL (issue 13, keep them closed): a NUL in a value
  // reached the database, which cannot store it in text, and the API answered 500.
  it('refuses control characters anywhere in a query, with their column', () => {
    expect(positionOf('message:a\u0000b')).toEqual({ position: 10 });
    expect(positionOf('"x\u001by"')).toEqual({ position: 3 });
    expect(parseQuery('a:b\tc:d\r\n')).toBeDefined();
  });
});
