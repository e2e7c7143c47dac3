/**
 * Timestamps as sources write them, to epoch milliseconds. Strict: a value that is not a real
 * date gives `undefined` (never an `Invalid Date`), so a parser can fall back to the receive
 * time and say so.
 *
 * Accepted: ISO 8601 / RFC 3339 with `T` or a space, fractions of any length (cut to
 * milliseconds), `Z`, `+hh:mm`, `+hhmm` or `+hh` (Suricata writes `+0000`); without a zone the
 * caller's UTC offset applies. Epoch numbers (Zeek's `ts`): seconds, or milliseconds when
 * larger than 1e11.
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

import type { UtcOffset } from './utc-offset.ts';
import { wallToEpoch } from './utc-offset.ts';

/** Epoch ms for a wall-clock time at the sender's offset, or undefined if not a date. */
export function wallClockToEpoch(
  parts: {
    readonly year: number;
    readonly month: number;
    readonly day: number;
    readonly hour: number;
    readonly minute: number;
    readonly second: number;
    readonly millisecond?: number;
  },
  offset: UtcOffset,
): number | undefined {
  const { year, month, day, hour, minute, second } = parts;
  if (month < 1 || month > 12 || day < 1 || day > 31) return undefined;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  const utc = Date.UTC(
    year,
    month - 1,
    day,
    hour,
    minute,
    Math.min(second, 59),
    parts.millisecond ?? 0,
  );
  // Date.UTC rolls Feb 30 over to March: a day that does not exist is not a date.
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCDate() !== day || check.getUTCMonth() !== month - 1) return undefined;
  return wallToEpoch(utc, offset);
}

export function parseIsoTimestamp(text: string, defaultOffset: UtcOffset = 0): number | undefined {
  if (text.length > 40) return undefined;
  const m = ISO.exec(text);
  if (m === null) return undefined;
  const fraction = m[7] ?? '';
  const offset = m[8] === undefined ? defaultOffset : parseOffset(m[8]);
  if (offset === undefined) return undefined;
  return wallClockToEpoch(
    {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6] ?? 0),
      millisecond: fraction === '' ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0')),
    },
    offset,
  );
}

function parseOffset(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2, 4)) : 0;
  if (hours > 23 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes);
}

/** A timestamp field of unknown shape: ISO text, epoch seconds/ms as number or numeric text. */
export function parseTimestampValue(
  value: unknown,
  defaultOffset: UtcOffset = 0,
): number | undefined {
  if (typeof value === 'number') return epochNumber(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (/^\d{9,13}(\.\d+)?$/.test(text)) return epochNumber(Number(text));
  return parseIsoTimestamp(text, defaultOffset);
}

function epochNumber(value: number): number | undefined {
  if (!Number.isFinite(value) || value <= 0) return undefined;
  const ms = value > 1e11 ? value : value * 1000;
  return ms > 8.64e15 ? undefined : Math.round(ms);
}
