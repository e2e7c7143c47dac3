/**
 * `recordFlat` builds the flat view straight from a record's XML tree; it must give exactly
 * what flattening the record's evtx_dump JSON gives (fields, values and their order), on
 * every record of every shared sample. The fuzz test checks the same on damaged records.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { flattenEvent, GuidValue, readEvtx, recordFlat, recordJson } from '../src/index.ts';
import type { EvtxRecord, XmlContent, XmlElement, XmlValue } from '../src/index.ts';
import { listFiles, requireData } from './regression-json.ts';

const SETS = ['evtx/attack-samples', 'evtx/parser-edge-cases', 'sigmahq/regression_data'];

const el = (
  name: string,
  attributes: Record<string, XmlValue> = {},
  ...children: (XmlContent | XmlValue)[]
): XmlElement => ({
  kind: 'element',
  name,
  attributes: Object.entries(attributes).map(([n, v]) => ({ name: n, parts: [v] })),
  children: children.map((c) =>
    typeof c === 'object' && c !== null && !Array.isArray(c) && 'kind' in c
      ? c
      : { kind: 'text', value: c as XmlValue, cdata: false },
  ),
});
const record = (...content: XmlContent[]): EvtxRecord => ({
  kind: 'record',
  chunk: 0,
  offset: 0,
  recordId: 1,
  timestamp: '2020-01-01T00:00:00.000000Z',
  content,
});
const data = (name: string | undefined, ...children: (XmlContent | XmlValue)[]): XmlElement =>
  el('Data', name === undefined ? {} : { Name: name }, ...children);

/** Shapes real files rarely or never hold, each through the direct path and the JSON path. */
const SHAPES: Record<string, EvtxRecord> = {
  'System child holding elements only': record(
    el(
      'Event',
      {},
      el('System', {}, el('Provider', {}, el('Inner', {}, 'x')), el('EventID', {}, 4624)),
    ),
  ),
  'System child with a repeated attribute': record(
    el(
      'Event',
      {},
      el(
        'System',
        {},
        {
          kind: 'element',
          name: 'Provider',
          attributes: [
            { name: 'Name', parts: ['a'] },
            { name: 'Name', parts: ['b'] },
            { name: 'xmlns', parts: ['urn:x'] },
          ],
          children: [],
        },
      ),
    ),
  ),
  'System child with attributes, text split over tokens and an array': record(
    el(
      'Event',
      {},
      el(
        'System',
        {},
        el('EventID', { Qualifiers: 16384 }, '46', '24'),
        el('Keywords', {}, ['a', 'b']),
        el('Keywords', {}, 'c'),
        el('Correlation', { ActivityID: new GuidValue('0000-1'), 'xmlns:x': 'urn:z' }),
        el('Empty'),
      ),
    ),
  ),
  'System with text and attributes of its own': record(
    el('Event', {}, el('System', { Odd: 1 }, 'text', el('EventID', {}, 1))),
  ),
  'repeated System': record(
    el('Event', {}, el('System', {}, el('EventID', {}, 1)), el('System', {}, el('EventID', {}, 2))),
  ),
  'EventData mixing named, unnamed and other elements': record(
    el(
      'Event',
      {},
      el('System', {}, el('EventID', {}, 1)),
      el(
        'EventData',
        {},
        data(undefined, 'first'),
        data('User', 'alice'),
        el('Binary', {}, '00ff'),
        data('Data', 'named data'),
        data(undefined, ['x', 'y']),
        data('List', ['p', 'q']),
        data('Empty'),
        data('Nested', el('Inner', {}, 'deep'), 'tail'),
        data('User', 'bob'),
      ),
    ),
  ),
  'one unnamed Data holding an array': record(
    el('Event', {}, el('EventData', {}, data(undefined, ['x', 'y']))),
  ),
  'EventData with text and attributes': record(
    el('Event', {}, el('EventData', { Name: 'n' }, 'loose text', data('A', 1))),
  ),
  'EventData of text only': record(el('Event', {}, el('EventData', {}, 'only text'))),
  'EventData of an array only': record(el('Event', {}, el('EventData', {}, ['a', 'b']))),
  'UserData tree': record(
    el(
      'Event',
      {},
      el(
        'UserData',
        {},
        el('LogFileCleared', { xmlns: 'urn:y' }, el('SubjectUserName', {}, 'eve')),
      ),
    ),
  ),
  'fields named like Object.prototype members': record(
    el(
      'Event',
      {},
      el('System', {}, el('constructor', {}, 'c'), el('toString', { ['__proto__']: 'p' })),
      el(
        'EventData',
        {},
        data('__proto__', 'x'),
        data('__proto__', null),
        data('hasOwnProperty', 1),
      ),
    ),
  ),
  'root not named Event': record(el('Other', {}, el('System', {}, el('EventID', {}, 1)))),
  'no element at all': record(),
};

describe('recordFlat', () => {
  for (const [shape, item] of Object.entries(SHAPES)) {
    it(`agrees with flattenEvent(recordJson) on ${shape}`, () => {
      expect(Object.entries(recordFlat(item))).toStrictEqual(
        Object.entries(flattenEvent(recordJson(item))),
      );
    });
  }

  it('keeps fields named __proto__ or constructor as fields, never as the prototype', () => {
    const flat = recordFlat(SHAPES['fields named like Object.prototype members']!);
    expect(Object.getPrototypeOf(flat)).toBe(Object.prototype);
    expect(Object.entries(flat)).toEqual([
      ['constructor', 'c'],
      ['toString___proto__', 'p'],
      ['__proto__', ['x', null]],
      ['hasOwnProperty', 1],
    ]);
    const json = recordJson(SHAPES['fields named like Object.prototype members']!);
    expect(JSON.parse(JSON.stringify(json)).Event.EventData['__proto__']).toEqual(['x', null]);
  });

  for (const set of SETS) {
    const dir = requireData(set);
    it.skipIf(!dir)(`agrees with flattenEvent(recordJson) on every record of ${set}`, () => {
      let records = 0;
      for (const file of listFiles(dir!, '.evtx')) {
        for (const item of readEvtx(readFileSync(file))) {
          if (item.kind !== 'record') continue;
          records++;
          const direct = Object.entries(recordFlat(item));
          const viaJson = Object.entries(flattenEvent(recordJson(item)));
          expect({ file, record: item.recordId, flat: direct }).toStrictEqual({
            file,
            record: item.recordId,
            flat: viaJson,
          });
        }
      }
      expect(records).toBeGreaterThan(0);
    });
  }
});
