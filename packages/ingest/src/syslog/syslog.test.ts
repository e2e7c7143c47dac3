import { describe, expect, it } from 'vitest';
import { parseRfc3164 } from './rfc3164.ts';
import { isRfc5424, parseRfc5424 } from './rfc5424.ts';

const receivedAt = new Date('2024-10-11T22:14:20Z');
const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

describe('parseRfc3164', () => {
  it('reads the RFC example with PRI, hostname and tag', () => {
    const m = parseRfc3164(
      "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
      {
        receivedAt,
      },
    );
    expect(m).toMatchObject({
      priority: 34,
      hostname: 'mymachine',
      appName: 'su',
      message: "'su root' failed for lonvick on /dev/pts/8",
    });
    expect(iso(m?.timestamp)).toBe('2024-10-11T22:14:15.000Z');
  });

  it('reads an rsyslog auth.log line (no PRI, single-digit day, pid)', () => {
    const m = parseRfc3164(
      'Oct  1 03:12:45 web-01 sshd[28871]: Failed password for root from 203.0.113.9 port 52113 ssh2',
      { receivedAt },
    );
    expect(m).toMatchObject({ hostname: 'web-01', appName: 'sshd', procId: '28871' });
    expect(m?.priority).toBeUndefined();
    expect(iso(m?.timestamp)).toBe('2024-10-01T03:12:45.000Z');
  });

  it('reads rsyslog high-precision file lines (RFC 3339 time)', () => {
    const m = parseRfc3164(
      '2024-10-11T22:14:15.003921+02:00 db-02 sudo: alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/usr/bin/id',
      { receivedAt },
    );
    expect(m).toMatchObject({ hostname: 'db-02', appName: 'sudo' });
    expect(iso(m?.timestamp)).toBe('2024-10-11T20:14:15.003Z');
  });

  it('reads messages without hostname (local /dev/log, busybox logger)', () => {
    const logger = parseRfc3164('<13>Oct 11 22:14:15 root: backup finished', { receivedAt });
    expect(logger).toMatchObject({ appName: 'root', message: 'backup finished' });
    expect(logger?.hostname).toBeUndefined();
    const local = parseRfc3164('<86>Oct 11 22:14:15 sshd[77]: Accepted publickey for bob', {
      receivedAt,
    });
    expect(local).toMatchObject({ appName: 'sshd', procId: '77' });
    expect(local?.hostname).toBeUndefined();
  });

  it('reads busybox syslogd file lines with facility.severity', () => {
    const m = parseRfc3164(
      "Oct 11 22:14:15 router authpriv.info dropbear[1204]: Password auth succeeded for 'root' from 192.168.1.20:51515",
      { receivedAt },
    );
    expect(m).toMatchObject({
      hostname: 'router',
      facilityName: 'authpriv',
      severityName: 'info',
      appName: 'dropbear',
      procId: '1204',
    });
  });

  it('reads Cisco IOS lines (sequence number, star, milliseconds, mnemonic)', () => {
    const m = parseRfc3164(
      '<189>2051: *Oct 11 22:14:15.123: %SYS-5-CONFIG_I: Configured from console by admin on vty0 (10.1.1.5)',
      { receivedAt },
    );
    expect(m).toMatchObject({
      priority: 189,
      appName: 'SYS-5-CONFIG_I',
      message: 'Configured from console by admin on vty0 (10.1.1.5)',
    });
    expect(m?.hostname).toBeUndefined();
    expect(iso(m?.timestamp)).toBe('2024-10-11T22:14:15.123Z');
  });

  it('reads Cisco ASA lines (year, hostname, zone)', () => {
    const m = parseRfc3164(
      '<166>Oct 11 2024 22:14:15 UTC: fw-edge : %ASA-6-302013: Built inbound TCP connection 1 for outside:198.51.100.7/4444 (198.51.100.7/4444) to inside:10.0.0.5/22 (10.0.0.5/22)',
      { receivedAt, utcOffset: 60 },
    );
    expect(iso(m?.timestamp)).toBe('2024-10-11T22:14:15.000Z');
    expect(m).toMatchObject({ hostname: 'fw-edge' });
  });

  it('applies the configured offset to zone-less times', () => {
    const m = parseRfc3164('<13>Oct 11 23:14:15 h app: x', { receivedAt, utcOffset: 60 });
    expect(iso(m?.timestamp)).toBe('2024-10-11T22:14:15.000Z');
  });

  it('infers the year around New Year', () => {
    const m = parseRfc3164('<38>Dec 31 23:59:59 h sshd[1]: x', {
      receivedAt: new Date('2025-01-01T00:00:01Z'),
    });
    expect(iso(m?.timestamp)).toBe('2024-12-31T23:59:59.000Z');
  });

  it('reads a PRI-only message and refuses lines that are not syslog', () => {
    expect(parseRfc3164('<14>kernel: eth0 up', { receivedAt })).toMatchObject({
      priority: 14,
      appName: 'kernel',
      message: 'eth0 up',
    });
    expect(parseRfc3164('hello world', { receivedAt })).toBeUndefined();
    expect(parseRfc3164('<999>Oct 11 22:14:15 h a: b', { receivedAt })?.priority).toBeUndefined();
  });
});

describe('parseRfc5424', () => {
  it('reads the RFC examples: structured data, BOM, NILVALUE', () => {
    const line =
      '<165>1 2003-10-11T22:14:15.003Z mymachine.example.com evntslog - ID47 [exampleSDID@32473 iut="3" eventSource="Application" eventID="1011"][examplePriority@32473 class="high"] \uFEFFAn application event log entry...';
    expect(isRfc5424(line)).toBe(true);
    const m = parseRfc5424(line);
    expect(m).toMatchObject({
      priority: 165,
      hostname: 'mymachine.example.com',
      appName: 'evntslog',
      msgId: 'ID47',
      structuredData: {
        'exampleSDID@32473': { iut: '3', eventSource: 'Application', eventID: '1011' },
        'examplePriority@32473': { class: 'high' },
      },
      message: 'An application event log entry...',
    });
    expect(typeof m !== 'string' && m.procId).toBeUndefined();
  });

  it('reads all-NIL headers and no message', () => {
    const m = parseRfc5424('<34>1 - - - - - -');
    expect(m).toEqual({ kind: 'rfc5424', priority: 34, message: '' });
  });

  it('unescapes parameter values and keeps other backslashes', () => {
    const m = parseRfc5424(
      String.raw`<14>1 2024-10-11T22:14:15+02:00 host app 42 - [meta q="say \"hi\" \\ [x\] c:\temp"] msg`,
    );
    expect(m).toMatchObject({
      procId: '42',
      structuredData: { meta: { q: String.raw`say "hi" \ [x] c:\temp` } },
      message: 'msg',
    });
    expect(iso(typeof m === 'string' ? undefined : m.timestamp)).toBe('2024-10-11T20:14:15.000Z');
  });

  it('explains broken messages', () => {
    expect(parseRfc5424('<14>1 2024-10-11T22:14:15Z host')).toMatch(/header ends/);
    expect(parseRfc5424('<14>1 yesterday host app - - - m')).toMatch(/timestamp/);
    expect(parseRfc5424('<14>1 - host app - - [x a="1 m')).toMatch(/not closed/);
    expect(parseRfc5424('<14>1 - host app - - [x a="1" m')).toMatch(/name="value"/);
    expect(parseRfc5424('<14>1 - host app - - [x a=1] m')).toMatch(/name="value"/);
    expect(parseRfc5424('<14>1 - host app - - msg')).toMatch(/structured data/);
  });
});
