/**
 * Timing helpers shared by the console benches: one API request over real HTTP, timed to the
 * last byte of its body, and quantiles of the samples. `bench:console-api` times requests
 * with a bearer token, `bench:console` with the browser's session cookie.
 */

export interface TimedRequest {
  readonly base: string;
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
}

/** Milliseconds from sending `path` to the end of its body; anything but a 200 is an error. */
export async function timeRequest(request: TimedRequest): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${request.base}${request.path}`, { headers: request.headers });
  await response.arrayBuffer();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`${request.path} answered ${response.status}`);
  return ms;
}

/** The `q` quantile (0–1) of ascending samples, by the nearest rank below. */
export const quantile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;

export const ascending = (samples: readonly number[]): number[] =>
  [...samples].sort((a, b) => a - b);
