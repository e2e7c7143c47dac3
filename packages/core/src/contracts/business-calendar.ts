/**
 * A tenant's working calendar: its IANA time zone, opening hours per weekday (local wall-clock
 * times, so 09:00 stays 09:00 across a DST change), holidays (local dates) and the 24×7 mode in
 * which every instant counts. `parseBusinessCalendar` is the one gate for attacker-written
 * calendars: it bounds sizes and rejects what the engine could not honour.
 */
import { IANAZone } from 'luxon';
import { invalidInput } from '../errors/cordon-error.ts';

/** ISO weekday: 1 is Monday, 7 is Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;
export const WEEKDAYS: readonly Weekday[] = [1, 2, 3, 4, 5, 6, 7];

/** An opening interval in local time, minutes after midnight; `end` may be 1440 (24:00). */
export interface OpeningInterval {
  readonly startMinute: number;
  readonly endMinute: number;
}

export interface BusinessCalendar {
  readonly timeZone: string;
  /** `always`: 24×7, hours and holidays are ignored for business time. */
  readonly mode: 'business_hours' | 'always';
  readonly hours: Readonly<Record<Weekday, readonly OpeningInterval[]>>;
  /** Local dates (YYYY-MM-DD) on which nothing is open. Sorted, unique. */
  readonly holidays: readonly string[];
}

/** The written form: `"09:00-17:00"` intervals keyed by `mon`…`sun`. */
export interface BusinessCalendarInput {
  readonly timeZone: string;
  readonly mode?: 'business_hours' | 'always';
  readonly hours?: Readonly<Partial<Record<WeekdayName, readonly string[]>>>;
  readonly holidays?: readonly string[];
}

export const WEEKDAY_NAMES = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type WeekdayName = (typeof WEEKDAY_NAMES)[number];

export const MAX_HOLIDAYS = 1_000;
const MAX_INTERVALS_PER_DAY = 8;
const DEFAULT_HOURS = ['09:00-17:00'];
const INTERVAL = /^([01]\d|2[0-4]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/;
const LOCAL_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

export function parseBusinessCalendar(input: BusinessCalendarInput): BusinessCalendar {
  if (typeof input.timeZone !== 'string' || !IANAZone.isValidZone(input.timeZone))
    throw invalidInput(`unknown time zone ${JSON.stringify(input.timeZone)} (an IANA name)`);
  const mode = input.mode ?? 'business_hours';
  const written = input.hours ?? {
    mon: DEFAULT_HOURS,
    tue: DEFAULT_HOURS,
    wed: DEFAULT_HOURS,
    thu: DEFAULT_HOURS,
    fri: DEFAULT_HOURS,
  };
  for (const key of Object.keys(written))
    if (!(WEEKDAY_NAMES as readonly string[]).includes(key))
      throw invalidInput(`unknown weekday ${key} (one of ${WEEKDAY_NAMES.join(', ')})`);
  const hours = {} as Record<Weekday, readonly OpeningInterval[]>;
  WEEKDAY_NAMES.forEach((name, index) => {
    hours[(index + 1) as Weekday] = parseDay(name, written[name] ?? []);
  });
  if (mode === 'business_hours' && WEEKDAYS.every((day) => hours[day].length === 0))
    throw invalidInput('business hours need at least one opening interval');
  return { timeZone: input.timeZone, mode, hours, holidays: parseHolidays(input.holidays ?? []) };
}

function parseDay(name: string, intervals: readonly string[]): OpeningInterval[] {
  if (intervals.length > MAX_INTERVALS_PER_DAY)
    throw invalidInput(`${name}: at most ${MAX_INTERVALS_PER_DAY} opening intervals`);
  const parsed = intervals.map((text) => {
    const match = INTERVAL.exec(text);
    if (!match) throw invalidInput(`${name}: ${JSON.stringify(text)} is not HH:MM-HH:MM`);
    const startMinute = Number(match[1]) * 60 + Number(match[2]);
    const endMinute = Number(match[3]) * 60 + Number(match[4]);
    if (startMinute >= endMinute || endMinute > 1440)
      throw invalidInput(`${name}: ${text} must end after it starts, by 24:00`);
    return { startMinute, endMinute };
  });
  parsed.sort((a, b) => a.startMinute - b.startMinute);
  for (let i = 1; i < parsed.length; i++)
    if (parsed[i]!.startMinute < parsed[i - 1]!.endMinute)
      throw invalidInput(`${name}: opening intervals overlap`);
  return parsed;
}

function parseHolidays(holidays: readonly string[]): string[] {
  if (holidays.length > MAX_HOLIDAYS) throw invalidInput(`at most ${MAX_HOLIDAYS} holidays`);
  for (const day of holidays)
    if (typeof day !== 'string' || !LOCAL_DATE.test(day))
      throw invalidInput(`holiday ${JSON.stringify(day)} is not YYYY-MM-DD`);
  return [...new Set(holidays)].sort();
}

/** The written form of a calendar (what the API shows and accepts back). */
export function writeBusinessCalendar(calendar: BusinessCalendar): Required<BusinessCalendarInput> {
  const hours: Partial<Record<WeekdayName, string[]>> = {};
  WEEKDAY_NAMES.forEach((name, index) => {
    const intervals = calendar.hours[(index + 1) as Weekday];
    if (intervals.length > 0)
      hours[name] = intervals.map((i) => `${clock(i.startMinute)}-${clock(i.endMinute)}`);
  });
  return {
    timeZone: calendar.timeZone,
    mode: calendar.mode,
    hours,
    holidays: calendar.holidays,
  };
}

const clock = (minute: number): string =>
  `${String(Math.floor(minute / 60)).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}`;
