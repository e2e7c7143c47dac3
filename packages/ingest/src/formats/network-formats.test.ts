import { describe, expect, it } from 'vitest';
import { eventField } from '../event-field.ts';
import { sigmaView } from '../sigma-view.ts';
import {
  EVE_ALERT,
  EVE_DNS,
  EVE_FLOW,
  EVE_HTTP,
  ZEEK_CONN,
  ZEEK_DNS,
  ZEEK_HTTP,
} from '../testing/samples.ts';
import { parseOne } from '../testing/test-support.ts';

describe('Zeek JSON', () => {
  it('conn: flat Zeek names, ECS endpoints, rejected → failure', () => {
    const e = parseOne(ZEEK_CONN);
    expect(e).toMatchObject({
      '@timestamp': '2024-10-11T22:14:15.123Z',
      event: {
        dataset: 'zeek.conn',
        category: ['network'],
        type: ['connection'],
        action: 'REJ',
        outcome: 'failure',
        id: 'CHhAvVGS1DHFjwGM9',
      },
      source: { ip: '198.51.100.9', port: 51515, bytes: 0, packets: 1 },
      destination: { ip: '10.0.0.5', port: 22 },
      network: { transport: 'tcp', protocol: 'ssh' },
      log_source: { product: 'zeek', service: 'conn' },
      fields: { 'id.orig_h': '198.51.100.9', conn_state: 'REJ', history: 'Sr' },
    });
    expect(eventField(e, 'id.resp_p')).toBe(22);
  });

  it('dns: query, answers and resolved IPs; category dns', () => {
    const e = parseOne(ZEEK_DNS);
    expect(e).toMatchObject({
      log_source: { product: 'zeek', service: 'dns', category: 'dns' },
      dns: {
        question: { name: 'xmr.pool.minergate.com', type: 'A' },
        response_code: 'NOERROR',
        resolved_ip: ['94.130.12.30'],
      },
      fields: { query: 'xmr.pool.minergate.com', qtype_name: 'A' },
    });
    expect(e['@timestamp']).toBe('2024-10-11T22:14:15.500Z');
  });

  it('http: Zeek `host` stays the HTTP host for rules; ECS host is separate', () => {
    const e = parseOne(ZEEK_HTTP);
    expect(e).toMatchObject({
      url: {
        original: '/drop/stage2.exe?id=42',
        domain: 'files.evil.example',
        path: '/drop/stage2.exe',
        query: 'id=42',
      },
      http: { request: { method: 'GET' }, response: { status_code: 200, bytes: 73802 } },
      user_agent: { original: 'Microsoft-WebDAV-MiniRedir/10.0.19045' },
      log_source: { product: 'zeek', service: 'http' },
    });
    expect(eventField(e, 'host')).toBe('files.evil.example');
    expect(sigmaView(e).host).toBe('files.evil.example');
  });
});

describe('Suricata EVE', () => {
  it('alert → event.kind alert, rule, severity', () => {
    const e = parseOne(EVE_ALERT);
    expect(e).toMatchObject({
      '@timestamp': '2024-10-11T22:14:15.123Z',
      event: {
        kind: 'alert',
        action: 'alert',
        code: '2001219',
        severity: 2,
        category: ['network', 'intrusion_detection'],
      },
      rule: {
        id: '2001219',
        name: 'ET SCAN Potential SSH Scan',
        category: 'Attempted Information Leak',
      },
      source: { ip: '198.51.100.9', port: 51515 },
      destination: { ip: '10.0.0.5', port: 22 },
      network: { transport: 'tcp', community_id: '1:LQU9qZlK+B5F3KDmev6m5PMibrg=' },
      log_source: { product: 'suricata', service: 'alert' },
      message: 'ET SCAN Potential SSH Scan',
    });
    expect(eventField(e, 'alert.signature_id')).toBe(2001219);
  });

  it('flow, dns (v2 answers) and http', () => {
    expect(parseOne(EVE_FLOW)).toMatchObject({
      event: { category: ['network'], type: ['connection', 'end'], reason: 'timeout' },
      destination: { port: 3389, bytes: 54 },
      source: { bytes: 60, packets: 1 },
      log_source: { product: 'suricata', service: 'flow' },
    });
    expect(parseOne(EVE_DNS)).toMatchObject({
      dns: {
        question: { name: 'payload.evil.example', type: 'A' },
        response_code: 'NOERROR',
        resolved_ip: ['203.0.113.80'],
      },
      log_source: { category: 'dns' },
    });
    expect(parseOne(EVE_HTTP)).toMatchObject({
      url: { domain: 'files.evil.example', path: '/drop/stage2.exe' },
      http: { request: { method: 'GET' }, response: { status_code: 200 } },
      user_agent: { original: 'curl/8.5.0' },
    });
  });

  it('EVE through syslog keeps the syslog header', () => {
    const e = parseOne(`<133>Oct 11 22:14:15 ids-01 suricata[2101]: ${EVE_ALERT}`);
    expect(e).toMatchObject({
      event: { kind: 'alert' },
      host: { name: 'ids-01' },
      log: { syslog: { appname: 'suricata', priority: 133 } },
      log_source: { product: 'suricata' },
    });
  });
});
