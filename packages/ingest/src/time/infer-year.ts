/**
 * The year of an RFC 3164 timestamp, which has none. Rule: the latest year that puts the
 * timestamp no more than `INFER_YEAR_MARGIN_MS` (one day) after the receive time. Logs are
 * written before they are received, so a date "in the future" belongs to last year: on
 * 1 January, `Dec 31 23:59:58` is last year's; a sender whose clock runs a few hours ahead of
 * ours on 31 December still gets next year's `Jan  1 00:00:03`. The margin covers clock skew
 * and a misconfigured sender time zone (at most ±14 h). `Feb 29` goes to the latest leap year
 * that fits.
 */
import { wallClockToEpoch } from './parse-timestamp.ts';
import type { UtcOffset } from './utc-offset.ts';
import { offsetAt } from './utc-offset.ts';

export const INFER_YEAR_MARGIN_MS = 24 * 60 * 60 * 1000;

export interface YearlessTime {
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond?: number;
}

/** Epoch ms of `time` in the inferred year, or undefined if no year makes it a date. */
export function inferYearEpoch(
  time: YearlessTime,
  receivedAt: Date,
  offset: UtcOffset,
): number | undefined {
  const limit = receivedAt.getTime() + INFER_YEAR_MARGIN_MS;
  const received = receivedAt.getTime();
  const receivedYear = new Date(received + offsetAt(offset, received) * 60_000).getUTCFullYear();
  // Eight years back always reaches a leap year for Feb 29.
  for (let year = receivedYear + 1; year >= receivedYear - 8; year--) {
    const epoch = wallClockToEpoch({ year, ...time }, offset);
    if (epoch !== undefined && epoch <= limit) return epoch;
  }
  return undefined;
}
