/**
 * Which parser a text record needs, from its first characters: JSON (`{` or `[`), CEF
 * (`CEF:`), syslog (`<PRI>`, or a BSD / RFC 3339 time at the start as in log files), a bare
 * netfilter kernel log line (`IN=… OUT=… SRC=…`).
 * JSON shapes (Windows, Zeek, Suricata, CloudTrail) are told apart after parsing
 * (`jsonShape`), and syslog payloads (CEF, JSON, sshd) after the header.
 */
import { isNetfilterLine } from '../formats/netfilter.ts';

export type TextFormat = 'json' | 'cef' | 'syslog' | 'netfilter';

const SYSLOG_START =
  /^(?:<\d{1,3}>|[*.]?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} |\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})/;

export function detectTextFormat(text: string): TextFormat | undefined {
  const start = text.trimStart();
  const first = start[0];
  // A kernel packet-log line without a syslog header (dmesg `[ 12.345] …`, `journalctl -k`).
  if (first === '[' ? /^\[\s*\d+\.\d+\]/.test(start) && isNetfilterLine(start) : false) {
    return 'netfilter';
  }
  if (first === '{' || first === '[') return 'json';
  if (start.startsWith('CEF:')) return 'cef';
  if (SYSLOG_START.test(start)) return 'syslog';
  if (isNetfilterLine(start)) return 'netfilter';
  return undefined;
}
