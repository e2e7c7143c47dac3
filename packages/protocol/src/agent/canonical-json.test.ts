/**
 * issue 13 ("canonical JSON exists twice"): the one encoder must write every value exactly as
 * both former copies did (the expected strings were produced by the journal's copy before the
 * merge), including where the copies differed: nesting between 33 and 64 levels, which the
 * agent copy refused and the journal copy encoded. Beyond the cap: a clear error.
 */
import { describe, expect, it } from 'vitest';
import { CANONICAL_JSON_MAX_DEPTH, CanonicalJsonError, canonicalJson } from './canonical-json.ts';

const arrays = (levels: number, inner: unknown): unknown => {
  let value = inner;
  for (let i = 0; i < levels; i += 1) value = [value];
  return value;
};
const objects = (levels: number, inner: unknown): unknown => {
  let value = inner;
  for (let i = 0; i < levels; i += 1) value = { k: value };
  return value;
};

const FIXED: readonly [string, unknown, string][] = [
  ['null', null, 'null'],
  ['booleans', [true, false], '[true,false]'],
  ['zero and negative zero', [0, -0], '[0,0]'],
  ['integers', [42, -7, Number.MAX_SAFE_INTEGER], '[42,-7,9007199254740991]'],
  ['fractions', [0.1, 0.1 + 0.2, 1e21, 1e-7], '[0.1,0.30000000000000004,1e+21,1e-7]'],
  ['strings', ['hello', ''], '["hello",""]'],
  ['escapes', 'a"b\\c\n\t\u0001\u007f', '"a\\"b\\\\c\\n\\t\\u0001\u007f"'],
  ['non-ASCII', 'é€😀\u2028', '"é€😀\u2028"'],
  ['lone surrogates', '\ud800x\udc00', '"\\ud800x\\udc00"'],
  ['empty containers', [[], {}], '[[],{}]'],
  ['undefined in an array', [1, undefined, 'x'], '[1,null,"x"]'],
  ['undefined in an object', { b: 1, a: undefined, c: null }, '{"b":1,"c":null}'],
  ['key order', { b: 1, a: 2, B: 3, _: 4, é: 5, '': 6 }, '{"":6,"B":3,"_":4,"a":2,"b":1,"é":5}'],
  ['integer-like keys', { 10: 'a', 2: 'b', 1: 'c', x: 'd' }, '{"1":"c","10":"a","2":"b","x":"d"}'],
  ['keys by UTF-16 code unit', { '\uffff': 1, '😀': 2 }, '{"😀":2,"\uffff":1}'],
  [
    'nested',
    { z: [{ y: 1, x: [true, null] }], a: { c: 'd', b: 'e' } },
    '{"a":{"b":"e","c":"d"},"z":[{"x":[true,null],"y":1}]}',
  ],
  [
    'a journal entry tuple',
    [
      'cordon-journal-v1',
      't1',
      3,
      1700000000000,
      'user:alice',
      'incident.created',
      null,
      { title: 'x', severity: 'high' },
      '0'.repeat(64),
    ],
    `["cordon-journal-v1","t1",3,1700000000000,"user:alice","incident.created",null,{"severity":"high","title":"x"},"${'0'.repeat(64)}"]`,
  ],
  ['32 levels (both copies)', arrays(32, 1), `${'['.repeat(32)}1${']'.repeat(32)}`],
  ['33 levels (the agent copy refused)', arrays(33, 1), `${'['.repeat(33)}1${']'.repeat(33)}`],
  ['64 levels of arrays', arrays(64, 1), `${'['.repeat(64)}1${']'.repeat(64)}`],
  ['65 arrays, the last empty', arrays(64, []), `${'['.repeat(65)}${']'.repeat(65)}`],
  ['64 levels of objects', objects(64, 'v'), `${'{"k":'.repeat(64)}"v"${'}'.repeat(64)}`],
];

describe('canonicalJson: one encoding for what is signed or hashed', () => {
  for (const [name, value, expected] of FIXED) {
    it(`encodes ${name} as before`, () => {
      expect(canonicalJson(value)).toBe(expected);
    });
  }

  it(`refuses nesting beyond ${CANONICAL_JSON_MAX_DEPTH} levels with a clear error`, () => {
    expect(CANONICAL_JSON_MAX_DEPTH).toBe(64);
    for (const value of [arrays(65, 1), arrays(65, []), objects(65, null)]) {
      expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
      expect(() => canonicalJson(value)).toThrow(/nested more than 64 levels/);
    }
  });

  it('refuses what JSON cannot carry instead of writing something else', () => {
    // eslint-disable-next-line no-sparse-arrays -- the hole is the case under test
    const sparse = [1, , 3];
    for (const value of [
      NaN,
      Infinity,
      undefined,
      () => 1,
      1n,
      Symbol('s'),
      sparse,
      { a: [NaN] },
    ]) {
      expect(() => canonicalJson(value)).toThrow(CanonicalJsonError);
    }
    // Callers that catch TypeError (command verification) keep catching it.
    expect(() => canonicalJson(NaN)).toThrow(TypeError);
  });
});
