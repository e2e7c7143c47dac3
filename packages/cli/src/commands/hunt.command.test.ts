import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'cordon-hunt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rule = `title: Evil process
id: 11111111-2222-3333-4444-555555555555
level: high
tags: [attack.t1059]
logsource:
  product: windows
  category: process_creation
detection:
  sel:
    Image|endswith: '\\evil.exe'
  condition: sel
`;
const sysmon = (image: string, id: number) => ({
  Event: {
    System: {
      EventID: 1,
      EventRecordID: id,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Provider: { '#attributes': { Name: 'Microsoft-Windows-Sysmon' } },
    },
    EventData: { Image: image },
  },
});
writeFileSync(join(dir, 'rule.yml'), rule);
writeFileSync(join(dir, 'bad.yml'), 'title: no detection\nlogsource: {product: windows}\n');
writeFileSync(
  join(dir, 'events.json'),
  JSON.stringify(sysmon('C:\\evil.exe', 1), null, 2) +
    '\n' +
    JSON.stringify(sysmon('C:\\good.exe', 2), null, 2),
);

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr, stdin: new PassThrough(), env: {} });
  return { code, out, err };
}

describe('cordon hunt with a correlation', () => {
  it('reports the correlation once its count is reached, not the referenced rule', async () => {
    const cdir = mkdtempSync(join(tmpdir(), 'cordon-corr-'));
    try {
      writeFileSync(
        join(cdir, 'corr.yml'),
        rule.replace('title: Evil process', 'title: Evil process\nname: evil') +
          '---\ntitle: Evil twice\nlevel: critical\ncorrelation:\n  type: event_count\n  rules: [evil]\n  group-by: [Computer]\n  timespan: 1m\n  condition:\n    gte: 2\n',
      );
      const at = (id: number, time: string) => {
        const e = sysmon('C:\\evil.exe', id);
        return JSON.stringify({
          Event: {
            ...e.Event,
            System: {
              ...e.Event.System,
              Computer: 'ws1',
              TimeCreated: { '#attributes': { SystemTime: time } },
            },
          },
        });
      };
      writeFileSync(
        join(cdir, 'events.jsonl'),
        [at(1, '2025-01-01T00:00:00Z'), at(2, '2025-01-01T00:00:30Z')].join('\n') + '\n',
      );
      const { code, out } = await run([
        'hunt',
        '--rules',
        join(cdir, 'corr.yml'),
        '--format',
        'jsonl',
        join(cdir, 'events.jsonl'),
      ]);
      expect(code).toBe(0);
      const lines = out
        .trim()
        .split('\n')
        .map(
          (l) =>
            JSON.parse(l) as {
              rule: { title: string };
              correlation: { group: unknown; value: number };
            },
        );
      expect(lines).toHaveLength(1);
      expect(lines[0]!.rule.title).toBe('Evil twice');
      expect(lines[0]!.correlation.group).toEqual({ Computer: 'ws1' });
      expect(lines[0]!.correlation.value).toBe(2);
    } finally {
      rmSync(cdir, { recursive: true, force: true });
    }
  });
});

describe('cordon rules check', () => {
  it('counts accepted rules and lists rejected ones with file and reason', async () => {
    const { code, out } = await run(['rules', 'check', dir, '--json']);
    expect(code).toBe(1);
    const report = JSON.parse(out);
    expect(report.accepted).toBe(1);
    expect(report.rejected).toEqual([
      { file: join(dir, 'bad.yml'), id: null, reason: "missing required attribute 'detection'" },
    ]);
  });
});

describe('cordon hunt', () => {
  it('prints one JSON line per match with rule, source and event', async () => {
    const { code, out } = await run([
      'hunt',
      '--rules',
      join(dir, 'rule.yml'),
      '--format',
      'jsonl',
      dir,
    ]);
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            rule: unknown;
            source: unknown;
            event: { Event: { EventData: { Image: string } } };
          },
      );
    expect(lines).toHaveLength(1);
    expect(lines[0]!.rule).toEqual({
      id: '11111111-2222-3333-4444-555555555555',
      title: 'Evil process',
      level: 'high',
      tags: ['attack.t1059'],
    });
    expect(lines[0]!.source).toEqual({ file: join(dir, 'events.json'), record: 1 });
    expect(lines[0]!.event.Event.EventData.Image).toBe('C:\\evil.exe');
  });
  it('filters by --min-level and writes CSV', async () => {
    const critical = await run([
      'hunt',
      '--rules',
      join(dir, 'rule.yml'),
      '--min-level',
      'critical',
      dir,
    ]);
    expect(critical.out).toBe('');
    const csv = await run(['hunt', '--rules', join(dir, 'rule.yml'), '--format', 'csv', dir]);
    expect(csv.out.split('\n')[1]).toContain(
      'high,11111111-2222-3333-4444-555555555555,Evil process',
    );
  });
  it('fails clearly on bad arguments and unreadable input', async () => {
    expect((await run(['hunt', dir])).code).toBe(2);
    expect((await run(['hunt', '--rules', dir, '--format', 'xml', dir])).code).toBe(2);
    const missing = await run(['hunt', '--rules', dir, join(dir, 'nope.json')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/cannot read .*nope\.json: ENOENT/);
  });
});
