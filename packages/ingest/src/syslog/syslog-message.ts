/**
 * A syslog message with its header taken apart, before its payload is interpreted (CEF, JSON,
 * sshd …). Both RFC 3164 and RFC 5424 parsers produce it.
 */

export interface SyslogMessage {
  readonly kind: 'rfc3164' | 'rfc5424';
  /** PRI value (facility × 8 + severity); absent when the line had no `<PRI>` (log files). */
  readonly priority?: number;
  /** Epoch ms; absent when the message carried no usable time (the receive time applies). */
  readonly timestamp?: number;
  readonly hostname?: string;
  readonly appName?: string;
  readonly procId?: string;
  readonly msgId?: string;
  /** busybox syslogd writes `facility.severity` in its files instead of a PRI. */
  readonly facilityName?: string;
  readonly severityName?: string;
  readonly structuredData?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly message: string;
}

export const FACILITY_NAMES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'syslog',
  'lpr',
  'news',
  'uucp',
  'cron',
  'authpriv',
  'ftp',
  'ntp',
  'security',
  'console',
  'solaris-cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
] as const;

export const SEVERITY_NAMES = [
  'emerg',
  'alert',
  'crit',
  'err',
  'warning',
  'notice',
  'info',
  'debug',
] as const;

/** Reads `<PRI>` at the start: the value and where the rest begins, or undefined. */
export function readPriority(line: string): { priority: number; rest: number } | undefined {
  const m = /^<(\d{1,3})>/.exec(line);
  if (m === null) return undefined;
  const priority = Number(m[1]);
  // RFC 5424 §6.2.1: no leading zeros except for 0 itself; 191 is the largest PRI.
  if (priority > 191 || (m[1]!.length > 1 && m[1]!.startsWith('0'))) return undefined;
  return { priority, rest: m[0].length };
}
