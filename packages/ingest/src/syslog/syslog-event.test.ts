import { describe, expect, it } from 'vitest';
import { parseOne } from '../testing/test-support.ts';

describe('syslog events', () => {
  it('keeps the header in log.syslog and in fields, and the peer in log.source', () => {
    const e = parseOne(
      '<165>1 2024-10-11T22:14:15.003Z fw01 evntslog 42 ID47 [origin ip="10.0.0.9"] started',
      {
        sourceAddress: '192.0.2.7',
      },
    );
    expect(e).toMatchObject({
      '@timestamp': '2024-10-11T22:14:15.003Z',
      message: 'started',
      host: { name: 'fw01' },
      process: { name: 'evntslog', pid: 42 },
      log: {
        syslog: {
          priority: 165,
          version: 1,
          facility: { code: 20, name: 'local4' },
          severity: { code: 5, name: 'notice' },
          msgid: 'ID47',
          structured_data: { origin: { ip: '10.0.0.9' } },
        },
        source: { address: '192.0.2.7' },
      },
      fields: {
        hostname: 'fw01',
        app_name: 'evntslog',
        msg_id: 'ID47',
        facility: 'local4',
        severity: 'notice',
      },
      log_source: { product: 'linux', service: 'syslog' },
    });
  });

  it('a HOSTNAME that is an address is host.ip; without one the peer is', () => {
    expect(parseOne('<13>Oct 11 22:14:15 10.1.2.3 app: x').host).toEqual({ ip: ['10.1.2.3'] });
    expect(parseOne('<13>Oct 11 22:14:15 app: x', { sourceAddress: '192.0.2.7' }).host).toEqual({
      ip: ['192.0.2.7'],
    });
  });

  it('busybox facility.severity becomes log.syslog facility and severity', () => {
    const e = parseOne(
      "Oct 11 22:14:15 router authpriv.warn dropbear[1204]: Bad password attempt for 'root' from 192.168.1.20:51515",
    );
    expect(e).toMatchObject({
      log: {
        syslog: {
          facility: { code: 10, name: 'authpriv' },
          severity: { code: 4, name: 'warning' },
        },
      },
      event: { action: 'ssh_login', outcome: 'failure' },
      user: { name: 'root' },
      source: { ip: '192.168.1.20', port: 51515 },
      log_source: { product: 'linux', service: 'auth' },
    });
  });

  it('Cisco mnemonics select the cisco product', () => {
    const e = parseOne(
      '<189>2051: *Oct 11 22:14:15.123: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.1.1.5)',
    );
    expect(e.log_source).toEqual({ product: 'cisco', service: 'syslog' });
    expect(e.process?.name).toBe('SYS-5-CONFIG_I');
  });
});

describe('sender time zones', () => {
  it('reads zone-less syslog times in the tenant’s IANA zone, summer and winter', () => {
    const summer = parseOne('<13>Jul  1 12:00:00 h app: x', {
      receivedAt: new Date('2024-07-01T10:00:05Z'),
      defaults: { timeZone: 'Europe/Berlin' },
    });
    expect(summer['@timestamp']).toBe('2024-07-01T10:00:00.000Z');
    const winter = parseOne('<13>Jan 15 12:00:00 h app: x', {
      receivedAt: new Date('2024-01-15T11:00:05Z'),
      defaults: { timeZone: 'Europe/Berlin', timeZoneOffsetMinutes: 300 },
    });
    expect(winter['@timestamp']).toBe('2024-01-15T11:00:00.000Z');
  });
});
