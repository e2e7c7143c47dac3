/**
 * The bucket width of a time histogram when the user gives none: the smallest "round" width
 * that splits the range into at most `maxBuckets` buckets (Kibana's auto interval does the same).
 */
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const ROUND_INTERVALS = [
  SECOND,
  5 * SECOND,
  10 * SECOND,
  30 * SECOND,
  MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  30 * MINUTE,
  HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
  7 * DAY,
  30 * DAY,
  365 * DAY,
];

export function histogramInterval(spanMs: number, maxBuckets = 100): number {
  for (const interval of ROUND_INTERVALS) if (spanMs / interval <= maxBuckets) return interval;
  return ROUND_INTERVALS[ROUND_INTERVALS.length - 1]!;
}
