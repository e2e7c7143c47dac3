/**
 * Time arithmetic on a tenant's calendar. Opening hours are local wall-clock times; each day's
 * intervals are turned into instants in the tenant's zone, so a day on which the clocks change
 * keeps 09:00–17:00 local and a 00:00–24:00 day lasts 23 or 25 real hours. Every function is
 * pure and works in epoch milliseconds. Walks are bounded (`MAX_SCANNED_DAYS`): a target longer
 * than that is a bad contract, not a reason to spin.
 */
import { DateTime } from 'luxon';
import { invalidInput } from '../errors/cordon-error.ts';
import type { BusinessCalendar, Weekday } from './business-calendar.ts';

export const MAX_SCANNED_DAYS = 3_700;

/** A length of time as a regulation or contract words it. */
export type CalendarDuration =
  | { readonly kind: 'hours'; readonly hours: number }
  | { readonly kind: 'days'; readonly days: number }
  | { readonly kind: 'months'; readonly months: number }
  | { readonly kind: 'business_days'; readonly days: number };

interface Span {
  readonly start: number;
  readonly end: number;
}

const localDay = (calendar: BusinessCalendar, at: number): DateTime =>
  DateTime.fromMillis(at, { zone: calendar.timeZone }).startOf('day');

const isoDate = (day: DateTime): string => day.toISODate() ?? '';

/** A day with opening hours that is not a holiday (the days "business days" count). */
export function isBusinessDay(calendar: BusinessCalendar, day: DateTime): boolean {
  return (
    calendar.hours[day.weekday as Weekday].length > 0 && !calendar.holidays.includes(isoDate(day))
  );
}

/** The instants a local day is open; the whole day in 24×7 mode. */
function openSpans(calendar: BusinessCalendar, day: DateTime): Span[] {
  const next = day.plus({ days: 1 }).startOf('day').toMillis();
  if (calendar.mode === 'always') return [{ start: day.toMillis(), end: next }];
  if (!isBusinessDay(calendar, day)) return [];
  const at = (minute: number): number =>
    minute >= 1440
      ? next
      : day.set({ hour: Math.floor(minute / 60), minute: minute % 60 }).toMillis();
  return calendar.hours[day.weekday as Weekday].map((interval) => ({
    start: at(interval.startMinute),
    end: at(interval.endMinute),
  }));
}

/** Each local day from the one holding `from`, at most `MAX_SCANNED_DAYS` of them. */
function* daysFrom(calendar: BusinessCalendar, from: number): Generator<DateTime> {
  let day = localDay(calendar, from);
  for (let i = 0; i < MAX_SCANNED_DAYS; i++) {
    yield day;
    day = day.plus({ days: 1 }).startOf('day');
  }
  throw invalidInput(`a business-time span longer than ${MAX_SCANNED_DAYS} days`);
}

/** The instant at which `durationMs` of open time has passed since `start`. */
export function addBusinessTime(
  calendar: BusinessCalendar,
  start: number,
  durationMs: number,
): number {
  if (calendar.mode === 'always') return start + durationMs;
  let remaining = durationMs;
  for (const day of daysFrom(calendar, start))
    for (const span of openSpans(calendar, day)) {
      if (span.end <= start) continue;
      const from = Math.max(span.start, start);
      if (remaining <= span.end - from) return from + remaining;
      remaining -= span.end - from;
    }
  /* c8 ignore next */
  throw new Error('unreachable: daysFrom throws first');
}

/** Open time between two instants (zero when `to` is not after `from`). */
export function businessTimeBetween(calendar: BusinessCalendar, from: number, to: number): number {
  if (to <= from) return 0;
  if (calendar.mode === 'always') return to - from;
  let total = 0;
  for (const day of daysFrom(calendar, from)) {
    if (day.toMillis() >= to) break;
    for (const span of openSpans(calendar, day))
      total += Math.max(0, Math.min(span.end, to) - Math.max(span.start, from));
  }
  return total;
}

/** The end (next local midnight) of the `count`-th business day after the day of `start`. */
export function endOfBusinessDays(
  calendar: BusinessCalendar,
  start: number,
  count: number,
): number {
  let seen = 0;
  let first = true;
  for (const day of daysFrom(calendar, start)) {
    if (first) {
      first = false;
      continue;
    }
    if (isBusinessDay(calendar, day) && ++seen >= count)
      return day.plus({ days: 1 }).startOf('day').toMillis();
  }
  /* c8 ignore next */
  throw new Error('unreachable: daysFrom throws first');
}

/**
 * A deadline `duration` after `start`. Hours are elapsed time (72 h is 72 real hours, whatever
 * the clocks do); days and months are calendar steps in the tenant's zone (the same wall-clock
 * time that many days or months later, clamped to the month's end); business days end at the
 * close of the last one.
 */
export function addDuration(
  calendar: BusinessCalendar,
  start: number,
  duration: CalendarDuration,
): number {
  const at = DateTime.fromMillis(start, { zone: calendar.timeZone });
  switch (duration.kind) {
    case 'hours':
      return start + duration.hours * 3_600_000;
    case 'days':
      return at.plus({ days: duration.days }).toMillis();
    case 'months':
      return at.plus({ months: duration.months }).toMillis();
    case 'business_days':
      return endOfBusinessDays(calendar, start, duration.days);
  }
}

export function describeDuration(duration: CalendarDuration): string {
  switch (duration.kind) {
    case 'hours':
      return `${duration.hours} h`;
    case 'days':
      return `${duration.days} calendar days`;
    case 'months':
      return duration.months === 1 ? '1 month' : `${duration.months} months`;
    case 'business_days':
      return `${duration.days} business days`;
  }
}
