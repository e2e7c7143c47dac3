/**
 * The replayed attack: our own generated telemetry in `data/` — Windows Security and Sysmon
 * events as JSON (one per line) and sshd lines of a Linux auth log — written around
 * 2026-01-01T00:00Z and moved at replay so that the attack ends shortly before now. The
 * records then enter the real ingestion pipeline, where parsing, the event store and live
 * detection treat them like any other telemetry.
 */
import { readFileSync } from 'node:fs';

/** Where the files' clock starts. */
const WRITTEN_AT = Date.UTC(2026, 0, 1, 0, 0, 0);
/** The files span 75 minutes; the replay ends this long before now. */
const SPAN_MS = 75 * 60_000;
const END_BEFORE_NOW_MS = 20 * 60_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const dataFile = (name: string): string =>
  readFileSync(new URL(`./data/${name}`, import.meta.url), 'utf8');

export interface DemoRecords {
  readonly windows: string[];
  readonly linux: string[];
}

export function demoRecords(now: number): DemoRecords {
  const shift = Math.floor((now - END_BEFORE_NOW_MS - SPAN_MS - WRITTEN_AT) / 1000) * 1000;
  const windows = dataFile('windows-events.jsonl')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const event = JSON.parse(line) as {
        '@timestamp': string;
        winlog: { event_data: Record<string, string> };
      };
      const at = Date.parse(event['@timestamp']) + shift;
      event['@timestamp'] = new Date(at).toISOString();
      if (event.winlog.event_data['UtcTime'] !== undefined)
        event.winlog.event_data['UtcTime'] = new Date(at)
          .toISOString()
          .replace('T', ' ')
          .slice(0, 23);
      return JSON.stringify(event);
    });
  const linux = dataFile('linux-auth.log')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      // "Jan  1 00:05:00 host …": RFC 3164 time, UTC, no year (the 2026 of the file).
      const match = /^([A-Z][a-z]{2}) ([ \d]\d) (\d\d):(\d\d):(\d\d) (.*)$/.exec(line);
      if (!match) throw new Error(`demo auth line without a syslog time: ${line}`);
      const [, mon, day, hh, mm, ss, rest] = match;
      const written = Date.UTC(
        2026,
        MONTHS.indexOf(mon!),
        Number(day),
        Number(hh),
        Number(mm),
        Number(ss),
      );
      const at = new Date(written + shift);
      const time = at.toISOString().slice(11, 19);
      return `${MONTHS[at.getUTCMonth()]} ${String(at.getUTCDate()).padStart(2, ' ')} ${time} ${rest}`;
    });
  return { windows, linux };
}
