/**
 * Signed results waiting for the server's acknowledgement, persisted so that a result produced
 * just before a crash or a disconnect still reaches the server (an action must not stay
 * "sent" for ever). Bounded: at most `max` results are kept, oldest dropped first.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SignedCommandResult } from '@cordon/protocol';
import { writeFileAtomic } from '../state/atomic-write.ts';

export class ResultOutbox {
  readonly path: string;
  readonly #max: number;
  #results = new Map<string, SignedCommandResult>();
  #queue: Promise<unknown> = Promise.resolve();

  private constructor(path: string, max: number) {
    this.path = path;
    this.#max = max;
  }

  static async open(stateDir: string, max = 1000): Promise<ResultOutbox> {
    const outbox = new ResultOutbox(join(stateDir, 'outbox.json'), max);
    const text = await readFile(outbox.path, 'utf8').catch(() => '[]');
    for (const result of JSON.parse(text) as SignedCommandResult[]) {
      if (result.body.commandId !== undefined) outbox.#results.set(result.body.commandId, result);
    }
    return outbox;
  }

  get pending(): readonly SignedCommandResult[] {
    return [...this.#results.values()];
  }

  add(result: SignedCommandResult): Promise<void> {
    const id = result.body.commandId;
    if (id === undefined) return Promise.resolve();
    this.#results.set(id, result);
    while (this.#results.size > this.#max) {
      const oldest = this.#results.keys().next().value;
      if (oldest === undefined) break;
      this.#results.delete(oldest);
    }
    return this.#persist();
  }

  acknowledge(commandId: string): Promise<void> {
    if (!this.#results.delete(commandId)) return Promise.resolve();
    return this.#persist();
  }

  #persist(): Promise<void> {
    const snapshot = JSON.stringify([...this.#results.values()]);
    const next = this.#queue.then(() => writeFileAtomic(this.path, snapshot));
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
