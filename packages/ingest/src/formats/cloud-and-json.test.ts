import { describe, expect, it } from 'vitest';
import { eventField } from '../event-field.ts';
import {
  CEF_FIREWALL_DENY,
  CLOUDTRAIL_CONSOLE_LOGIN_FAILED,
  CLOUDTRAIL_SERVICE_CALL,
  CLOUDTRAIL_STOP_LOGGING,
} from '../testing/samples.ts';
import { parseMany, parseOne } from '../testing/test-support.ts';

describe('CloudTrail', () => {
  it('failed console login → authentication failure with source IP and user', () => {
    const e = parseOne(JSON.stringify(CLOUDTRAIL_CONSOLE_LOGIN_FAILED));
    expect(e).toMatchObject({
      '@timestamp': '2024-10-11T22:14:15.000Z',
      event: {
        action: 'ConsoleLogin',
        provider: 'signin.amazonaws.com',
        outcome: 'failure',
        category: ['authentication'],
        dataset: 'aws.cloudtrail',
      },
      cloud: {
        provider: 'aws',
        region: 'us-east-1',
        account: { id: '123456789012' },
        service: { name: 'signin' },
      },
      source: { ip: '198.51.100.66' },
      user: { name: 'ops-admin' },
      log_source: { product: 'aws', service: 'cloudtrail' },
    });
    expect(eventField(e, 'eventName')).toBe('ConsoleLogin');
    expect(eventField(e, 'userIdentity.type')).toBe('IAMUser');
  });

  it('assumed role user from the ARN; AWS service callers are domains, not IPs', () => {
    const stop = parseOne(JSON.stringify(CLOUDTRAIL_STOP_LOGGING));
    expect(stop).toMatchObject({
      user: { name: 'mallory' },
      event: { outcome: 'success', action: 'StopLogging' },
    });
    const service = parseOne(JSON.stringify(CLOUDTRAIL_SERVICE_CALL));
    expect(service.source).toEqual({ domain: 'ec2.amazonaws.com' });
  });

  it('reads the {"Records":[…]} file shape as one event per record', () => {
    const events = parseMany(
      JSON.stringify({
        Records: [
          CLOUDTRAIL_CONSOLE_LOGIN_FAILED,
          CLOUDTRAIL_STOP_LOGGING,
          CLOUDTRAIL_SERVICE_CALL,
        ],
      }),
      { hint: 'cloudtrail' },
    );
    expect(events.map((e) => e.event.action)).toEqual([
      'ConsoleLogin',
      'StopLogging',
      'AssumeRole',
    ]);
    expect(events[0]!.event.original).toBe(JSON.stringify(CLOUDTRAIL_CONSOLE_LOGIN_FAILED));
  });
});

describe('CEF events', () => {
  it('firewall deny: SigmaHQ firewall category and names, ECS network facts', () => {
    const e = parseOne(CEF_FIREWALL_DENY);
    expect(e).toMatchObject({
      '@timestamp': '2024-10-11T22:14:15.000Z',
      event: {
        action: 'deny',
        outcome: 'failure',
        category: ['network'],
        type: ['connection', 'denied'],
        code: 'end',
        severity: 3,
      },
      source: { ip: '198.51.100.9', port: 40001, bytes: 60 },
      destination: { ip: '10.0.0.5', port: 3389, bytes: 0 },
      network: { transport: 'tcp' },
      observer: {
        vendor: 'Palo Alto Networks',
        product: 'PAN-OS',
        hostname: 'pa-edge-01',
        type: 'firewall',
      },
      rule: { name: 'deny-all-inbound' },
      log_source: { category: 'firewall' },
      fields: {
        dst_port: 3389,
        src_ip: '198.51.100.9',
        dpt: '3389',
        deviceProduct: 'PAN-OS',
        cs1: 'deny-all-inbound',
      },
    });
    expect(e.user).toBeUndefined();
  });

  it('CEF inside syslog', () => {
    const e = parseOne(`<134>Oct 11 22:14:15 pa-edge-01 ${CEF_FIREWALL_DENY}`);
    expect(e).toMatchObject({
      log: { syslog: { priority: 134, hostname: 'pa-edge-01' } },
      destination: { port: 3389 },
    });
    const noHost = parseOne(`<134>Oct 11 22:14:15 ${CEF_FIREWALL_DENY}`);
    expect(noHost.destination?.port).toBe(3389);
  });

  it('non-firewall CEF keeps vendor names, no firewall category', () => {
    const e = parseOne(
      'CEF:0|Trend Micro|Deep Security Agent|20.0|4000000|Eicar_test_file|6|cn1=1 cn1Label=Host ID dvchost=web-01 act=Quarantine fname=eicar.com filePath=/tmp/eicar.com msg=Realtime suser=root',
    );
    expect(e).toMatchObject({
      host: { name: 'web-01' },
      file: { name: 'eicar.com', path: '/tmp/eicar.com' },
      user: { name: 'root' },
      message: 'Realtime',
      log_source: {},
    });
  });
});

describe('generic JSON', () => {
  it('finds time and host by common names and keeps the object', () => {
    const e = parseOne(
      '{"time":"2024-10-11T22:14:15Z","hostname":"app-7","level":"warn","msg":"login failed","user":"x"}',
    );
    expect(e).toMatchObject({
      '@timestamp': '2024-10-11T22:14:15.000Z',
      host: { name: 'app-7' },
      message: 'login failed',
      event: { dataset: 'json' },
      fields: { level: 'warn', user: 'x' },
    });
  });

  it('copies ECS-shaped parts of ECS input', () => {
    const e = parseOne(
      '{"@timestamp":"2024-10-11T22:14:15.250Z","host":{"name":"n1"},"source":{"ip":"192.0.2.1"},"event":{"dataset":"nginx.access","outcome":"success"}}',
    );
    expect(e).toMatchObject({
      host: { name: 'n1' },
      source: { ip: '192.0.2.1' },
      event: { dataset: 'nginx.access', outcome: 'success' },
    });
  });

  it('uses the receive time and the tenant host when the record has none', () => {
    const e = parseOne('{"a":1}', { defaults: { hostName: 'uploaded-host' } });
    expect(e['@timestamp']).toBe('2024-10-11T22:14:20.000Z');
    expect(e.tags).toContain('timestamp_from_receive_time');
    expect(e.host?.name).toBe('uploaded-host');
  });

  it('JSON arrays give one event per element', () => {
    expect(parseMany('[{"a":1},{"b":2}]')).toHaveLength(2);
  });
});
