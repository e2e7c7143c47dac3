/**
 * RFC 5424 syslog: `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ELEMENT]… MSG`, with
 * NILVALUE `-` for any header field, structured-data parameter values escaped with `\"`, `\\`
 * and `\]` (a backslash before anything else is kept, §6.3.3), and a UTF-8 BOM that marks the
 * message as Unicode (dropped here; the text is already decoded). Returns a reason string for
 * a message that starts like RFC 5424 but breaks its grammar.
 */
import { parseIsoTimestamp } from '../time/parse-timestamp.ts';
import type { SyslogMessage } from './syslog-message.ts';
import { readPriority } from './syslog-message.ts';

/** Does this line claim to be RFC 5424 (`<PRI>1 `)? */
export function isRfc5424(line: string): boolean {
  const pri = readPriority(line);
  return pri !== undefined && line.startsWith('1 ', pri.rest);
}

export function parseRfc5424(line: string): SyslogMessage | string {
  const pri = readPriority(line);
  if (pri === undefined || !line.startsWith('1 ', pri.rest)) return 'not RFC 5424 (<PRI>1 …)';
  let position = pri.rest + 2;
  const header: string[] = [];
  for (let i = 0; i < 5; i++) {
    const space = line.indexOf(' ', position);
    if (space < 0) return `RFC 5424 header ends after ${i + 2} of 7 fields`;
    header.push(line.slice(position, space));
    position = space + 1;
  }
  const [time, hostname, appName, procId, msgId] = header as [
    string,
    string,
    string,
    string,
    string,
  ];
  let timestamp: number | undefined;
  if (time !== '-') {
    timestamp = parseIsoTimestamp(time);
    if (timestamp === undefined || !time.includes('T'))
      return `invalid RFC 5424 timestamp "${clip(time)}"`;
  }
  const limits: [string, string, number][] = [
    ['HOSTNAME', hostname, 255],
    ['APP-NAME', appName, 48],
    ['PROCID', procId, 128],
    ['MSGID', msgId, 32],
  ];
  for (const [name, value, max] of limits) {
    if (value.length === 0 || value.length > max)
      return `RFC 5424 ${name} is empty or longer than ${max}`;
  }
  const sd = parseStructuredData(line, position);
  if (typeof sd === 'string') return sd;
  let message = '';
  if (sd.end < line.length) {
    if (line[sd.end] !== ' ') return 'RFC 5424 structured data must be followed by a space';
    message = line.slice(sd.end + 1);
  }
  if (message.startsWith('\uFEFF')) message = message.slice(1);
  return {
    kind: 'rfc5424',
    priority: pri.priority,
    ...(timestamp === undefined ? {} : { timestamp }),
    ...(hostname === '-' ? {} : { hostname }),
    ...(appName === '-' ? {} : { appName }),
    ...(procId === '-' ? {} : { procId }),
    ...(msgId === '-' ? {} : { msgId }),
    ...(sd.elements === undefined ? {} : { structuredData: sd.elements }),
    message,
  };
}

type Elements = Record<string, Record<string, string>>;

function parseStructuredData(
  line: string,
  start: number,
): { elements: Elements | undefined; end: number } | string {
  if (line[start] === '-') return { elements: undefined, end: start + 1 };
  if (line[start] !== '[') return 'RFC 5424 structured data must be "-" or start with "["';
  const elements: Elements = Object.create(null) as Elements;
  let i = start;
  while (line[i] === '[') {
    const id = /^[^\s="\]]{1,32}/.exec(line.slice(i + 1, i + 34));
    if (id === null) return 'RFC 5424 SD-ID missing or invalid';
    i += 1 + id[0].length;
    const params: Record<string, string> = Object.create(null) as Record<string, string>;
    while (line[i] === ' ') {
      const name = /^[^\s="\]]{1,32}/.exec(line.slice(i + 1, i + 34));
      if (
        name === null ||
        line[i + 1 + name[0].length] !== '=' ||
        line[i + 2 + name[0].length] !== '"'
      ) {
        return `RFC 5424 SD-PARAM in [${id[0]}] must be name="value"`;
      }
      i += 3 + name[0].length;
      let value = '';
      for (;;) {
        const c = line[i];
        if (c === undefined) return `RFC 5424 SD-PARAM value in [${id[0]}] is not closed`;
        if (c === '"') break;
        if (c === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\' || line[i + 1] === ']')) {
          value += line[i + 1];
          i += 2;
        } else {
          value += c;
          i += 1;
        }
      }
      params[name[0]] = value;
      i += 1;
    }
    if (line[i] !== ']') return `RFC 5424 SD-ELEMENT [${id[0]}] is not closed`;
    elements[id[0]] = params;
    i += 1;
  }
  return { elements, end: i };
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
