/**
 * SLAs and regulatory clocks on the server: the two services, and the scheduler that journals
 * at-risk and breached SLAs and near and missed deadlines. Like the verification scheduler it
 * keeps nothing in memory: each tick asks the database what is due, one tick at a time.
 */
import type { Clock, ClockMark, Store } from '@cordon/core';
import { ContractClocks, RegulatoryService, SlaService } from '@cordon/core';

export interface ContractScheduler {
  /** Marks what is due at `at` (default now); resolves with the new marks. */
  tick(at?: number): Promise<ClockMark[]>;
  stop(): Promise<void>;
}

export interface Contracts {
  readonly sla: SlaService;
  readonly regulatory: RegulatoryService;
  readonly scheduler: ContractScheduler;
  close(): Promise<void>;
}

export function createContracts(options: {
  readonly store: Store;
  readonly clock: Clock;
  readonly intervalMs?: number;
  readonly warn: (message: string, error?: unknown) => void;
}): Contracts {
  const { store, clock } = options;
  const clocks = new ContractClocks({ store, clock });
  let running: Promise<ClockMark[]> | undefined;
  const tick = (at?: number): Promise<ClockMark[]> => {
    const next = (running ?? Promise.resolve([]))
      .catch(() => [])
      .then(() => clocks.markDue(at ?? clock.now()));
    running = next;
    return next;
  };
  const timer = setInterval(() => {
    tick().catch((error: unknown) => options.warn('SLA and regulatory clock tick failed', error));
  }, options.intervalMs ?? 60_000);
  timer.unref();
  const stop = async (): Promise<void> => {
    clearInterval(timer);
    await running?.catch(() => undefined);
  };
  return {
    sla: new SlaService({ store, clock }),
    regulatory: new RegulatoryService({ store, clock }),
    scheduler: { tick, stop },
    close: stop,
  };
}
