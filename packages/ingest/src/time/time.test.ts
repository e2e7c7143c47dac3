import { describe, expect, it } from 'vitest';
import { inferYearEpoch } from './infer-year.ts';
import { parseIsoTimestamp, parseTimestampValue } from './parse-timestamp.ts';
import { isValidTimeZone, timeZoneOffset } from './utc-offset.ts';

const iso = (ms: number | undefined): string | undefined =>
  ms === undefined ? undefined : new Date(ms).toISOString();

describe('parseIsoTimestamp', () => {
  it('reads RFC 3339 and the variants sources write', () => {
    expect(iso(parseIsoTimestamp('2024-10-11T22:14:15.003Z'))).toBe('2024-10-11T22:14:15.003Z');
    expect(iso(parseIsoTimestamp('2024-10-11T22:14:15.123456+0000'))).toBe(
      '2024-10-11T22:14:15.123Z',
    );
    expect(iso(parseIsoTimestamp('2024-10-11T22:14:15-07:00'))).toBe('2024-10-12T05:14:15.000Z');
    expect(iso(parseIsoTimestamp('2024-10-11 22:14:15', 120))).toBe('2024-10-11T20:14:15.000Z');
  });
  it('rejects dates that do not exist', () => {
    expect(parseIsoTimestamp('2023-02-29T00:00:00Z')).toBeUndefined();
    expect(parseIsoTimestamp('2024-13-01T00:00:00Z')).toBeUndefined();
    expect(parseIsoTimestamp('2024-10-11T25:00:00Z')).toBeUndefined();
    expect(parseIsoTimestamp('yesterday')).toBeUndefined();
  });
  it('reads epoch seconds and milliseconds', () => {
    expect(iso(parseTimestampValue(1728684855.123456))).toBe('2024-10-11T22:14:15.123Z');
    expect(iso(parseTimestampValue('1728684855123'))).toBe('2024-10-11T22:14:15.123Z');
    expect(parseTimestampValue(Number.NaN)).toBeUndefined();
  });
});

describe('inferYearEpoch', () => {
  const at = (text: string): Date => new Date(text);
  const time = (month: number, day: number, hour = 0, minute = 0, second = 0) => ({
    month,
    day,
    hour,
    minute,
    second,
  });

  it('gives last year to a late-December line received just after New Year', () => {
    expect(iso(inferYearEpoch(time(12, 31, 23, 59, 58), at('2025-01-01T00:00:02Z'), 0))).toBe(
      '2024-12-31T23:59:58.000Z',
    );
  });
  it('gives next year to a line from a sender slightly ahead, received on New Year’s Eve', () => {
    expect(iso(inferYearEpoch(time(1, 1, 0, 0, 3), at('2024-12-31T23:58:00Z'), 0))).toBe(
      '2025-01-01T00:00:03.000Z',
    );
  });
  it('keeps the current year for ordinary lines and old ones from earlier this year', () => {
    expect(iso(inferYearEpoch(time(10, 11, 22, 14, 15), at('2024-10-11T22:14:16Z'), 0))).toBe(
      '2024-10-11T22:14:15.000Z',
    );
    expect(iso(inferYearEpoch(time(3, 1), at('2024-10-11T00:00:00Z'), 0))).toBe(
      '2024-03-01T00:00:00.000Z',
    );
  });
  it('puts a date more than a day ahead into last year (imported old files)', () => {
    expect(iso(inferYearEpoch(time(12, 1), at('2024-11-28T00:00:00Z'), 0))).toBe(
      '2023-12-01T00:00:00.000Z',
    );
  });
  it('applies the sender’s UTC offset, also across New Year', () => {
    // 00:30 on 1 Jan at UTC+2 is 22:30 UTC on 31 Dec: received 22:31 UTC that day.
    expect(iso(inferYearEpoch(time(1, 1, 0, 30), at('2024-12-31T22:31:00Z'), 120))).toBe(
      '2024-12-31T22:30:00.000Z',
    );
  });
  it('puts Feb 29 in the latest leap year that fits', () => {
    expect(iso(inferYearEpoch(time(2, 29, 12), at('2027-06-01T00:00:00Z'), 0))).toBe(
      '2024-02-29T12:00:00.000Z',
    );
    expect(inferYearEpoch(time(2, 30), at('2027-06-01T00:00:00Z'), 0)).toBeUndefined();
  });
});

describe('IANA time zones', () => {
  const berlin = timeZoneOffset('Europe/Berlin')!;

  it('applies daylight saving time by date', () => {
    expect(berlin(Date.parse('2024-07-01T12:00:00Z'))).toBe(120);
    expect(berlin(Date.parse('2024-01-15T12:00:00Z'))).toBe(60);
    expect(timeZoneOffset('America/New_York')!(Date.parse('2024-07-01T12:00:00Z'))).toBe(-240);
    expect(timeZoneOffset('Asia/Kolkata')!(Date.parse('2024-07-01T12:00:00Z'))).toBe(330);
    expect(timeZoneOffset('Mars/Olympus_Mons')).toBeUndefined();
    expect(isValidTimeZone('Europe/Berlin')).toBe(true);
  });

  it('turns wall-clock times into instants on both sides of a DST change', () => {
    // Europe/Berlin leaves summer time at 03:00 CEST on 27 Oct 2024.
    expect(iso(parseIsoTimestamp('2024-10-26 12:00:00', berlin))).toBe('2024-10-26T10:00:00.000Z');
    expect(iso(parseIsoTimestamp('2024-10-28 12:00:00', berlin))).toBe('2024-10-28T11:00:00.000Z');
  });

  it('infers the year across New Year in the sender’s zone', () => {
    // 00:30 on 1 Jan 2025 in Berlin is 23:30 UTC on 31 Dec 2024.
    const time = { month: 1, day: 1, hour: 0, minute: 30, second: 0 };
    expect(iso(inferYearEpoch(time, new Date('2024-12-31T23:31:00Z'), berlin))).toBe(
      '2024-12-31T23:30:00.000Z',
    );
  });
});
