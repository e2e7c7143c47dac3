/**
 * A witness on another system (a webhook, a syslog collector): each signed checkpoint is
 * queued and sent in the background, retried with growing delays while the other end is down,
 * so the journal never waits on the network. The queue is bounded; when it is full the oldest
 * line is dropped and reported (the file witness still holds it).
 */
import type { CheckpointWitness, JournalCheckpoint } from '@cordon/core';
import { witnessLine } from '@cordon/storage';

/** How one line (a checkpoint as JSON, without its newline) reaches the other system. */
export interface WitnessTransport {
  readonly name: string;
  send(line: string): Promise<void>;
  close(): Promise<void>;
}

export interface RemoteWitnessOptions {
  readonly transport: WitnessTransport;
  /** Lines kept while the other end is unreachable. */
  readonly maxQueued?: number;
  /** Waits between attempts; the last repeats. */
  readonly retryDelaysMs?: readonly number[];
  /** How long `close` keeps trying to deliver what is queued. */
  readonly closeDeadlineMs?: number;
  readonly onError: (message: string, error: unknown) => void;
}

const defaults = { maxQueued: 10_000, retryDelaysMs: [1000, 5000, 30_000], closeDeadlineMs: 3000 };

export class RemoteWitness implements CheckpointWitness {
  readonly name: string;
  readonly #options: Required<RemoteWitnessOptions>;
  readonly #queue: string[] = [];
  #draining: Promise<void> | undefined;
  #closing = false;
  #wake: (() => void) | undefined;

  constructor(options: RemoteWitnessOptions) {
    this.#options = { ...defaults, ...options } satisfies Required<RemoteWitnessOptions>;
    this.name = options.transport.name;
  }

  /** Queues the checkpoint and returns at once. */
  record(checkpoint: JournalCheckpoint): Promise<void> {
    if (this.#closing) return Promise.resolve();
    if (this.#queue.length >= this.#options.maxQueued) {
      this.#queue.shift();
      this.#options.onError(`${this.name}: queue full, oldest checkpoint dropped`, undefined);
    }
    this.#queue.push(witnessLine(checkpoint).trimEnd());
    this.#draining ??= this.#drain().finally(() => {
      this.#draining = undefined;
    });
    return Promise.resolve();
  }

  /** Pending lines (tests, metrics). */
  get queued(): number {
    return this.#queue.length;
  }

  async #drain(): Promise<void> {
    let failures = 0;
    while (this.#queue.length > 0) {
      try {
        await this.#options.transport.send(this.#queue[0]!);
        this.#queue.shift();
        failures = 0;
      } catch (error) {
        if (failures === 0) this.#options.onError(`${this.name}: delivery failed, retrying`, error);
        if (this.#closing) return;
        const delays = this.#options.retryDelaysMs;
        await this.#sleep(delays[Math.min(failures, delays.length - 1)] ?? 1000);
        failures += 1;
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      timer.unref();
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#wake?.();
    if (this.#draining) {
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, this.#options.closeDeadlineMs);
      });
      await Promise.race([this.#draining, deadline]);
      clearTimeout(timer);
    }
    if (this.#queue.length > 0) {
      this.#options.onError(
        `${this.name}: ${this.#queue.length} checkpoint(s) not delivered at shutdown`,
        undefined,
      );
    }
    await this.#options.transport.close();
  }
}
