/**
 * How much V8 lets the serving process's old generation grow between two full collections.
 *
 * Left to itself, V8 sized the server's next collection at 1.1–1.3 times what survived the
 * last (~60 MB live here): a tenant ingesting large events within its share (parsing, the
 * stored documents and the batch handed to detection are old-space and large-object
 * allocations) set off a mark-compact every 250 ms, each pausing every request for 5–25 ms,
 * and those pauses were everyone else's p99 (bench:hostile: 39 full collections in 20 s,
 * 2.0–3.0× the quiet search p99 from long values alone). Growing by 2× instead (V8's
 * `--heap-growing-percent=100`, read when each limit is computed, so it takes effect when set
 * at start) cut them to 10 at ~10 MiB more resident memory.
 *
 * Set by `cordon serve` (CORDON_HEAP_GROWING_PERCENT; 0 leaves V8's own), not by
 * `createServer`: a library does not retune the process that embeds it.
 */
import { setFlagsFromString } from 'node:v8';

export const SERVER_HEAP_GROWING_PERCENT = 100;

export function tuneHeapForServing(percent: number = SERVER_HEAP_GROWING_PERCENT): void {
  if (!Number.isInteger(percent) || percent < 0 || percent > 1_000) {
    throw new RangeError(`heap growing percent ${percent}: a whole number from 0 to 1000`);
  }
  if (percent > 0) setFlagsFromString(`--heap-growing-percent=${percent}`);
}
