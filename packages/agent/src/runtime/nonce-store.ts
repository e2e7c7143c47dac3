/**
 * Nonces of accepted commands, persisted so a command captured before a restart cannot be
 * replayed after it. An entry is kept until its command expires; then the expiry check alone
 * refuses it, and protocol caps command lifetime at one hour, which bounds the set.
 *
 * Two watermarks close what pruning and losing the file would reopen:
 * - `expiredUpTo`: the latest expiry of a pruned nonce. A command expiring at or before it is
 *   refused even if the agent's clock was set back (which would make it look valid again
 *   after its nonce was forgotten).
 * - `issuedFrom`: set when an enrolled agent starts and finds the store missing or unreadable
 *   (deleted, quarantined, corrupted). The nonces are lost, so no command issued before that
 *   moment can be told apart from a replay: they are refused, later ones accepted.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CommandBody } from '@cordon/protocol';
import { writeFileAtomic } from '../state/atomic-write.ts';

interface NonceFile {
  readonly version: 2;
  readonly expiredUpTo: number;
  readonly issuedFrom: number;
  readonly nonces: Record<string, number>;
}

export interface NonceStoreOptions {
  /** Whether the agent is enrolled: only then is a missing store a loss. */
  readonly enrolled: boolean;
  readonly now: number;
}

export class NonceStore {
  readonly path: string;
  readonly #entries = new Map<string, number>();
  #expiredUpTo = 0;
  #issuedFrom = 0;

  private constructor(path: string) {
    this.path = path;
  }

  static async open(
    stateDir: string,
    options: NonceStoreOptions = { enrolled: false, now: Date.now() },
  ): Promise<NonceStore> {
    const store = new NonceStore(join(stateDir, 'nonces.json'));
    const file = await readNonceFile(store.path);
    if (file === undefined) {
      if (options.enrolled) store.#issuedFrom = options.now;
      await store.#persist();
      return store;
    }
    store.#expiredUpTo = file.expiredUpTo;
    store.#issuedFrom = file.issuedFrom;
    for (const [nonce, expiresAt] of Object.entries(file.nonces)) {
      store.#entries.set(nonce, expiresAt);
    }
    return store;
  }

  has(nonce: string): boolean {
    return this.#entries.has(nonce);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Why a command that passed `verifyCommand` must still be refused as a possible replay. */
  replayRisk(command: Pick<CommandBody, 'issuedAt' | 'expiresAt'>): string | undefined {
    if (command.expiresAt <= this.#expiredUpTo) {
      return `command expired at ${command.expiresAt}, before nonces forgotten up to ${this.#expiredUpTo} (was the clock set back?)`;
    }
    if (command.issuedAt < this.#issuedFrom) {
      return `command issued at ${command.issuedAt}, before the nonce store was lost (${this.#issuedFrom})`;
    }
    return undefined;
  }

  /** Records a nonce durably; call before acting on the command. */
  async record(nonce: string, expiresAt: number, now: number): Promise<void> {
    for (const [seen, expiry] of this.#entries) {
      if (expiry > now) continue;
      this.#entries.delete(seen);
      this.#expiredUpTo = Math.max(this.#expiredUpTo, expiry);
    }
    this.#entries.set(nonce, expiresAt);
    await this.#persist();
  }

  #persist(): Promise<void> {
    const file: NonceFile = {
      version: 2,
      expiredUpTo: this.#expiredUpTo,
      issuedFrom: this.#issuedFrom,
      nonces: Object.fromEntries(this.#entries),
    };
    return writeFileAtomic(this.path, JSON.stringify(file));
  }
}

/** The stored file, or `undefined` when it is missing or unreadable (both lose the nonces). */
async function readNonceFile(path: string): Promise<NonceFile | undefined> {
  const text = await readFile(path, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  // Version 1 was the bare map of nonce → expiry.
  const nonces = record.version === 2 ? record.nonces : record;
  if (typeof nonces !== 'object' || nonces === null) return undefined;
  const entries = Object.entries(nonces as Record<string, unknown>);
  if (!entries.every(([, expiry]) => typeof expiry === 'number' && Number.isFinite(expiry)))
    return undefined;
  const mark = (key: string): number =>
    record.version === 2 && typeof record[key] === 'number' ? record[key] : 0;
  return {
    version: 2,
    expiredUpTo: mark('expiredUpTo'),
    issuedFrom: mark('issuedFrom'),
    nonces: Object.fromEntries(entries) as Record<string, number>,
  };
}
