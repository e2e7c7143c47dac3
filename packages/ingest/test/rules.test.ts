/**
 * Our correlation rules (packages/ingest/rules) against events this package produces: the
 * rules load and validate with @cordon/sigma, every base rule matches our parsed samples
 * through the real Sigma engine, every field the rules name exists in those events, and each
 * correlation fires on a realistic stream and stays quiet below its threshold.
 *
 * @cordon/sigma has no correlation engine yet, so the window counting below is a small
 * test-side evaluator of `event_count` / `value_count` (group-by, timespan, condition); the
 * base-rule matching is the real engine.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorrelationRule, DetectionRule, YamlValue } from '@cordon/sigma';
import { loadRules, SigmaEngine } from '@cordon/sigma';
import { describe, expect, it } from 'vitest';
import { eventField } from '../src/event-field.ts';
import type { IngestEvent } from '../src/ingest-event.ts';
import { sigmaView } from '../src/sigma-view.ts';
import {
  CEF_FIREWALL_DENY,
  CLOUDTRAIL_CONSOLE_LOGIN_FAILED,
  EVE_FLOW,
  EVTX_4624,
  WINLOGBEAT_4625,
  ZEEK_CONN,
} from '../src/testing/samples.ts';
import { parseOne } from '../src/testing/test-support.ts';

const RULES_DIR = join(import.meta.dirname, '..', 'rules');
const loaded = loadRules(
  readdirSync(RULES_DIR)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => ({ file: f, text: readFileSync(join(RULES_DIR, f), 'utf8') })),
);
const engine = new SigmaEngine(loaded.detections);

const at = (second: number): string => new Date(Date.UTC(2024, 9, 11, 22, 0, second)).toISOString();

// ---- sample builders (shapes as in src/testing/samples.ts, varied per call) ----

const sshFailure = (s: number, ip: string, user = 'root', host = 'bastion'): IngestEvent =>
  parseOne(
    `${syslogTime(s)} ${host} sshd[${4000 + s}]: Failed password for ${user} from ${ip} port ${40000 + s} ssh2`,
  );
const sshInvalid = (s: number, ip: string): IngestEvent =>
  parseOne(
    `${syslogTime(s)} bastion sshd[${4000 + s}]: Invalid user admin from ${ip} port ${40000 + s}`,
  );
const sshAccepted = (s: number, ip: string): IngestEvent =>
  parseOne(
    `${syslogTime(s)} bastion sshd[9]: Accepted publickey for deploy from ${ip} port 1 ssh2: ED25519 SHA256:x`,
  );
const windowsFailure = (
  s: number,
  ip: string,
  user = 'administrator',
  logonType = '10',
): IngestEvent =>
  parseOne(
    JSON.stringify({
      ...WINLOGBEAT_4625,
      '@timestamp': at(s),
      winlog: {
        ...WINLOGBEAT_4625.winlog,
        event_data: {
          ...WINLOGBEAT_4625.winlog.event_data,
          IpAddress: ip,
          TargetUserName: user,
          LogonType: logonType,
        },
      },
    }),
  );
const evtxFailure = (s: number, ip: string, user: string): IngestEvent =>
  parseOne(
    JSON.stringify({
      Event: {
        ...EVTX_4624.Event,
        System: {
          ...EVTX_4624.Event.System,
          EventID: 4625,
          TimeCreated: { '#attributes': { SystemTime: at(s) } },
        },
        EventData: {
          ...EVTX_4624.Event.EventData,
          TargetUserName: user,
          IpAddress: ip,
          LogonType: 3,
        },
      },
    }),
  );
const rdpCoreTs = (s: number, ip: string): IngestEvent =>
  parseOne(
    JSON.stringify({
      Event: {
        System: {
          Provider: {
            '#attributes': { Name: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS' },
          },
          EventID: 140,
          TimeCreated: { '#attributes': { SystemTime: at(s) } },
          Channel: 'Microsoft-Windows-RemoteDesktopServices-RdpCoreTS/Operational',
          Computer: 'DC01.corp.example',
        },
        EventData: { IPString: ip },
      },
    }),
  );
const consoleFailure = (s: number, ip: string, user: string): IngestEvent =>
  parseOne(
    JSON.stringify({
      ...CLOUDTRAIL_CONSOLE_LOGIN_FAILED,
      eventTime: at(s),
      sourceIPAddress: ip,
      userIdentity: { ...CLOUDTRAIL_CONSOLE_LOGIN_FAILED.userIdentity, userName: user },
    }),
  );
const zeekConn = (s: number, ip: string, port: number, state = 'REJ'): IngestEvent => {
  const record = JSON.parse(ZEEK_CONN) as Record<string, unknown>;
  return parseOne(
    JSON.stringify({
      ...record,
      ts: Date.UTC(2024, 9, 11, 22, 0, s) / 1000,
      'id.orig_h': ip,
      'id.resp_p': port,
      conn_state: state,
    }),
  );
};
const eveFlow = (s: number, ip: string, port: number): IngestEvent => {
  const record = JSON.parse(EVE_FLOW) as Record<string, unknown>;
  return parseOne(JSON.stringify({ ...record, timestamp: at(s), src_ip: ip, dest_port: port }));
};
const cefDeny = (s: number, ip: string, port: number): IngestEvent =>
  parseOne(
    CEF_FIREWALL_DENY.replace(
      /rt=[^=]+ deviceExternalId/,
      `rt=${Date.UTC(2024, 9, 11, 22, 0, s)} deviceExternalId`,
    )
      .replace('src=198.51.100.9', `src=${ip}`)
      .replace('dpt=3389', `dpt=${port}`),
  );

function syslogTime(s: number): string {
  const d = new Date(Date.UTC(2024, 9, 11, 22, 0, s));
  return `Oct 11 ${d.toISOString().slice(11, 19)}`;
}

// ---- a small event_count / value_count evaluator over the real engine's matches ----

interface Firing {
  readonly rule: string;
  readonly group: string;
  readonly count: number;
}

function matchedNames(event: IngestEvent): string[] {
  return engine
    .match(sigmaView(event), event.log_source)
    .map((m) => m.rule.name ?? m.rule.id ?? '');
}

function correlate(rule: CorrelationRule, stream: readonly IngestEvent[]): Firing[] {
  const windows = new Map<string, { time: number; value: string | undefined }[]>();
  const fired: Firing[] = [];
  const threshold = rule.condition.get('gte') ?? (rule.condition.get('gt') ?? 0) + 1;
  const sorted = [...stream].sort((a, b) => a['@timestamp'].localeCompare(b['@timestamp']));
  for (const event of sorted) {
    if (!matchedNames(event).some((name) => rule.rules.includes(name))) continue;
    const group = rule.groupBy.map((f) => text(eventField(event, f))).join('|');
    const time = Date.parse(event['@timestamp']);
    const value = rule.field === undefined ? undefined : text(eventField(event, rule.field));
    const window = (windows.get(group) ?? []).filter(
      (entry) => entry.time > time - rule.timespanMs,
    );
    window.push({ time, value });
    windows.set(group, window);
    const count =
      rule.type === 'value_count' ? new Set(window.map((e) => e.value)).size : window.length;
    if (count >= threshold && !fired.some((f) => f.group === group))
      fired.push({ rule: rule.title, group, count });
  }
  return fired;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function correlation(title: string): CorrelationRule {
  const rule = loaded.correlations.find((r) => r.title === title);
  if (rule === undefined) throw new Error(`no correlation titled ${title}`);
  return rule;
}

/** Field names a detection uses (map keys, without modifiers). */
function detectionFields(rule: DetectionRule): string[] {
  const fields = new Set<string>();
  const visit = (value: YamlValue): void => {
    if (Array.isArray(value)) for (const item of value) visit(item);
    else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value)) fields.add(key.split('|')[0]!);
    }
  };
  for (const value of Object.values(rule.detection)) visit(value);
  return [...fields];
}

// ---- the samples every base rule must match ----

const SAMPLES: Readonly<Record<string, IngestEvent>> = {
  cordon_sshd_failed_login: sshFailure(0, '198.51.100.23'),
  cordon_spray_sshd_failed_login: sshFailure(1, '198.51.100.23', 'oracle'),
  cordon_windows_failed_logon: evtxFailure(0, '10.1.1.1', 'jdoe'),
  cordon_spray_windows_failed_logon: windowsFailure(0, '198.51.100.77'),
  cordon_rdp_failed_logon_security: windowsFailure(0, '198.51.100.77'),
  cordon_rdp_failed_logon_rdpcorets: rdpCoreTs(0, '198.51.100.77'),
  cordon_spray_aws_console_login_failed: consoleFailure(0, '198.51.100.66', 'ops-admin'),
  cordon_scan_zeek_conn_unanswered: zeekConn(0, '198.51.100.9', 22),
  cordon_scan_suricata_flow: eveFlow(0, '198.51.100.9', 3389),
  cordon_scan_firewall_denied: cefDeny(0, '198.51.100.9', 3389),
};

describe('our correlation rules', () => {
  it('load and validate with @cordon/sigma', () => {
    expect(loaded.rejected).toEqual([]);
    expect(engine.rejected).toEqual([]);
    expect(loaded.correlations).toHaveLength(5);
    expect(loaded.detections.map((r) => r.name).sort()).toEqual(Object.keys(SAMPLES).sort());
  });

  it.each(Object.keys(SAMPLES))(
    'base rule %s: its fields exist in our event, and the engine matches it',
    (name) => {
      const rule = loaded.detections.find((r) => r.name === name)!;
      const event = SAMPLES[name]!;
      for (const field of detectionFields(rule)) {
        expect(eventField(event, field), `${name}: field ${field}`).not.toBeUndefined();
      }
      expect(matchedNames(event)).toContain(name);
    },
  );

  it('each correlation’s group-by and counted fields exist in the events of its base rules', () => {
    for (const rule of loaded.correlations) {
      for (const base of rule.rules) {
        const event = SAMPLES[base];
        expect(event, `${rule.title}: sample for ${base}`).toBeDefined();
        for (const field of [...rule.groupBy, ...(rule.field === undefined ? [] : [rule.field])]) {
          expect(eventField(event!, field), `${rule.title}/${base}: ${field}`).not.toBeUndefined();
        }
      }
    }
  });

  it('base rules do not match unrelated events', () => {
    expect(matchedNames(sshAccepted(0, '198.51.100.23'))).toEqual([]);
    expect(matchedNames(sshInvalid(0, '198.51.100.23'))).toEqual([]);
    expect(matchedNames(parseOne(JSON.stringify(EVTX_4624)))).toEqual([]);
    expect(matchedNames(zeekConn(0, '198.51.100.9', 22, 'SF'))).toEqual([]);
    expect(matchedNames(windowsFailure(0, '198.51.100.77', 'administrator', '3'))).not.toContain(
      'cordon_rdp_failed_logon_security',
    );
  });
});

describe('correlations on sample streams', () => {
  it('SSH brute force: fires for the attacking source and host only', () => {
    const stream = [
      ...Array.from({ length: 12 }, (_, i) => sshFailure(i * 10, '198.51.100.23')),
      ...Array.from({ length: 12 }, (_, i) => sshInvalid(i * 10 + 1, '198.51.100.23')),
      ...Array.from({ length: 5 }, (_, i) => sshFailure(i * 10, '203.0.113.5')),
      ...Array.from({ length: 3 }, (_, i) => sshAccepted(i, '192.0.2.10')),
    ];
    expect(correlate(correlation('SSH Brute Force Against a Host'), stream)).toEqual([
      { rule: 'SSH Brute Force Against a Host', group: '198.51.100.23|bastion', count: 10 },
    ]);
    // The same number of failures spread over more than the window does not fire.
    const slow = Array.from({ length: 12 }, (_, i) => sshFailure(i * 40, '198.51.100.23'));
    expect(correlate(correlation('SSH Brute Force Against a Host'), slow)).toEqual([]);
  });

  it('Windows brute force: 10 failures for one account on one host', () => {
    const stream = Array.from({ length: 10 }, (_, i) =>
      windowsFailure(i * 5, '198.51.100.77', 'administrator', '3'),
    );
    expect(correlate(correlation('Windows Logon Brute Force Against an Account'), stream)).toEqual([
      {
        rule: 'Windows Logon Brute Force Against an Account',
        group: 'DC01.corp.example|administrator',
        count: 10,
      },
    ]);
    expect(
      correlate(correlation('Windows Logon Brute Force Against an Account'), stream.slice(1)),
    ).toEqual([]);
  });

  it('RDP brute force: 4625 type 10 and RdpCoreTS 140 count together', () => {
    const stream = [
      ...Array.from({ length: 4 }, (_, i) => windowsFailure(i * 5, '198.51.100.77')),
      ...Array.from({ length: 4 }, (_, i) => rdpCoreTs(i * 5 + 1, '198.51.100.77')),
      ...Array.from({ length: 6 }, (_, i) =>
        windowsFailure(i * 5 + 2, '198.51.100.78', 'administrator', '3'),
      ),
    ];
    expect(correlate(correlation('RDP Brute Force From One Source'), stream)).toEqual([
      {
        rule: 'RDP Brute Force From One Source',
        group: '198.51.100.77|DC01.corp.example',
        count: 8,
      },
    ]);
  });

  it('password spraying: ten users from one source across SSH, Windows and AWS', () => {
    const users = [
      'alice',
      'bob',
      'carol',
      'dave',
      'erin',
      'frank',
      'grace',
      'heidi',
      'ivan',
      'judy',
    ];
    const ip = '198.51.100.99';
    const stream = users.map((user, i) =>
      i % 3 === 0
        ? sshFailure(i * 30, ip, user)
        : i % 3 === 1
          ? windowsFailure(i * 30, ip, user, '3')
          : consoleFailure(i * 30, ip, user),
    );
    expect(correlate(correlation('Password Spraying From One Source'), stream)).toEqual([
      { rule: 'Password Spraying From One Source', group: ip, count: 10 },
    ]);
    // Many attempts against the same few users are brute force, not spraying.
    const repeated = Array.from({ length: 30 }, (_, i) => sshFailure(i, ip, users[i % 3]));
    expect(correlate(correlation('Password Spraying From One Source'), repeated)).toEqual([]);
  });

  it('port scan: 25 distinct ports from one source across Zeek, Suricata and the firewall', () => {
    const ip = '198.51.100.9';
    const stream = Array.from({ length: 25 }, (_, i) => {
      const port = 1000 + i;
      return i % 3 === 0
        ? zeekConn(i, ip, port)
        : i % 3 === 1
          ? eveFlow(i, ip, port)
          : cefDeny(i, ip, port);
    });
    expect(correlate(correlation('Port Scan From One Source'), stream)).toEqual([
      { rule: 'Port Scan From One Source', group: ip, count: 25 },
    ]);
    // Many connections to one port (a busy client) are not a scan.
    const busy = Array.from({ length: 40 }, (_, i) => zeekConn(i, ip, 443, 'S0'));
    expect(correlate(correlation('Port Scan From One Source'), busy)).toEqual([]);
  });
});
