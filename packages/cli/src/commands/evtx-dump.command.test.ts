import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import { evtxDumpCommand } from './evtx-dump.command.ts';

const edgeCases = resolve(import.meta.dirname, '../../../../../shared/data/evtx/parser-edge-cases');
const haveData = existsSync(edgeCases);
if (!haveData && process.env.CI === 'true')
  throw new Error(`test data missing in CI: ${edgeCases}`);

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const io: CommandIo = { stdout, stderr, stdin: new PassThrough(), env: {} };
  const code = await evtxDumpCommand.run(args, io);
  return { code, stdout: out, stderr: err };
}

describe.skipIf(!haveData)('cordon evtx dump', () => {
  it('writes one JSON line per record and a summary on stderr', async () => {
    const { code, stdout, stderr } = await run([join(edgeCases, 'new-user-security.evtx')]);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split('\n')
      .map((l): unknown => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({
      record_id: 1,
      timestamp: '2013-10-23T16:22:39.973500Z',
      event: { Event: { System: { EventID: 4728, Channel: 'Security', Computer: 'IE8Win7' } } },
    });
    expect(stderr).toBe('records: 4 ok, 0 errors\n');
  });

  it('reports unreadable records on stderr and goes on', async () => {
    const file = join(
      edgeCases,
      '2-vss_0-Microsoft-Windows-TerminalServices-RemoteConnectionManager%4Operational.evtx',
    );
    const { code, stdout, stderr } = await run([file]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toHaveLength(1774);
    const errors = stderr.split('\n').filter((l) => l.startsWith('error: '));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^error: chunk \d+ offset \d+: .+/);
    expect(stderr.trimEnd().split('\n').at(-1)).toBe('records: 1774 ok, 2 errors');
  });

  it('writes XML as Windows renders it', async () => {
    const { code, stdout } = await run([
      '--format',
      'xml',
      join(edgeCases, 'new-user-security.evtx'),
    ]);
    expect(code).toBe(0);
    const first = stdout.split('\n')[0]!;
    expect(first).toMatch(
      /^<Event xmlns='http:\/\/schemas.microsoft.com\/win\/2004\/08\/events\/event'><System><Provider Name='Microsoft-Windows-Security-Auditing' Guid='\{54849625-5478-4994-A5BA-3E3B0328C30D\}'\/>/,
    );
    expect(first).toContain("<Data Name='TargetUserName'>None</Data>");
    expect(first).toMatch(/<\/Event>$/);
  });

  it('fails with a message on a file that is not EVTX', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cordon-evtx-'));
    const file = join(dir, 'not.evtx');
    writeFileSync(file, 'hello, not a log');
    const { code, stdout, stderr } = await run([file]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/not an EVTX file/);
    expect((await run([join(dir, 'missing.evtx')])).code).toBe(1);
  });

  it('rejects bad arguments', async () => {
    await expect(run([])).rejects.toBeInstanceOf(UsageError);
    await expect(run(['--format', 'csv', 'x.evtx'])).rejects.toBeInstanceOf(UsageError);
    expect((await run(['--help'])).stdout).toMatch(/^Usage: cordon evtx dump FILE/);
  });
});
