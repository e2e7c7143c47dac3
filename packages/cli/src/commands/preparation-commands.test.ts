/**
 * `cordon assets import|export` and `cordon readiness` on a real SQLite data directory, run
 * in-process through the same entry point as the launcher: dry run changes nothing, good rows
 * go in while refused rows are reported with their line (exit code 1), a second import changes
 * nothing, the export re-imports with no change, and readiness prints the score with the gaps, heaviest first.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'cordon-prep-cli-'));
const dataDir = join(dir, 'data');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli([...args, '--data-dir', dataDir], {
    stdout,
    stderr,
    stdin: new PassThrough(),
    env: {},
  });
  return { code, out, err };
}

const csv = [
  'name,kind,addresses,criticality,redundancy_group,agent',
  'web1,server,10.0.0.5;fd00::5,critical,web,yes',
  'web2,server,10.0.0.6,critical,web,no',
  'ws-anna,workstation,10.0.1.20,medium,,yes',
  'printer,toaster,10.0.1.99,low,,no',
].join('\n');

describe('cordon assets and readiness', () => {
  it('imports with a dry run first, reports refused rows, exports and re-imports unchanged', async () => {
    expect((await run(['tenant', 'create', 'Acme'])).code).toBe(0);
    const file = join(dir, 'inventory.csv');
    writeFileSync(file, csv);

    const dry = await run(['assets', 'import', file, '--tenant', 'Acme', '--dry-run', '--json']);
    expect(dry.code, dry.err).toBe(1);
    const dryReport = JSON.parse(dry.out) as Record<string, unknown>;
    expect(dryReport).toMatchObject({
      created: ['web1', 'web2', 'ws-anna'],
      refused: [{ line: 5 }],
    });
    expect((dryReport['refused'] as { reason: string }[])[0]?.reason).toMatch(
      /kind "toaster" is unknown/,
    );
    const listed = await run(['assets', 'export', '--tenant', 'Acme', '--format', 'json']);
    expect(JSON.parse(listed.out)).toEqual([]);

    // The good rows go in together; the refused one is reported and makes the exit code 1.
    const applied = await run(['assets', 'import', file, '--tenant', 'Acme']);
    expect(applied.code).toBe(1);
    expect(applied.out).toMatch(/4 rows: 3 created, 0 updated, 0 unchanged, 1 refused/);
    expect(applied.out).toMatch(/line 5: kind "toaster" is unknown/);
    const second = await run(['assets', 'import', file, '--tenant', 'Acme']);
    expect(second.out).toMatch(/4 rows: 0 created, 0 updated, 3 unchanged, 1 refused/);

    const exported = join(dir, 'export.csv');
    expect((await run(['assets', 'export', '--tenant', 'Acme', '--output', exported])).code).toBe(
      0,
    );
    const text = readFileSync(exported, 'utf8');
    // issue 13 item 10's sibling: the export was written 0644 under the usual umask.
    expect(statSync(exported).mode & 0o077).toBe(0);
    expect(text.split('\n')[0]).toMatch(/^name,kind,addresses/);
    expect(text).toMatch(/web1,server,10\.0\.0\.5;fd00::5/);
    const again = await run(['assets', 'import', exported, '--tenant', 'Acme']);
    expect(again.code, again.err).toBe(0);
    expect(again.out).toMatch(/0 created, 0 updated, 3 unchanged, 0 refused/);
  });

  it('scores readiness and lists the gaps heaviest first; an unknown tenant is an error', async () => {
    const text = await run(['readiness', '--tenant', 'Acme']);
    expect(text.code, text.err).toBe(0);
    expect(text.out).toMatch(/^Readiness of Acme: [\d.]+ \/ 100/);
    expect(text.out).toMatch(/backups_within_rpo .*0 of 2 critical assets/);
    const json = await run(['readiness', '--tenant', 'Acme', '--json', '--no-record']);
    const report = JSON.parse(json.out) as {
      score: number;
      gaps: { id: string; weight: number }[];
    };
    const weights = report.gaps.map((g) => g.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(report.gaps.map((g) => g.id)).toContain('agents_deployed');
    const unknown = await run(['readiness', '--tenant', 'Nope']);
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/Nope/);
  });
});
