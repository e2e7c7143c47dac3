/**
 * The `.evtx` hunt reader builds each event's flat view straight from the record, with Sigma's
 * space-free names added as it goes; it must equal what the JSON path gives for the same
 * record (`withSigmaFieldNames(flattenEvent(recordJson(record)))`), field for field and in
 * the same order, on every record of the shared samples. A record's evtx_dump JSON, built
 * only when a match is printed, must equal `recordJson`.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { flattenEvent, readEvtx, recordFlat, recordJson } from '@cordon/evtx';
import type { EvtxRecord } from '@cordon/evtx';
import { withSigmaFieldNames } from '@cordon/sigma';
import { describe, expect, it } from 'vitest';
import { evtxInputReader } from '../src/hunt/evtx-input-reader.ts';
import type { HuntEvent } from '../src/hunt/input-reader.ts';

const data = resolve(import.meta.dirname, '../../../../shared/data');
const SETS = ['evtx/attack-samples', 'evtx/parser-edge-cases', 'sigmahq/regression_data'];

function evtxFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.toLowerCase().endsWith('.evtx'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

const viaJson = (item: EvtxRecord) => withSigmaFieldNames(flattenEvent(recordJson(item)));

describe('the .evtx hunt reader', () => {
  for (const set of SETS) {
    const dir = join(data, set);
    const present = existsSync(dir);
    if (!present && process.env.CI === 'true') throw new Error(`test data missing in CI: ${dir}`);
    it.skipIf(!present)(`gives the JSON path's events for every record of ${set}`, () => {
      let records = 0;
      for (const file of evtxFiles(dir)) {
        const items = [...readEvtx(readFileSync(file))].filter(
          (i): i is EvtxRecord => i.kind === 'record',
        );
        const hits = [...(evtxInputReader.read(file) as Iterable<HuntEvent>)];
        expect(hits.length, file).toBe(items.length);
        hits.forEach((hit, i) => {
          const item = items[i]!;
          expect(Object.entries(hit.event), `${file} #${hit.record}`).toStrictEqual(
            Object.entries(viaJson(item)),
          );
          if (i === 0) expect(hit.original).toStrictEqual(recordJson(item));
        });
        records += items.length;
      }
      expect(records).toBeGreaterThan(0);
    });
  }

  it('adds space-free names beside spaced ones, as withSigmaFieldNames does', () => {
    const record: EvtxRecord = {
      kind: 'record',
      chunk: 0,
      offset: 0,
      recordId: 1,
      timestamp: '2020-01-01T00:00:00.000000Z',
      content: [
        {
          kind: 'element',
          name: 'Event',
          attributes: [],
          children: [
            {
              kind: 'element',
              name: 'EventData',
              attributes: [],
              children: ['Threat Name', 'Source Name', 'SourceName', 'Threat Name', 'A  B'].map(
                (name, i) => ({
                  kind: 'element' as const,
                  name: 'Data',
                  attributes: [{ name: 'Name', parts: [name] }],
                  children: [{ kind: 'text' as const, value: `v${i}`, cdata: false }],
                }),
              ),
            },
          ],
        },
      ],
    };
    const direct = recordFlat(record, { spaceFreeNames: true });
    expect(Object.entries(direct)).toStrictEqual(Object.entries(viaJson(record)));
    expect(direct).toMatchObject({ ThreatName: ['v0', 'v3'], SourceName: 'v2', AB: 'v4' });
  });
});
