/**
 * `cordon hunt` over SigmaHQ's regression cases, reading each case's `.evtx` and its `.json`
 * companion in one run with the whole SigmaHQ rule set: every case must give the same matches
 * (rule, selections, matched fields, event) from its `.evtx` as from its `.json`, so hunting
 * straight from Windows logs passes each regression case exactly as the JSON export does.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from '../src/command.ts';
import { huntCommand } from '../src/commands/hunt.command.ts';

const sigmahq = resolve(import.meta.dirname, '../../../../shared/data/sigmahq');
const haveData = existsSync(join(sigmahq, 'regression_data'));
if (!haveData && process.env.CI === 'true') throw new Error(`test data missing in CI: ${sigmahq}`);

/**
 * A companion edited by hand after export (its time has nanoseconds, its ParentCommandLine
 * differs in case from the record): its matches are compared without the event itself.
 */
const EDITED_COMPANION =
  'rules/windows/process_creation/proc_creation_win_susp_right_to_left_override/ad691d92-15f2-4181-9aa4-723c74f9ddc3';

interface HuntLine {
  rule: { id: string | null };
  source: { file: string; record: number };
  selections: string[];
  fields: unknown;
  event: unknown;
}

async function hunt(args: string[]): Promise<{ code: number; lines: HuntLine[] }> {
  const stdout = new PassThrough();
  let out = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const stderr = new PassThrough();
  stderr.resume();
  const io: CommandIo = { stdout, stderr, stdin: new PassThrough(), env: {} };
  const code = await huntCommand.run(args, io);
  return {
    code,
    lines: out
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as HuntLine),
  };
}

describe.skipIf(!haveData)('cordon hunt on regression .evtx against their .json', () => {
  it('gives the same matches for every case', { timeout: 600_000 }, async () => {
    const regression = join(sigmahq, 'regression_data');
    const { code, lines } = await hunt([
      '--format',
      'jsonl',
      ...['rules', 'rules-emerging-threats', 'rules-threat-hunting'].flatMap((d) => [
        '--rules',
        join(sigmahq, d),
      ]),
      regression,
    ]);
    expect(code).toBe(0);
    const byCase = new Map<string, { evtx: string[]; json: string[] }>();
    for (const line of lines) {
      const file = line.source.file;
      const kind = file.endsWith('.evtx') ? 'evtx' : 'json';
      const key = file.slice(regression.length + 1).replace(/\.(evtx|json)$/, '');
      const entry = byCase.get(key) ?? { evtx: [], json: [] };
      const edited = key === EDITED_COMPANION;
      entry[kind].push(
        JSON.stringify({
          rule: line.rule.id,
          selections: line.selections,
          fields: edited ? undefined : line.fields,
          event: edited ? undefined : line.event,
        }),
      );
      byCase.set(key, entry);
    }
    let casesPassed = 0;
    for (const [key, { evtx, json }] of byCase) {
      expect(evtx.sort(), key).toEqual(json.sort());
      // The case passes when its own rule matched its event.
      const info = readFileSync(join(regression, dirname(key), 'info.yml'), 'utf8');
      const ruleIds = [...info.matchAll(/^\s+- id: ([0-9a-f-]{36})/gm)].map((m) => m[1]);
      if (ruleIds.some((id) => evtx.some((m) => (JSON.parse(m) as { rule: string }).rule === id)))
        casesPassed++;
    }
    expect(byCase.size).toBeGreaterThan(50);
    expect(casesPassed).toBeGreaterThan(50);
  });
});
