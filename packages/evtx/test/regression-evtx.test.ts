/**
 * Every SigmaHQ regression `.evtx` gives the same events as its `.json` companion (written by
 * the Rust evtx_dump), in the same order, compared as whole documents.
 */
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEvtx, recordJson } from '../src/index.ts';
import { listFiles, readJsonDocuments, requireData } from './regression-json.ts';

const regression = requireData('sigmahq/regression_data');

/**
 * Companions that were edited by hand after export, so no parser can reproduce them: here
 * the time has nanoseconds (`…26.751156500Z`, a FILETIME has 100 ns ticks and evtx_dump
 * writes microseconds) and ParentCommandLine reads `Explorer.exe` where the record holds
 * `Explorer.EXE`.
 */
const EDITED_COMPANIONS = new Set([
  'rules/windows/process_creation/proc_creation_win_susp_right_to_left_override/ad691d92-15f2-4181-9aa4-723c74f9ddc3.json',
]);

describe.skipIf(!regression)('SigmaHQ regression .evtx against their .json', () => {
  const files = regression ? listFiles(regression, '.json') : [];

  it('finds the cases', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('gives the same events as every companion', () => {
    let events = 0;
    for (const json of files) {
      const expected = readJsonDocuments(json);
      const items = [...readEvtx(readFileSync(json.replace(/\.json$/, '.evtx')))];
      expect(
        items.filter((i) => i.kind === 'error'),
        json,
      ).toEqual([]);
      const ours = items.flatMap((i) => (i.kind === 'record' ? [recordJson(i)] : []));
      expect(ours.length, json).toBe(expected.length);
      if (EDITED_COMPANIONS.has(relative(regression!, json))) continue;
      expect(ours, json).toEqual(expected);
      events += ours.length;
    }
    expect(events).toBeGreaterThan(100);
  });
});
