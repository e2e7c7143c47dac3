/**
 * The pivot is only as good as the clause it writes: each clause is parsed by the server's own
 * parser (@cordon/core), so a value with quotes, backslashes or the language's operators comes
 * back as one field test for exactly that value.
 */
import { parseQuery } from '@cordon/core';
import { describe, expect, it } from 'vitest';
import { clauseFor, fieldValue, flattenEvent, narrowQuery } from './event-fields.ts';

describe('event fields', () => {
  it('flattens nested ECS objects to the dotted names the search language takes', () => {
    const fields = flattenEvent({
      host: { name: 'web-01' },
      event: { code: 4625, category: ['authentication', 'session'] },
      fields: { 'id.orig_h': '10.0.0.1' },
      message: null,
    });
    expect(fields).toEqual([
      { field: 'host.name', value: 'web-01' },
      { field: 'event.code', value: 4625 },
      { field: 'event.category', value: 'authentication' },
      { field: 'event.category', value: 'session' },
      { field: 'fields.id.orig_h', value: '10.0.0.1' },
      { field: 'message', value: null },
    ]);
    expect(fieldValue({ fields: { 'id.orig_h': '10.0.0.1' } }, 'fields.id.orig_h')).toBe(
      '10.0.0.1',
    );
    expect(fieldValue({ event: { category: ['a', 'b'] } }, 'event.category')).toBe('a');
    expect(fieldValue({ host: {} }, 'host.name')).toBe('');
  });

  it('bounds what a hostile event costs to show', () => {
    const wide = Object.fromEntries(Array.from({ length: 5000 }, (_, i) => [`f${i}`, i]));
    expect(flattenEvent(wide)).toHaveLength(500);
    let deep: Record<string, unknown> = { leaf: 1 };
    for (let i = 0; i < 100; i += 1) deep = { d: deep };
    const [only] = flattenEvent(deep);
    expect(only?.field.split('.')).toHaveLength(8);
  });

  it('writes clauses the server parses back to the same value', () => {
    for (const value of ['bob', 'a "quoted" \\ value', 'x or y) and (z', '*not-a-wildcard*']) {
      const parsed = parseQuery(clauseFor('user.name', value));
      expect(parsed).toMatchObject({ kind: 'match', field: 'user.name', value: { text: value } });
      expect(parsed?.kind === 'match' && parsed.value.pattern).toBe(undefined);
    }
    expect(parseQuery(clauseFor('user.name', null))).toMatchObject({ kind: 'not' });
  });

  it('narrows an or-query without changing what it meant', () => {
    expect(narrowQuery('', 'a:"1"')).toBe('a:"1"');
    expect(narrowQuery('host:x', 'a:"1"')).toBe('host:x and a:"1"');
    expect(narrowQuery('host:x or host:y', 'a:"1"')).toBe('(host:x or host:y) and a:"1"');
  });
});
