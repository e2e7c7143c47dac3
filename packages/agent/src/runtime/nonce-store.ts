/**
 * Nonces of accepted commands, persisted so a command captured before a restart cannot be
 * replayed after it. An entry is kept until its command expires (then the expiry check alone
 * refuses it); protocol caps command lifetime at one hour, which bounds the set.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/atomic-write.ts';

export class NonceStore {
  readonly path: string;
  readonly #entries = new Map<string, number>();

  private constructor(path: string) {
    this.path = path;
  }

  static async open(stateDir: string): Promise<NonceStore> {
    const store = new NonceStore(join(stateDir, 'nonces.json'));
    const text = await readFile(store.path, 'utf8').catch(() => '{}');
    for (const [nonce, expiresAt] of Object.entries(JSON.parse(text) as Record<string, number>)) {
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

  /** Records a nonce durably; call before acting on the command. */
  async record(nonce: string, expiresAt: number, now: number): Promise<void> {
    for (const [seen, expiry] of this.#entries) if (expiry <= now) this.#entries.delete(seen);
    this.#entries.set(nonce, expiresAt);
    await writeFileAtomic(this.path, JSON.stringify(Object.fromEntries(this.#entries)));
  }
}
