/**
 * Checking and testing a rule in the browser: the loader's problems with their line and
 * column, the server's own refusals (aliases, filters, a missing id), and the test run over
 * pasted raw records, stored events and a correlation.
 */
import { parseRecord } from '@cordon/ingest';
import { SYSMON_1 } from '@cordon/ingest/testing';
import { describe, expect, it } from 'vitest';
import { checkRuleText } from './rule-check.ts';
import { runRuleTest } from './rule-test.ts';
import { parseTestEvents, testEventOf } from './test-events.ts';

const SSH_RULE = [
  'title: SSH password accepted from outside',
  'id: 0f5a7a38-5d0c-4c1e-a1f5-2c3d4e5f6a70',
  'status: experimental',
  'level: high',
  'logsource: {product: linux, service: sshd}',
  'detection:',
  '  keywords: ["Accepted password for"]',
  '  condition: keywords',
  'tags: [attack.initial-access, attack.t1078]',
].join('\n');

const events = (text: string) => {
  const parsed = parseTestEvents(text);
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.events;
};

describe('checkRuleText', () => {
  it('summarises a good rule', () => {
    const check = checkRuleText(SSH_RULE);
    expect(check.problems).toEqual([]);
    expect(check.rules).toEqual([
      {
        kind: 'detection',
        ref: '0f5a7a38-5d0c-4c1e-a1f5-2c3d4e5f6a70',
        title: 'SSH password accepted from outside',
        level: 'high',
        status: 'experimental',
        tags: ['attack.initial-access', 'attack.t1078'],
        logsource: 'linux / sshd',
      },
    ]);
  });

  it('reports a YAML error with the line and column the loader names', () => {
    // The condition indented one space too far: line 8.
    const broken = SSH_RULE.replace('  condition:', '   condition:');
    const [problem, ...more] = checkRuleText(broken).problems;
    expect(more).toEqual([]);
    expect(problem?.message).toMatch(/^rule: invalid YAML: .*at line \d+, column \d+/);
    expect(problem?.line).toBe(8);
    expect(problem?.column).toBeGreaterThan(0);
  });

  it('refuses what the server refuses: aliases, filters, unknown modifiers, no id', () => {
    const alias = `${SSH_RULE}\nfalsepositives: &fp [a]\nreferences: *fp`;
    expect(checkRuleText(alias).problems[0]?.message).toMatch(/aliases .* not accepted/);
    const modifier = SSH_RULE.replace(
      '  keywords: ["Accepted password for"]',
      '  sel:\n    message|endswithx: a',
    ).replace('condition: keywords', 'condition: sel');
    expect(checkRuleText(modifier).problems[0]?.message).toMatch(/endswithx/);
    const noId = SSH_RULE.replace(/^id: .*$/m, '');
    expect(checkRuleText(noId).problems.map((p) => p.message)).toEqual([
      'rule: every rule needs an id or a name',
    ]);
    expect(checkRuleText('').problems).toHaveLength(1);
    const filter = [
      'title: f',
      'id: 3a1c0f4e-0000-4000-8000-000000000001',
      'logsource: {product: linux}',
      'filter:',
      '  rules: [x]',
      '  selection: {a: b}',
      '  condition: not selection',
    ].join('\n');
    expect(checkRuleText(filter).problems[0]?.message).toMatch(/add an exclusion instead/);
  });
});

describe('runRuleTest', () => {
  it('matches pasted raw records (NDJSON) by their detection', () => {
    const check = checkRuleText(SSH_RULE);
    const result = runRuleTest(
      check,
      events(
        [
          '{"message": "Accepted password for alice from 203.0.113.9 port 50022 ssh2"}',
          '',
          '{"message": "Failed password for alice from 203.0.113.9 port 50022 ssh2"}',
        ].join('\n'),
      ),
    );
    expect(result.matched).toBe(1);
    expect(result.verdicts.map((v) => [v.event.label, v.hits.map((h) => h.title)])).toEqual([
      ['line 1', ['SSH password accepted from outside']],
      ['line 3', []],
    ]);
  });

  it('matches a stored event by its recorded log source, as live detection does', () => {
    const check = checkRuleText(SSH_RULE);
    const stored = (product: string) => ({
      '@timestamp': '2026-12-07T10:00:00Z',
      message: 'Accepted password for bob from 198.51.100.7 port 2222 ssh2',
      log_source: { product, service: 'sshd' },
      fields: {},
    });
    const result = runRuleTest(check, [
      testEventOf(stored('linux'), 'a'),
      testEventOf({ id: 'x', event: stored('windows'), provenance: {} }, 'b'),
    ]);
    expect(result.verdicts.map((v) => v.hits.length)).toEqual([1, 0]);
  });

  it('matches a Windows rule on a stored Sysmon event (by its channel) and on a raw record', () => {
    const check = checkRuleText(
      [
        'title: Office spawns an encoded PowerShell',
        'id: 9a8b7c6d-0000-4000-8000-000000000003',
        'logsource: {product: windows, category: process_creation}',
        'detection:',
        '  selection:',
        "    ParentImage|endswith: '\\WINWORD.EXE'",
        "    CommandLine|contains: ' -enc '",
        '  condition: selection',
        'level: high',
      ].join('\n'),
    );
    expect(check.problems).toEqual([]);
    const outcome = parseRecord(JSON.stringify(SYSMON_1), { receivedAt: new Date() });
    if (outcome.kind !== 'events') throw new Error(outcome.reason);
    const stored = JSON.parse(JSON.stringify(outcome.events[0])) as Record<string, unknown>;
    const raw = {
      ParentImage: 'C:\\Program Files\\Microsoft Office\\root\\Office16\\WINWORD.EXE',
      CommandLine: 'powershell.exe -nop -enc SQBFAFgA',
    };
    const result = runRuleTest(check, [
      testEventOf(stored, 'stored'),
      testEventOf(raw, 'raw'),
      testEventOf({ ...raw, CommandLine: 'powershell.exe -nop' }, 'raw, not encoded'),
    ]);
    expect(result.verdicts.map((v) => [v.event.label, v.hits.map((h) => h.selections)])).toEqual([
      ['stored', [['selection']]],
      ['raw', [['selection']]],
      ['raw, not encoded', []],
    ]);
    // The stored event carries its log source; the rule reaches it through Sysmon's channel.
    expect(result.verdicts[0]!.event.logSource).toBeDefined();
  });

  it('runs a correlation over the matches of its rules', () => {
    const text = [
      SSH_RULE.replace('level: high', 'level: low').replace(
        'title: SSH password accepted from outside',
        'title: accepted\nname: ssh_accepted',
      ),
      '---',
      'title: Many accepted passwords from one address',
      'id: 7c1a2b3c-0000-4000-8000-000000000002',
      'correlation:',
      '  type: event_count',
      '  rules: [ssh_accepted]',
      '  group-by: [source.ip]',
      '  timespan: 5m',
      '  condition: {gte: 3}',
      'level: high',
    ].join('\n');
    const check = checkRuleText(text);
    expect(check.problems).toEqual([]);
    const line = (ip: string, s: number) =>
      JSON.stringify({
        '@timestamp': `2026-12-07T10:00:0${s}Z`,
        message: 'Accepted password for x',
        source: { ip },
      });
    const result = runRuleTest(
      check,
      events(
        [
          line('203.0.113.9', 1),
          line('203.0.113.9', 2),
          line('198.51.100.1', 3),
          line('203.0.113.9', 4),
        ].join('\n'),
      ),
    );
    expect(result.matched).toBe(4);
    expect(result.correlations).toEqual([
      {
        title: 'Many accepted passwords from one address',
        group: { 'source.ip': '203.0.113.9' },
        value: 3,
        label: 'line 4',
      },
    ]);
  });

  it('says which pasted line is not JSON, and bounds what it takes', () => {
    expect(parseTestEvents('{"a":1}\n{"a":\n')).toEqual({
      ok: false,
      problem: expect.stringMatching(/^line 2: /),
    });
    expect(parseTestEvents('[1]')).toEqual({
      ok: false,
      problem: 'event 1: an event is a JSON object',
    });
    expect(parseTestEvents('{\n  "a": 1\n}')).toMatchObject({ ok: true, events: [{}] });
    expect(parseTestEvents('{}\n'.repeat(1001))).toMatchObject({ ok: false });
  });
});
