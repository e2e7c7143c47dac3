import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { BusinessCalendarInput } from './business-calendar.ts';
import { parseBusinessCalendar, writeBusinessCalendar } from './business-calendar.ts';
import { addBusinessTime, addDuration, businessTimeBetween } from './business-time.ts';

const HOUR = 3_600_000;
const berlin = parseBusinessCalendar({ timeZone: 'Europe/Berlin' });
const newYork = parseBusinessCalendar({ timeZone: 'America/New_York' });
const local = (zone: string, iso: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const show = (zone: string, at: number): string =>
  DateTime.fromMillis(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm ZZ");

describe('business hours across DST (Europe/Berlin, Mon–Fri 09:00–17:00)', () => {
  it('spring forward: Friday 16:00 CET plus 2 h is Monday 10:00 CEST', () => {
    const friday = local('Europe/Berlin', '2026-03-27T16:00');
    const due = addBusinessTime(berlin, friday, 2 * HOUR);
    expect(show('Europe/Berlin', due)).toBe('2026-03-30T10:00 +02:00');
    expect(due).toBe(Date.UTC(2026, 2, 30, 8, 0));
    expect(businessTimeBetween(berlin, friday, due)).toBe(2 * HOUR);
    // 65 real hours passed, not the 66 a fixed offset would give.
    expect(due - friday).toBe(65 * HOUR);
  });

  it('fall back: Friday 16:30 CEST plus 1 h is Monday 09:30 CET', () => {
    const friday = local('Europe/Berlin', '2026-10-23T16:30');
    const due = addBusinessTime(berlin, friday, HOUR);
    expect(show('Europe/Berlin', due)).toBe('2026-10-26T09:30 +01:00');
    expect(due).toBe(Date.UTC(2026, 9, 26, 8, 30));
  });

  it('a 00:00–24:00 day lasts 23 h on spring forward and 25 h on fall back', () => {
    const allDay = parseBusinessCalendar({
      timeZone: 'Europe/Berlin',
      hours: { sun: ['00:00-24:00'] },
    });
    const spring = local('Europe/Berlin', '2026-03-29T00:00');
    expect(businessTimeBetween(allDay, spring, spring + 48 * HOUR)).toBe(23 * HOUR);
    const autumn = local('Europe/Berlin', '2026-10-25T00:00');
    expect(businessTimeBetween(allDay, autumn, autumn + 48 * HOUR)).toBe(25 * HOUR);
  });
});

describe('business hours across DST (America/New_York)', () => {
  it('spring forward: Friday 16:00 EST plus 2 h is Monday 10:00 EDT', () => {
    const due = addBusinessTime(newYork, local('America/New_York', '2026-03-06T16:00'), 2 * HOUR);
    expect(show('America/New_York', due)).toBe('2026-03-09T10:00 -04:00');
    expect(due).toBe(Date.UTC(2026, 2, 9, 14, 0));
  });

  it('fall back: Friday 16:00 EDT plus 2 h is Monday 10:00 EST', () => {
    const due = addBusinessTime(newYork, local('America/New_York', '2026-10-30T16:00'), 2 * HOUR);
    expect(show('America/New_York', due)).toBe('2026-11-02T10:00 -05:00');
    expect(due).toBe(Date.UTC(2026, 10, 2, 15, 0));
  });

  it('24×7: 72 h are 72 real hours, the wall clock moves by 73 across spring forward', () => {
    const always = parseBusinessCalendar({ timeZone: 'America/New_York', mode: 'always' });
    const saturday = local('America/New_York', '2026-03-07T12:00');
    const due = addBusinessTime(always, saturday, 72 * HOUR);
    expect(due - saturday).toBe(72 * HOUR);
    expect(show('America/New_York', due)).toBe('2026-03-10T13:00 -04:00');
    expect(businessTimeBetween(always, saturday, due)).toBe(72 * HOUR);
  });
});

describe('holidays, weekends, split days', () => {
  it('skips Good Friday and Easter Monday', () => {
    const easter = parseBusinessCalendar({
      timeZone: 'Europe/Berlin',
      holidays: ['2026-04-06', '2026-04-03'],
    });
    const due = addBusinessTime(easter, local('Europe/Berlin', '2026-04-02T16:00'), 4 * HOUR);
    expect(show('Europe/Berlin', due)).toBe('2026-04-07T12:00 +02:00');
    // Without the holidays the same 4 h end on Good Friday.
    const plain = addBusinessTime(berlin, local('Europe/Berlin', '2026-04-02T16:00'), 4 * HOUR);
    expect(show('Europe/Berlin', plain)).toBe('2026-04-03T12:00 +02:00');
  });

  it('starts counting at the next opening when started outside hours', () => {
    const saturday = local('Europe/Berlin', '2026-05-09T10:00');
    expect(show('Europe/Berlin', addBusinessTime(berlin, saturday, 30 * 60_000))).toBe(
      '2026-05-11T09:30 +02:00',
    );
    expect(businessTimeBetween(berlin, saturday, local('Europe/Berlin', '2026-05-10T23:00'))).toBe(
      0,
    );
  });

  it('jumps a lunch break', () => {
    const split = parseBusinessCalendar({
      timeZone: 'Europe/Berlin',
      hours: { mon: ['13:00-17:00', '09:00-12:00'] },
    });
    const due = addBusinessTime(split, local('Europe/Berlin', '2026-05-11T11:30'), HOUR);
    expect(show('Europe/Berlin', due)).toBe('2026-05-11T13:30 +02:00');
    expect(businessTimeBetween(split, local('Europe/Berlin', '2026-05-11T08:00'), due)).toBe(
      3.5 * HOUR,
    );
  });

  it('refuses a span longer than the bound instead of spinning', () => {
    const weekly = parseBusinessCalendar({ timeZone: 'UTC', hours: { mon: ['09:00-09:01'] } });
    expect(() => addBusinessTime(weekly, 0, 10_000 * 60_000)).toThrow(/longer than/);
  });
});

describe('calendar durations', () => {
  it('days keep the wall-clock time across spring forward (71 real hours for 3 days)', () => {
    const saturday = local('America/New_York', '2026-03-07T12:00');
    const due = addDuration(newYork, saturday, { kind: 'days', days: 3 });
    expect(show('America/New_York', due)).toBe('2026-03-10T12:00 -04:00');
    expect(due - saturday).toBe(71 * HOUR);
  });

  it('a month keeps the wall-clock time across fall back and clamps to the month end', () => {
    const october = local('Europe/Berlin', '2026-10-10T12:00');
    expect(show('Europe/Berlin', addDuration(berlin, october, { kind: 'months', months: 1 }))).toBe(
      '2026-11-10T12:00 +01:00',
    );
    const january = local('Europe/Berlin', '2026-01-31T09:00');
    expect(show('Europe/Berlin', addDuration(berlin, january, { kind: 'months', months: 1 }))).toBe(
      '2026-02-28T09:00 +01:00',
    );
  });

  it('business days skip weekends and holidays and end at the close of the last day', () => {
    const thanksgiving = parseBusinessCalendar({
      timeZone: 'America/New_York',
      holidays: ['2026-11-26'],
    });
    // Determined Wednesday afternoon; Thursday is a holiday: Fri, Mon, Tue, Wed count.
    const wednesday = local('America/New_York', '2026-11-25T15:00');
    const due = addDuration(thanksgiving, wednesday, { kind: 'business_days', days: 4 });
    expect(show('America/New_York', due)).toBe('2026-12-03T00:00 -05:00');
    expect(due).toBe(Date.UTC(2026, 11, 3, 5, 0));
  });
});

describe('parseBusinessCalendar', () => {
  const bad: [string, BusinessCalendarInput][] = [
    ['unknown time zone', { timeZone: 'Mars/Olympus' }],
    ['not HH:MM-HH:MM', { timeZone: 'UTC', hours: { mon: ['9-17'] } }],
    ['end after it starts', { timeZone: 'UTC', hours: { mon: ['17:00-09:00'] } }],
    ['overlap', { timeZone: 'UTC', hours: { mon: ['09:00-12:00', '11:00-13:00'] } }],
    ['at least one', { timeZone: 'UTC', hours: {} }],
    ['unknown weekday', { timeZone: 'UTC', hours: { funday: ['09:00-10:00'] } as never }],
    ['not YYYY-MM-DD', { timeZone: 'UTC', holidays: ['24/12/2026'] }],
  ];
  it.each(bad)('refuses a calendar: %s', (message, input) => {
    expect(() => parseBusinessCalendar(input)).toThrow(message);
  });

  it('writes back what it read', () => {
    const input = {
      timeZone: 'Europe/Berlin',
      mode: 'business_hours' as const,
      hours: { mon: ['08:00-12:00', '13:00-24:00'], sat: ['10:00-14:00'] },
      holidays: ['2026-12-25', '2026-01-01'],
    };
    const written = writeBusinessCalendar(parseBusinessCalendar(input));
    expect(written).toEqual({ ...input, holidays: ['2026-01-01', '2026-12-25'] });
  });
});
