/**
 * `npm run eval:detection`: a labelled evaluation of the behavioural detectors. It generates
 * three days of normal activity for 20 hosts and 12 users (browsing, DNS, logons with typos,
 * process starts, diurnal upload volume) and, on the last day, injected attacks it labels —
 * with fixed seeds, so every run is the same. The records are SYNTHETIC log lines (Zeek conn
 * and dns JSON, Windows Security 4624/4625/4688 JSON), not lab traffic; they go through the
 * real parser (@cordon/ingest `parseRecord`), the real `BehaviourService` and triage on a real
 * SQLite store, with the real offline IP database. Per detector it prints TP, FP, FN,
 * precision, recall and the median time to detect (event time from the attack's first event
 * to the alert's last one), then one line of JSON.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Alert, Clock, Principal } from '@cordon/core';
import { AccessService, LoginThrottle, TriageService, UNRECORDED_PROVENANCE } from '@cordon/core';
import type { IngestEvent } from '@cordon/ingest';
import { parseRecord } from '@cordon/ingest';
import { openStore } from '@cordon/storage';
import { BehaviourService } from '../src/detection/behaviour.service.ts';
import { DETECTOR_KINDS } from '../src/detection/detectors/detector-catalogue.ts';
import { IpLocationDb } from '../src/identification/ip-location-db.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 4, 6, 0, 0, 0);
const DAYS = 4;
const ATTACK_DAY = T0 + (DAYS - 1) * 24 * HOUR;

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
const rnd = seeded(17);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)]!;

interface Label {
  readonly detector: string;
  /** An entity the alert must name (host, user or address). */
  readonly entity: string;
  readonly startMs: number;
  readonly what: string;
}
const labels: Label[] = [];
const records: { at: number; raw: string }[] = [];
const add = (at: number, raw: object): void => void records.push({ at, raw: JSON.stringify(raw) });

const conn = (at: number, src: string, dst: string, port: number, bytes: number, state = 'SF') =>
  add(at, {
    ts: at / 1000,
    uid: `C${records.length}`,
    'id.orig_h': src,
    'id.orig_p': 40000 + (records.length % 20000),
    'id.resp_h': dst,
    'id.resp_p': port,
    proto: 'tcp',
    conn_state: state,
    orig_bytes: bytes,
    resp_bytes: 2000,
  });
const dns = (at: number, src: string, query: string, rcode = 'NOERROR') =>
  add(at, {
    ts: at / 1000,
    uid: `D${records.length}`,
    'id.orig_h': src,
    'id.orig_p': 53000,
    'id.resp_h': '10.0.0.53',
    'id.resp_p': 53,
    proto: 'udp',
    query,
    qtype_name: 'A',
    rcode_name: rcode,
  });
const logon = (at: number, user: string, ip: string, ok: boolean) =>
  add(at, {
    '@timestamp': new Date(at).toISOString(),
    winlog: {
      channel: 'Security',
      computer_name: 'DC01.corp.example',
      event_id: ok ? 4624 : 4625,
      provider_name: 'Microsoft-Windows-Security-Auditing',
      event_data: {
        TargetUserName: user,
        TargetDomainName: 'CORP',
        LogonType: '10',
        IpAddress: ip,
        IpPort: '0',
      },
    },
  });
const processStart = (at: number, host: string, image: string, parent: string) =>
  add(at, {
    '@timestamp': new Date(at).toISOString(),
    winlog: {
      channel: 'Security',
      computer_name: host,
      event_id: 4688,
      provider_name: 'Microsoft-Windows-Security-Auditing',
      event_data: {
        NewProcessName: `C:\\Apps\\${image}`,
        ParentProcessName: `C:\\Apps\\${parent}`,
        SubjectUserName: 'user',
        NewProcessId: '0x10',
        ProcessId: '0x4',
      },
    },
  });

// ---- where logons come from: real addresses, their countries from the offline database ----
const geo = new IpLocationDb();
const candidates = [
  '81.2.69.142',
  '8.8.8.8',
  '1.1.1.1',
  '200.160.2.3',
  '133.11.0.1',
  '5.8.8.8',
  '41.0.0.1',
  '62.4.0.1',
];
const located: { ip: string; country: string }[] = [];
for (const ip of candidates) {
  const answer = await geo.lookup(ip);
  if (answer?.country && !located.some((l) => l.country === answer.country))
    located.push({ ip, country: answer.country });
}

// ---- normal activity ----
const hosts = Array.from({ length: 20 }, (_, i) => `10.0.0.${i + 20}`);
const names = (h: number) => `ws${String(h).padStart(2, '0')}.corp.example`;
const sites = Array.from({ length: 60 }, (_, i) => `198.51.${100 + (i % 3)}.${10 + i}`);
const domains = [
  'example.com',
  'example.org',
  'news.example.net',
  'cdn.example.net',
  'mail.example.com',
  'update.example.org',
];
const users = Array.from({ length: 12 }, (_, i) => `user${i}`);
const home = located[0]!;
const commonProcesses = [
  'chrome.exe',
  'outlook.exe',
  'winword.exe',
  'excel.exe',
  'teams.exe',
  'svchost.exe',
];
for (let day = 0; day < DAYS; day++) {
  for (const [h, ip] of hosts.entries()) {
    for (let hour = 0; hour < 24; hour++) {
      const office = hour >= 8 && hour < 18;
      const start = T0 + (day * 24 + hour) * HOUR;
      let t = start;
      // browsing: exponential gaps, varied sizes
      while ((t += -Math.log(1 - rnd()) * (office ? 4 : 30) * 60_000) < start + HOUR)
        conn(
          t,
          ip,
          pick(sites),
          443,
          Math.round((office ? 200_000 : 20_000) * (0.2 + rnd() * 1.6)),
        );
      for (let q = 0; q < (office ? 12 : 2); q++)
        dns(start + rnd() * HOUR, ip, `${pick(['www', 'api', 'img', 'static'])}.${pick(domains)}`);
      if (office && rnd() < 0.5)
        processStart(start + rnd() * HOUR, names(h), pick(commonProcesses), 'explorer.exe');
    }
  }
  for (const user of users) {
    const at = T0 + day * 24 * HOUR + (8 + rnd() * 2) * HOUR;
    if (rnd() < 0.3) logon(at - 60_000, user, home.ip, false); // a typo
    logon(at, user, home.ip, true);
    logon(at + 4 * HOUR, user, home.ip, true);
    for (let k = 0; k < 3; k++) logon(at + (1 + k) * HOUR, user, home.ip, true);
  }
}
// Enough logon history: earlier days of the same habit (the login-pattern baseline).
for (let day = 1; day <= 10; day++)
  for (const user of users) logon(T0 - day * 24 * HOUR + 9 * HOUR, user, home.ip, true);

// ---- attacks on the last day ----
const attack = (detector: string, entity: string, startMs: number, what: string) =>
  labels.push({ detector, entity, startMs, what });
{
  const start = ATTACK_DAY + 6 * HOUR;
  attack('beaconing', '203.0.113.50', start, 'beacon every 5 min ±30 % for 4 h');
  for (let t = start; t < start + 4 * HOUR; t += 5 * 60_000 * (0.7 + 0.6 * rnd()))
    conn(t, hosts[5]!, '203.0.113.50', 443, 400 + Math.round(rnd() * 40));
  const slow = ATTACK_DAY + 2 * HOUR;
  attack('beaconing', '203.0.113.51', slow, 'slow beacon every 40 min ±20 % for 12 h');
  for (let t = slow; t < slow + 12 * HOUR; t += 40 * 60_000 * (0.8 + 0.4 * rnd()))
    conn(t, hosts[6]!, '203.0.113.51', 8443, 1200);
}
{
  const start = ATTACK_DAY + 10 * HOUR;
  attack('port-scan', '10.0.0.66', start, 'vertical scan of 100 ports over 20 min');
  for (let p = 1; p <= 100; p++) conn(start + p * 12_000, '10.0.0.66', '10.0.0.10', p, 0, 'REJ');
  attack('port-scan', '10.0.0.67', start + HOUR, 'slow horizontal sweep of port 445 over 50 min');
  for (let i = 1; i <= 40; i++)
    conn(start + HOUR + i * 75_000, '10.0.0.67', `10.0.1.${i}`, 445, 0, 'S0');
}
{
  const start = ATTACK_DAY + 13 * HOUR;
  attack('auth-attack', '198.51.200.7', start, 'password spraying of 12 accounts');
  for (const [i, user] of users.entries()) logon(start + i * 40_000, user, '198.51.200.7', false);
  attack('auth-attack', 'admin', start + HOUR, '30 failures of admin then a success');
  for (let i = 0; i < 30; i++) logon(start + HOUR + i * 20_000, 'admin', '198.51.200.8', false);
  logon(start + HOUR + 31 * 20_000, 'admin', '198.51.200.8', true);
}
{
  const start = ATTACK_DAY + 11 * HOUR;
  attack('rare-process', names(3), start, 'Word starts PowerShell');
  processStart(start, names(3), 'powershell.exe', 'winword.exe');
  attack('rare-process', names(4), start + HOUR, 'rclone.exe on one host');
  processStart(start + HOUR, names(4), 'rclone.exe', 'cmd.exe');
}
if (located.length >= 2) {
  const far = located.find((l) => l.country !== home.country)!;
  const start = ATTACK_DAY + 9.5 * HOUR;
  attack(
    'login-pattern',
    'user3',
    start,
    `logon from ${far.country} 30 min after one from ${home.country}`,
  );
  logon(start, 'user3', far.ip, true);
}
{
  const start = ATTACK_DAY + 15 * HOUR;
  attack('outbound-volume', hosts[9]!, start, '900 MB uploaded in one hour');
  for (let i = 0; i < 30; i++)
    conn(start + i * 110_000, hosts[9]!, '203.0.113.80', 443, 30_000_000);
}
{
  const start = ATTACK_DAY + 16 * HOUR;
  attack('dns-tunnel', hosts[12]!, start, 'encoded subdomains of one domain');
  const chars = 'abcdefghijklmnopqrstuvwxyz234567';
  for (let i = 0; i < 200; i++) {
    const label = Array.from({ length: 48 }, () => pick([...chars])).join('');
    dns(start + i * 9_000, hosts[12]!, `${label}.t.exfil-example.com`);
  }
  attack('dns-tunnel', hosts[13]!, start + HOUR, 'NXDOMAIN burst of 80 generated names');
  for (let i = 0; i < 80; i++) {
    const name = Array.from({ length: 14 }, () => pick([...'abcdefghijklmnopqrstuvwxyz'])).join('');
    dns(start + HOUR + i * 15_000, hosts[13]!, `${name}.com`, 'NXDOMAIN');
  }
}

// ---- through the parser, the detectors and triage ----
records.sort((a, b) => a.at - b.at);
const events: IngestEvent[] = [];
for (const record of records) {
  const outcome = parseRecord(record.raw, { receivedAt: new Date(record.at) });
  if (outcome.kind === 'events') events.push(...outcome.events);
}
const dataDir = mkdtempSync(join(tmpdir(), 'cordon-eval-detection-'));
const clock: Clock = { now: () => Date.now() };
const store = await openStore({ url: undefined, dataDir, schema: undefined, clock });
const system: Principal = { kind: 'system', name: 'eval' };
const tenantId = (
  await new AccessService(store, clock, new LoginThrottle()).createTenant(system, 'eval')
).id;
const behaviour = new BehaviourService({
  store,
  clock,
  triage: new TriageService(store, clock),
  listeners: [],
  geo,
});
const started = performance.now();
for (let i = 0; i < events.length; i += 1000)
  await behaviour.consume(
    tenantId,
    events
      .slice(i, i + 1000)
      .map((event, k) => ({ id: `e${i + k}`, event, provenance: UNRECORDED_PROVENANCE })),
  );
const ms = performance.now() - started;
const alerts: Alert[] = [];
await store.transaction(async (uow) => {
  const page = await uow.forTenant(tenantId).detection.alerts.list({}, { limit: 1000, offset: 0 });
  alerts.push(...page.items);
});
await behaviour.close();
await store.close();
rmSync(dataDir, { recursive: true, force: true });

// ---- scoring against the labels ----
const named = (a: Alert): string[] => [
  ...a.entities.hosts,
  ...a.entities.users,
  ...a.entities.sourceIps,
  ...a.entities.ips,
];
const rows = DETECTOR_KINDS.map(({ name }) => {
  const mine = alerts.filter((a) => a.ruleId === `cordon-behaviour-${name}`);
  const expected = labels.filter((l) => l.detector === name);
  const found = expected.map((l) => mine.filter((a) => named(a).includes(l.entity.toLowerCase())));
  const tp = found.filter((f) => f.length > 0).length;
  const fp = mine.filter(
    (a) => !expected.some((l) => named(a).includes(l.entity.toLowerCase())),
  ).length;
  const fn = expected.length - tp;
  const delays = expected
    .flatMap((l, i) => found[i]!.map((a) => (a.lastSeen - l.startMs) / 60_000))
    .filter((d) => d >= 0);
  const sorted = delays.sort((a, b) => a - b);
  return {
    detector: name,
    tp,
    fp,
    fn,
    precision: tp + fp === 0 ? null : Number((tp / (tp + fp)).toFixed(3)),
    recall: expected.length === 0 ? null : Number((tp / expected.length).toFixed(3)),
    ttd_minutes_median: sorted.length
      ? Number(sorted[Math.floor(sorted.length / 2)]!.toFixed(1))
      : null,
    missed: expected.filter((_, i) => found[i]!.length === 0).map((l) => l.what),
  };
});
console.log('detector          TP  FP  FN  precision  recall  median time to detect');
for (const r of rows)
  console.log(
    `${r.detector.padEnd(17)} ${String(r.tp).padStart(2)}  ${String(r.fp).padStart(2)}  ${String(r.fn).padStart(2)}  ${String(r.precision ?? '-').padStart(9)}  ${String(r.recall ?? '-').padStart(6)}  ${r.ttd_minutes_median ?? '-'} min${r.missed.length ? `  missed: ${r.missed.join('; ')}` : ''}`,
  );
const tp = rows.reduce((n, r) => n + r.tp, 0);
const fp = rows.reduce((n, r) => n + r.fp, 0);
const fn = rows.reduce((n, r) => n + r.fn, 0);
console.log(
  `${events.length} synthetic events (${labels.length} labelled attacks) in ${Math.round(ms)} ms; countries used: ${located.map((l) => l.country).join(', ')}`,
);
console.log(
  JSON.stringify({
    synthetic: true,
    events: events.length,
    attacks: labels.length,
    tp,
    fp,
    fn,
    precision: Number((tp / Math.max(1, tp + fp)).toFixed(3)),
    recall: Number((tp / Math.max(1, tp + fn)).toFixed(3)),
    pipeline_ms: Math.round(ms),
    detectors: rows,
  }),
);
