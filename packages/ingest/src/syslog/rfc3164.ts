/**
 * BSD syslog (RFC 3164) as daemons really write it, which is looser than the RFC:
 *
 * - with `<PRI>` (on the wire) or without (rsyslog/syslog-ng files such as /var/log/auth.log);
 * - BSD time `Oct  1 22:14:15`, with Cisco's extras (`*` or `.` prefix, a year, milliseconds,
 *   a zone, a trailing colon, a leading sequence number `123: `), or an RFC 3339 time in the
 *   same place (rsyslog's high-precision file format, the Debian 12 default), or no time;
 * - with or without a hostname (programs writing to /dev/log locally, busybox `logger`);
 * - busybox syslogd's files, which put `facility.severity` after the hostname;
 * - a tag `app[pid]:` or `app:`; Cisco's `%FAC-SEV-MNEMONIC:` becomes the app name.
 *
 * A year-less time gets its year from `inferYearEpoch`. A BSD time is wall-clock time of the
 * sender: `utcOffset` (the listener's or tenant's setting) says which zone; `UTC`/`GMT`
 * written after a Cisco time wins over it.
 */
import { inferYearEpoch } from '../time/infer-year.ts';
import { parseIsoTimestamp, wallClockToEpoch } from '../time/parse-timestamp.ts';
import type { UtcOffset } from '../time/utc-offset.ts';
import type { SyslogMessage } from './syslog-message.ts';
import { FACILITY_NAMES, readPriority } from './syslog-message.ts';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const BSD_TIME =
  /^[*.]?(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?: ([A-Z]{3,5}))?:? +/;
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:?\d{2}))? +/;
const SEQUENCE = /^\d{1,10}: +/;
const TAG = /^([^\s[\]:]{1,128})(?:\[([^\]\s]{0,32})\])?: ?/;
const CISCO_TAG = /^%([A-Z][A-Z0-9_]*-(?:[A-Z0-9_]+-)?[0-7]-[A-Z0-9_]+)(?: ?:)? ?/;
const FACILITY_SEVERITY =
  /^(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|local[0-7])\.(emerg|alert|crit|err|warn|warning|notice|info|debug) +/;

export interface Rfc3164Options {
  readonly receivedAt: Date;
  /** The sender's offset from UTC (minutes or an IANA zone), for zone-less times. Default 0. */
  readonly utcOffset?: UtcOffset;
}

/**
 * Parses one line. Returns undefined when the line has neither a PRI nor a time: then it is
 * not recognisably syslog, and the caller tries other formats.
 */
export function parseRfc3164(line: string, options: Rfc3164Options): SyslogMessage | undefined {
  const offset = options.utcOffset ?? 0;
  let rest = line;
  const pri = readPriority(rest);
  if (pri !== undefined) rest = rest.slice(pri.rest);
  const sequence = SEQUENCE.exec(rest);
  if (sequence !== null && pri !== undefined) rest = rest.slice(sequence[0].length);

  let timestamp: number | undefined;
  let hasTime = false;
  const bsd = BSD_TIME.exec(rest);
  if (bsd !== null) {
    hasTime = true;
    rest = rest.slice(bsd[0].length);
    const zone = bsd[8];
    const zoneOffset = zone === 'UTC' || zone === 'GMT' ? 0 : offset;
    const time = {
      month: MONTHS.indexOf(bsd[1]!) + 1,
      day: Number(bsd[2]),
      hour: Number(bsd[4]),
      minute: Number(bsd[5]),
      second: Number(bsd[6]),
      millisecond: bsd[7] === undefined ? 0 : Number(bsd[7].slice(0, 3).padEnd(3, '0')),
    };
    timestamp =
      bsd[3] === undefined
        ? inferYearEpoch(time, options.receivedAt, zoneOffset)
        : wallClockToEpoch({ year: Number(bsd[3]), ...time }, zoneOffset);
  } else {
    const iso = ISO_TIME.exec(rest);
    if (iso?.[1] !== undefined) {
      hasTime = true;
      rest = rest.slice(iso[0].length);
      timestamp = parseIsoTimestamp(iso[1], offset);
    }
  }
  if (pri === undefined && !hasTime) return undefined;

  let hostname: string | undefined;
  let facilityName: string | undefined;
  let severityName: string | undefined;
  if (hasTime && !looksLikeTag(rest)) {
    const host = /^(\S{1,255}) +/.exec(rest);
    if (host !== null) {
      hostname = host[1];
      rest = rest.slice(host[0].length);
      const busybox = FACILITY_SEVERITY.exec(rest);
      if (busybox !== null) {
        facilityName = busybox[1];
        severityName = busybox[2] === 'warn' ? 'warning' : busybox[2];
        rest = rest.slice(busybox[0].length);
      }
    }
  }

  let appName: string | undefined;
  let procId: string | undefined;
  const cisco = CISCO_TAG.exec(rest);
  if (cisco !== null) {
    appName = cisco[1];
    rest = rest.slice(cisco[0].length);
  } else if (!rest.startsWith('CEF:')) {
    const tag = TAG.exec(rest);
    if (tag !== null) {
      appName = tag[1];
      procId = tag[2] === '' ? undefined : tag[2];
      rest = rest.slice(tag[0].length);
    }
  }
  return {
    kind: 'rfc3164',
    ...(pri === undefined ? {} : { priority: pri.priority }),
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(hostname === undefined ? {} : { hostname }),
    ...(appName === undefined ? {} : { appName }),
    ...(procId === undefined ? {} : { procId }),
    ...(facilityName === undefined ? {} : { facilityName }),
    ...(severityName === undefined ? {} : { severityName }),
    message: rest,
  };
}

/** The token at the start is a tag (`sshd[1]:`, `su:`) or a Cisco mnemonic, not a hostname. */
function looksLikeTag(rest: string): boolean {
  if (rest.startsWith('%') || rest.startsWith('CEF:')) return true;
  const token = /^\S*/.exec(rest)![0];
  return token.endsWith(':') || /^[^\s[\]]+\[[^\]\s]*\]:?$/.test(token);
}

export function facilityCode(name: string): number | undefined {
  const index = (FACILITY_NAMES as readonly string[]).indexOf(name);
  return index < 0 ? undefined : index;
}
