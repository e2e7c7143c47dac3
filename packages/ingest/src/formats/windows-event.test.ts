import { correlationFieldValue } from '@cordon/sigma';
import { describe, expect, it } from 'vitest';
import { eventField } from '../event-field.ts';
import { sigmaView } from '../sigma-view.ts';
import {
  EVTX_4624,
  EVTX_4688,
  NXLOG_4672,
  SYSMON_1,
  SYSMON_11,
  SYSMON_22,
  SYSMON_3,
  WINLOGBEAT_4625,
  WINLOGBEAT_4720,
} from '../testing/samples.ts';
import { parseOne } from '../testing/test-support.ts';

const json = (value: unknown): string => JSON.stringify(value);

describe('Windows events', () => {
  it('Winlogbeat 4625: flat Windows names kept, ECS failure with source and target user', () => {
    const e = parseOne(json(WINLOGBEAT_4625));
    expect(e.fields).toMatchObject({
      EventID: 4625,
      Channel: 'Security',
      Provider_Name: 'Microsoft-Windows-Security-Auditing',
      Computer: 'DC01.corp.example',
      TargetUserName: 'administrator',
      LogonType: '10',
      IpAddress: '198.51.100.77',
    });
    expect(e).toMatchObject({
      '@timestamp': '2024-10-11T22:14:15.512Z',
      event: {
        code: '4625',
        action: 'logon-failed',
        outcome: 'failure',
        category: ['authentication'],
        dataset: 'windows.security',
      },
      host: { name: 'DC01.corp.example' },
      user: { name: 'administrator', domain: 'CORP' },
      source: { ip: '198.51.100.77', port: 50213, domain: 'ATTACKER-PC' },
      process: { executable: 'C:\\Windows\\System32\\svchost.exe', pid: 0x1c4 },
      log_source: { product: 'windows', service: 'security' },
      message: 'An account failed to log on.',
    });
  });

  it('evtx_dump 4624 (flattenEvent from @cordon/evtx): same names, success', () => {
    const e = parseOne(json(EVTX_4624));
    expect(e.fields).toMatchObject({
      EventID: 4624,
      Channel: 'Security',
      Provider_Name: 'Microsoft-Windows-Security-Auditing',
      Computer: 'WS042.corp.example',
      LogonType: 3,
      TimeCreated_SystemTime: '2024-10-11T22:14:16.104526Z',
    });
    expect(e).toMatchObject({
      '@timestamp': '2024-10-11T22:14:16.104Z',
      event: { outcome: 'success', action: 'logged-in' },
      user: { name: 'jdoe', id: 'S-1-5-21-1004336348-1177238915-682003330-1104' },
      source: { ip: '10.20.30.40', port: 49811 },
    });
    expect(e.process).toBeUndefined();
  });

  it('4688: process ECS from hex ids, Sysmon-style Image/ParentImage, process_creation', () => {
    const e = parseOne(json(EVTX_4688));
    expect(e.log_source).toEqual({
      product: 'windows',
      service: 'security',
      category: 'process_creation',
    });
    expect(e.fields).toMatchObject({
      Image: 'C:\\Windows\\System32\\whoami.exe',
      ParentImage: 'C:\\Windows\\System32\\cmd.exe',
      NewProcessName: 'C:\\Windows\\System32\\whoami.exe',
    });
    expect(e.process).toEqual({
      executable: 'C:\\Windows\\System32\\whoami.exe',
      name: 'whoami.exe',
      pid: 0x1a2c,
      command_line: 'whoami /all',
      parent: { executable: 'C:\\Windows\\System32\\cmd.exe', name: 'cmd.exe', pid: 0x11f0 },
    });
    expect(e.user).toMatchObject({ name: 'jdoe', domain: 'CORP' });
  });

  it('4720 (string event id) and NXLog-style flat 4672', () => {
    const created = parseOne(json(WINLOGBEAT_4720));
    expect(created).toMatchObject({
      fields: { EventID: 4720 },
      event: { action: 'added-user-account', category: ['iam'], type: ['user', 'creation'] },
      user: { name: 'Administrator', target: { name: 'svc-backup2' } },
    });
    const special = parseOne(json(NXLOG_4672), { defaults: { timeZoneOffsetMinutes: 120 } });
    expect(special).toMatchObject({
      '@timestamp': '2024-10-11T20:16:05.000Z',
      host: { name: 'DC01.corp.example' },
      event: { code: '4672', action: 'logged-in-special' },
      fields: {
        Provider_Name: 'Microsoft-Windows-Security-Auditing',
        Computer: 'DC01.corp.example',
        SubjectUserName: 'Administrator',
      },
      user: { name: 'Administrator' },
    });
  });

  it('Sysmon 1, 3, 11, 22 get SigmaHQ categories and ECS', () => {
    const p = parseOne(json(SYSMON_1));
    expect(p.log_source).toEqual({
      product: 'windows',
      service: 'sysmon',
      category: 'process_creation',
    });
    expect(p.process).toMatchObject({
      name: 'powershell.exe',
      pid: 6688,
      command_line: 'powershell.exe -nop -w hidden -enc SQBFAFgA',
      parent: { name: 'WINWORD.EXE', pid: 4012 },
    });
    expect(p.user).toEqual({ name: 'jdoe', domain: 'CORP' });
    expect(p.fields.OriginalFileName).toBe('PowerShell.EXE');

    const n = parseOne(json(SYSMON_3));
    expect(n).toMatchObject({
      log_source: { category: 'network_connection' },
      source: { ip: '10.20.30.42', port: 50877 },
      destination: { ip: '203.0.113.80', port: 443 },
      network: { transport: 'tcp', direction: 'egress' },
    });
    expect(n.destination?.domain).toBe('-');

    const f = parseOne(json(SYSMON_11));
    expect(f).toMatchObject({
      log_source: { category: 'file_event' },
      file: {
        name: 'update.lnk',
        extension: 'lnk',
        directory:
          'C:\\Users\\jdoe\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup',
      },
    });

    const d = parseOne(json(SYSMON_22));
    expect(d).toMatchObject({
      log_source: { category: 'dns_query' },
      dns: { question: { name: 'payload.evil.example' }, resolved_ip: ['203.0.113.80'] },
    });
  });

  it('rules see flat Windows names and dotted ECS names', () => {
    const e = parseOne(json(SYSMON_1));
    expect(eventField(e, 'Image')).toBe(
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    );
    expect(eventField(e, 'process.parent.name')).toBe('WINWORD.EXE');
    const view = sigmaView(e);
    expect(view.EventID).toBe(1);
    expect(view.CommandLine).toBe('powershell.exe -nop -w hidden -enc SQBFAFgA');
    // ECS fields stay nested; rules reach them by dotted path, as the engine and correlations do.
    expect(correlationFieldValue(view, 'process.command_line')).toBe(
      'powershell.exe -nop -w hidden -enc SQBFAFgA',
    );
    expect(correlationFieldValue(view, 'host.name')).toBe('WS042.corp.example');
    expect((view.event as { category: string[] }).category).toEqual(['process']);
  });
});
