/**
 * The serving process's heap growth (heap-tuning.ts) takes only what V8 can be given: its
 * effect on the server is measured by `npm run bench:hostile` (BENCH_HEAP_GROWING_PERCENT=0
 * runs the same bench with V8's own growth), not here.
 */
import { describe, expect, it } from 'vitest';
import { tuneHeapForServing } from './heap-tuning.ts';

describe('the serving heap', () => {
  it('refuses a growth that is not a whole percentage from 0 to 1000', () => {
    expect(() => tuneHeapForServing(-1)).toThrow(/0 to 1000/);
    expect(() => tuneHeapForServing(1.5)).toThrow(/0 to 1000/);
    expect(() => tuneHeapForServing(Number.NaN)).toThrow(/0 to 1000/);
    expect(() => tuneHeapForServing(0)).not.toThrow();
  });
});
