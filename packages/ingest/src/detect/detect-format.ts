/**
 * Which parser a text record needs, from its first characters: JSON (`{` or `[`), CEF
 * (`CEF:`), syslog (`<PRI>`, or a BSD / RFC 3339 time at the start as in log files).
 * JSON shapes (Windows, Zeek, Suricata, CloudTrail) are told apart after parsing
 * (`jsonShape`), and syslog payloads (CEF, JSON, sshd) after the header.
 */

export type TextFormat = 'json' | 'cef' | 'syslog';

const SYSLOG_START =
  /^(?:<\d{1,3}>|[*.]?(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}\d{1,2} |\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})/;

export function detectTextFormat(text: string): TextFormat | undefined {
  const start = text.trimStart();
  const first = start[0];
  if (first === '{' || first === '[') return 'json';
  if (start.startsWith('CEF:')) return 'cef';
  if (SYSLOG_START.test(start)) return 'syslog';
  return undefined;
}
