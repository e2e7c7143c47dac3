/**
 * Business time with pauses taken out: an SLA clock stops while the MSSP waits on the client.
 * Pauses are whole intervals (`end` null while one is still open) that do not overlap; time in
 * a pause does not count, wherever it falls (a pause over a weekend removes nothing the
 * weekend had not already removed).
 */
import type { BusinessCalendar } from './business-calendar.ts';
import { addBusinessTime, businessTimeBetween } from './business-time.ts';

export interface PauseSpan {
  readonly startedAt: number;
  readonly endedAt: number | null;
}

const byStart = (pauses: readonly PauseSpan[]): PauseSpan[] =>
  [...pauses].sort((a, b) => a.startedAt - b.startedAt);

/** Counted time between `from` and `to`. */
export function countedTime(
  calendar: BusinessCalendar,
  span: { readonly from: number; readonly to: number },
  pauses: readonly PauseSpan[],
): number {
  let total = businessTimeBetween(calendar, span.from, span.to);
  for (const pause of pauses) {
    const start = Math.max(pause.startedAt, span.from);
    const end = Math.min(pause.endedAt ?? span.to, span.to);
    total -= businessTimeBetween(calendar, start, end);
  }
  return total;
}

/**
 * When `durationMs` of counted time has passed since `start`; null when an open pause begins
 * before then (the instant is not known until the clock resumes).
 */
export function countedInstant(
  calendar: BusinessCalendar,
  start: number,
  durationMs: number,
  pauses: readonly PauseSpan[],
): number | null {
  let cursor = start;
  let remaining = durationMs;
  for (const pause of byStart(pauses)) {
    if (pause.endedAt !== null && pause.endedAt <= cursor) continue;
    const candidate = addBusinessTime(calendar, cursor, remaining);
    if (pause.startedAt >= candidate) return candidate;
    remaining -= businessTimeBetween(calendar, cursor, Math.max(cursor, pause.startedAt));
    if (pause.endedAt === null) return null;
    cursor = Math.max(cursor, pause.endedAt);
  }
  return addBusinessTime(calendar, cursor, remaining);
}
