/**
 * Background work (parsing a bulk body, writing a batch, handing it to detection) shares the
 * one thread with every request. It runs in slices of a few milliseconds and, between two
 * slices, waits here for its turn: one slice per turn of the event loop, in the order they
 * asked, so that the loop polls for I/O (another tenant's search, `/healthz`) after each.
 *
 * A bare `setImmediate` is not enough: Node runs every immediate queued before the check
 * phase in one go, so four bodies and the writer, each yielding after 2–5 ms, held the thread
 * for 15–20 ms between two polls, and that was everyone else's p99 (bench:hostile).
 */

const waiting: (() => void)[] = [];
let scheduled = false;

function release(): void {
  scheduled = false;
  const next = waiting.shift();
  // Queued from inside the check phase, the next release is in the next turn of the loop.
  if (waiting.length > 0) schedule();
  next?.();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(release);
}

/** Resolves in a later turn of the event loop than any other slice that waits with it. */
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

/** Slices waiting for their turn (for tests and metrics). */
export function waitingSlices(): number {
  return waiting.length;
}
