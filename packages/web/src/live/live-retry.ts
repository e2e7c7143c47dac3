/**
 * How long a refused live stream waits before it tries again. The browser reconnects on its
 * own after a dropped connection, but not after an answer that is not a stream (429 when the
 * caller or the server holds as many streams as it may, 401 after a session expired, a 5xx):
 * the console then retries itself, doubling the wait up to a minute, with jitter so that many
 * tabs refused together do not come back together. The first wait is about the server's
 * `Retry-After` (5 s), which an EventSource cannot read.
 */
export const LIVE_RETRY_FIRST_MS = 4_000;
export const LIVE_RETRY_MAX_MS = 60_000;

/** The wait before attempt `failures + 1`; `random` in [0, 1) spreads it ±25 %. */
export function liveRetryDelayMs(failures: number, random: number): number {
  const base = Math.min(LIVE_RETRY_MAX_MS, LIVE_RETRY_FIRST_MS * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.75 + random * 0.5));
}
