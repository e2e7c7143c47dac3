/**
 * A store whose next two transactions (once `start` is called) each wait until both have been
 * made: two writers that read before they write then both read the old state — a race, not two
 * turns — so a test can show that compare-and-set lets only the right outcome through.
 */
import type { Store } from '@cordon/core';

export function racingReads(store: Store): { readonly store: Store; start(): void } {
  let reading = false;
  let reads = 0;
  let release: (() => void) | undefined;
  const bothRead = new Promise<void>((resolve) => (release = resolve));
  const racing = new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property !== 'transaction' || typeof value !== 'function') return value;
      return async (work: Parameters<Store['transaction']>[0]) => {
        if (!reading || reads >= 2) return target.transaction(work);
        reads += 1;
        const result = await target.transaction(work);
        if (reads === 2) release?.();
        await bothRead;
        return result;
      };
    },
  });
  return {
    store: racing,
    start: () => {
      reading = true;
    },
  };
}
