/**
 * Runs the verification checks that repeat (re-hunts for N days). Their next run time is in the
 * database, so a restarted server picks up where the last one stopped: each tick asks for what
 * is due. One tick at a time; a failing tick is reported and the next one tries again.
 */
import type { VerificationRun, VerificationService } from '@cordon/core';

export interface VerificationScheduler {
  /** Runs what is due at `at` (default now); resolves with the runs it made. */
  tick(at?: number): Promise<VerificationRun[]>;
  stop(): Promise<void>;
}

export function startVerificationScheduler(options: {
  readonly verification: Pick<VerificationService, 'runDue'>;
  readonly now: () => number;
  readonly intervalMs: number;
  readonly onError: (message: string, error: unknown) => void;
}): VerificationScheduler {
  let running: Promise<VerificationRun[]> | undefined;
  const tick = (at?: number): Promise<VerificationRun[]> => {
    const previous = running ?? Promise.resolve([]);
    const next = previous
      .catch(() => [])
      .then(() => options.verification.runDue(at ?? options.now()));
    running = next;
    return next;
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => options.onError('scheduled verification failed', error));
  }, options.intervalMs);
  timer.unref();
  return {
    tick,
    stop: async () => {
      clearInterval(timer);
      await running?.catch(() => undefined);
    },
  };
}
