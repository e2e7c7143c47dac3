import { describe, expect, it } from 'vitest';
import type { IngestEvent } from '../ingest-event.ts';
import type { LineOutcome } from '../line-record-reader.ts';
import { LineRecordReader } from '../line-record-reader.ts';
import { eventField } from '../event-field.ts';
import { parseRecord } from '../parse-record.ts';
import type { ParseContext } from '../parse-context.ts';
import {
  AGENT_CONNECTION,
  AGENT_PROCESS,
  NETFILTER_ACCEPT_BARE,
  NETFILTER_DROP,
  NETFILTER_ICMP6,
  ZEEK_TSV_CONN,
  ZEEK_TSV_DNS,
  ZEEK_TSV_HTTP,
  ZEEK_TSV_LOGS,
  ZEEK_TSV_NOTICE,
  ZEEK_TSV_SSH,
  ZEEK_TSV_SSL,
  zeekTsvLog,
} from '../testing/sensor-samples.ts';
import { RECEIVED_AT, parseOne } from '../testing/test-support.ts';

function readLines(text: string, context: Partial<ParseContext> = {}): LineOutcome[] {
  const reader = new LineRecordReader({ receivedAt: RECEIVED_AT, ...context });
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => reader.read(line));
}

function zeekEvents(text: string, context: Partial<ParseContext> = {}): IngestEvent[] {
  return readLines(text, context).flatMap((outcome) => {
    if (outcome.kind === 'failure') throw new Error(`${outcome.code}: ${outcome.reason}`);
    return outcome.kind === 'events' ? outcome.events : [];
  });
}

describe('Zeek TSV logs (the default format) read with their #fields/#types header', () => {
  it('conn: typed values, ECS endpoints, bytes, duration, direction; unset fields absent', () => {
    const [tls, rejected, udp] = zeekEvents(ZEEK_TSV_CONN);
    expect(tls).toMatchObject({
      '@timestamp': '2024-10-11T22:14:15.123Z',
      event: { dataset: 'zeek.conn', action: 'SF', outcome: 'success', duration: 61002314000 },
      source: { ip: '10.0.0.23', port: 49812, bytes: 1843, packets: 24 },
      destination: { ip: '203.0.113.80', port: 443, bytes: 52210, packets: 45 },
      network: {
        transport: 'tcp',
        protocol: 'ssl',
        bytes: 54053,
        packets: 69,
        direction: 'outbound',
      },
      log_source: { product: 'zeek', service: 'conn' },
      fields: { _path: 'conn', 'id.resp_p': 443, local_orig: true, local_resp: false },
    });
    expect(tls!.fields.tunnel_parents).toEqual([]);
    expect(tls!.fields.duration).toBe(61.002314);
    expect(rejected).toMatchObject({
      event: { action: 'REJ', outcome: 'failure' },
      network: { direction: 'inbound' },
    });
    expect(rejected!.fields).not.toHaveProperty('service');
    expect(udp!.fields).not.toHaveProperty('duration');
    expect(udp!.fields.tunnel_parents).toEqual(['CUM0KZ3MLUfNB0cl11', 'CmES5u32sYpV7JYN']);
    expect(udp!.network).not.toHaveProperty('bytes');
    expect(eventField(udp!, 'id.orig_h')).toBe('10.0.0.23');
  });

  it('dns: vectors of strings and intervals, NXDOMAIN with unset answers', () => {
    const [a, txt] = zeekEvents(ZEEK_TSV_DNS);
    expect(a).toMatchObject({
      log_source: { product: 'zeek', service: 'dns', category: 'dns' },
      dns: {
        id: '38421',
        question: { name: 'xmr.pool.minergate.com', type: 'A' },
        response_code: 'NOERROR',
        resolved_ip: ['94.130.12.30'],
      },
      fields: { TTLs: [60, 60], RD: true, AA: false, qtype: 1, rtt: 0.0213 },
    });
    expect(txt).toMatchObject({
      dns: { question: { name: 'aGVsbG8gd29ybGQ.t.tunnel.example', type: 'TXT' } },
    });
    expect(txt!.dns?.response_code).toBe('NXDOMAIN');
    expect(txt!.fields).not.toHaveProperty('answers');
  });

  it('http: url split, escaped tab decoded, empty set, mime vector', () => {
    const [get, post] = zeekEvents(ZEEK_TSV_HTTP);
    expect(get).toMatchObject({
      url: {
        original: '/drop/stage2.exe?id=42',
        domain: 'files.evil.example',
        path: '/drop/stage2.exe',
        query: 'id=42',
      },
      destination: { domain: 'files.evil.example', port: 80 },
      http: { response: { status_code: 200, bytes: 73802, mime_type: 'application/x-dosexec' } },
      fields: { host: 'files.evil.example', tags: [], resp_mime_types: ['application/x-dosexec'] },
    });
    expect(post!.user_agent?.original).toBe('Mozilla/5.0\t(beacon)');
    expect(post!.http).toMatchObject({ request: { method: 'POST', body: { bytes: 512 } } });
  });

  it('ssl: SNI as tls.client.server_name and destination.domain, version in ECS form', () => {
    const [sni, noSni] = zeekEvents(ZEEK_TSV_SSL);
    expect(sni).toMatchObject({
      event: { dataset: 'zeek.ssl', action: 'tls-handshake' },
      destination: { domain: 'cdn.update-check.example', port: 443 },
      network: { protocol: 'tls' },
      tls: {
        version: '1.3',
        version_protocol: 'tls',
        cipher: 'TLS_AES_128_GCM_SHA256',
        established: true,
        resumed: false,
        next_protocol: 'h2',
        client: { server_name: 'cdn.update-check.example' },
      },
      log_source: { product: 'zeek', service: 'ssl' },
      fields: { server_name: 'cdn.update-check.example', cert_chain_fps: [] },
    });
    expect(noSni!.tls).toMatchObject({ version: '1.2', resumed: true });
    expect(noSni!.tls?.client).toBeUndefined();
    expect(noSni!.fields.cert_chain_fps).toEqual(['d4b1c1a6e6b1f2e7', '9a8b7c6d5e4f3a2b']);
  });

  it('ssh: authentication outcome from auth_success (unset → unknown)', () => {
    const events = zeekEvents(ZEEK_TSV_SSH);
    expect(events.map((e) => e.event.outcome)).toEqual(['failure', 'success', 'unknown']);
    expect(events[0]).toMatchObject({
      event: { category: ['network', 'authentication'], action: 'ssh-authentication' },
      network: { protocol: 'ssh' },
      fields: { auth_attempts: 6, client: 'SSH-2.0-libssh2_1.10.0', version: 2 },
    });
  });

  it('notice: an alert named by the note, endpoints from src/dst when no connection', () => {
    const [scan, guessing] = zeekEvents(ZEEK_TSV_NOTICE);
    expect(scan).toMatchObject({
      event: { kind: 'alert', action: 'Scan::Port_Scan', dataset: 'zeek.notice' },
      rule: { name: 'Scan::Port_Scan', description: 'local' },
      source: { ip: '198.51.100.9' },
      destination: { ip: '10.0.0.5' },
      log_source: { product: 'zeek', service: 'notice' },
      fields: { actions: ['Notice::ACTION_LOG'], suppress_for: 3600 },
    });
    expect(scan!.message).toContain('scanned at least 15 unique ports');
    expect(guessing).toMatchObject({
      source: { ip: '198.51.100.9', port: 40022 },
      fields: { n: 30, 'remote_location.latitude': 52.3824 },
    });
  });

  it('every listed log: each data line one event, header lines consumed, nothing dead-lettered', () => {
    for (const [path, text] of Object.entries(ZEEK_TSV_LOGS)) {
      const outcomes = readLines(text);
      const rows = text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length;
      expect(outcomes.filter((o) => o.kind === 'events')).toHaveLength(rows);
      expect(outcomes.filter((o) => o.kind === 'failure')).toHaveLength(0);
      expect(zeekEvents(text).every((e) => e.log_source.service === path)).toBe(true);
    }
  });

  it('two logs concatenated: the second #separator starts a new header', () => {
    const events = zeekEvents(ZEEK_TSV_SSH + ZEEK_TSV_CONN);
    expect(events.map((e) => e.event.dataset)).toEqual([
      ...Array(3).fill('zeek.ssh'),
      ...Array(3).fill('zeek.conn'),
    ]);
  });

  it('a row with the wrong column count or a bad typed value is a failure for that row only', () => {
    const text = zeekTsvLog(
      'conn',
      [
        ['ts', 'time'],
        ['uid', 'string'],
        ['id.orig_h', 'addr'],
        ['orig_bytes', 'count'],
        ['local_orig', 'bool'],
      ],
      [
        ['1728684855.0', 'C1', '10.0.0.1', '10', 'T'],
        ['1728684855.0', 'C2', '10.0.0.1', '10'],
        ['1728684855.0', 'C3', '10.0.0.1', 'ten', 'T'],
        ['1728684855.0', 'C4', '10.0.0.1', '10', 'yes'],
        ['1728684855.0', 'C5', '10.0.0.1', '11', 'F'],
      ],
    );
    const outcomes = readLines(text).filter((o) => o.kind !== 'header');
    expect(outcomes.map((o) => o.kind)).toEqual([
      'events',
      'failure',
      'failure',
      'failure',
      'events',
    ]);
    const reasons = outcomes.flatMap((o) => (o.kind === 'failure' ? [o.reason] : []));
    expect(reasons[0]).toMatch(/4 columns; the #fields header names 5/);
    expect(reasons[1]).toMatch(/orig_bytes \(count\): not an integer/);
    expect(reasons[2]).toMatch(/local_orig \(bool\): not T or F/);
  });

  it('bounded: too many columns or header lines are refused; without a header a TSV line is not guessed', () => {
    const wide = `#separator \\x09\n#fields\t${Array.from({ length: 300 }, (_, i) => `f${i}`).join('\t')}`;
    const [, fields] = readLines(wide);
    expect(fields).toMatchObject({ kind: 'failure', code: 'malformed' });
    expect((fields as { reason: string }).reason).toMatch(/300 columns; at most 256/);
    const many = readLines(Array(40).fill('#path\tconn').join('\n'));
    expect(many.filter((o) => o.kind === 'failure')).toHaveLength(8);
    const orphan = parseRecord('1728684855.0\tC1\t10.0.0.1\t10', { receivedAt: RECEIVED_AT });
    expect(orphan).toMatchObject({ kind: 'failure', code: 'unrecognised_format' });
    // Under another hint, `#` lines are that format's (a syslog text line starting with #).
    const hinted = readLines(ZEEK_TSV_CONN, { hint: 'json' });
    expect(hinted.every((o) => o.kind === 'failure')).toBe(true);
  });

  it('Zeek JSON ssl/ssh/notice are recognised by their fields without _path', () => {
    const ssl = parseOne(
      '{"ts":1728684855.2,"uid":"C1","id.orig_h":"10.0.0.23","id.orig_p":49812,"id.resp_h":"203.0.113.80","id.resp_p":443,"version":"TLSv12","cipher":"TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256","server_name":"a.example","established":true}',
    );
    expect(ssl).toMatchObject({
      log_source: { service: 'ssl' },
      tls: { version: '1.2', client: { server_name: 'a.example' } },
    });
    const ssh = parseOne(
      '{"ts":1728684861.0,"uid":"C2","id.orig_h":"198.51.100.9","id.orig_p":40022,"id.resp_h":"10.0.0.5","id.resp_p":22,"auth_success":false,"auth_attempts":3}',
    );
    expect(ssh).toMatchObject({ log_source: { service: 'ssh' }, event: { outcome: 'failure' } });
    const notice = parseOne(
      '{"ts":1728684870.0,"note":"Scan::Address_Scan","msg":"198.51.100.9 scanned at least 25 unique hosts on port 445/tcp","src":"198.51.100.9","p":445}',
    );
    expect(notice).toMatchObject({
      event: { kind: 'alert' },
      source: { ip: '198.51.100.9' },
      destination: { port: 445 },
    });
  });
});

describe('netfilter packet-log lines', () => {
  it('nftables drop under a syslog header: ECS endpoints, interfaces, verdict, flags', () => {
    const e = parseOne(NETFILTER_DROP);
    expect(e).toMatchObject({
      event: {
        dataset: 'netfilter.log',
        action: 'nft-drop-in',
        type: ['connection', 'denied'],
        outcome: 'failure',
      },
      host: { name: 'fw01' },
      source: { ip: '198.51.100.7', port: 44321, mac: '52-54-00-65-43-21' },
      destination: { ip: '10.0.0.5', port: 22, mac: '52-54-00-12-34-56' },
      network: { transport: 'tcp', bytes: 60, packets: 1, type: 'ipv4' },
      observer: { ingress: { interface: { name: 'eth0' } }, type: 'firewall' },
      log_source: { product: 'linux', category: 'firewall' },
      fields: {
        SRC: '198.51.100.7',
        DPT: 22,
        TTL: 52,
        flags: ['DF', 'SYN'],
        prefix: 'nft-drop-in',
      },
      tags: ['tcp_syn'],
    });
    expect(e.observer).not.toHaveProperty('egress');
    expect(e['@timestamp']).toBe('2024-10-11T22:14:15.000Z');
  });

  it('a bare kernel line (dmesg) and an RFC 5424 IPv6 ICMP line', () => {
    const bare = parseOne(NETFILTER_ACCEPT_BARE);
    expect(bare).toMatchObject({
      event: { type: ['connection', 'allowed'], action: 'iptables-accept-out' },
      observer: { egress: { interface: { name: 'eth0' } } },
      network: { transport: 'udp', bytes: 1500 },
      fields: { LEN: 1500, udp_LEN: 1480, DPT: 443 },
      tags: ['timestamp_from_receive_time'],
    });
    const icmp = parseOne(NETFILTER_ICMP6);
    expect(icmp).toMatchObject({
      event: { action: 'packet-logged', type: ['connection'] },
      source: { ip: '2001:0db8:0000:0000:0000:0000:0000:0001' },
      network: { transport: 'icmpv6', type: 'ipv6' },
      fields: { TYPE: 128, HOPLIMIT: 63 },
    });
    expect(icmp.source).not.toHaveProperty('port');
  });
});

describe('agent telemetry', () => {
  it('connections keep the agent log source, ECS endpoints and the Sigma-facing fields', () => {
    const e = parseOne(AGENT_CONNECTION);
    expect(e).toMatchObject({
      '@timestamp': '2024-10-11T22:14:15.000Z',
      event: { dataset: 'agent.network', module: 'agent', action: 'connection-observed' },
      host: { name: 'ws-017' },
      source: { ip: '10.0.0.23', port: 49812 },
      destination: { ip: '203.0.113.80', port: 443 },
      network: { transport: 'tcp' },
      log_source: { product: 'linux', category: 'network_connection' },
      fields: { DestinationIp: '203.0.113.80', DestinationPort: 443 },
    });
    expect(eventField(e, 'DestinationPort')).toBe(443);
  });

  it('processes: Image and ParentImage resolve for Sigma rules', () => {
    const e = parseOne(AGENT_PROCESS);
    expect(e.log_source).toEqual({ product: 'linux', category: 'process_creation' });
    expect(eventField(e, 'Image')).toBe('/usr/bin/bash');
    expect(eventField(e, 'ParentImage')).toBe('/usr/bin/python3');
    expect(e.process).toMatchObject({ parent: { executable: '/usr/bin/python3' } });
  });
});
