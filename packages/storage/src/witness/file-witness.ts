/**
 * The journal witness file: every signed checkpoint appended as one JSON line, opened with
 * O_APPEND and fsync'd before the checkpoint counts as witnessed. It lives outside the
 * database files (by default its own folder in the data directory, 0700, the file 0600;
 * better on another disk or host, or marked append-only with `chattr +a`), so whoever edits
 * the database cannot also take back what the witness saw.
 */
import type { CheckpointWitness, JournalCheckpoint } from '@cordon/core';
import { chmodSync, mkdirSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { witnessLine } from './witness-line.ts';

/** Where the witness goes unless CORDON_JOURNAL_WITNESS says otherwise. */
export function defaultWitnessPath(dataDir: string): string {
  return join(dataDir, 'witness', 'journal-witness.jsonl');
}

/** The witness path for this data directory and environment. */
export function witnessPathFrom(env: NodeJS.ProcessEnv, dataDir: string): string {
  return env['CORDON_JOURNAL_WITNESS'] || defaultWitnessPath(dataDir);
}

export class FileWitness implements CheckpointWitness {
  readonly name: string;
  readonly #handle: FileHandle;
  /** Appends in the order they were asked for, one at a time. */
  #tail: Promise<void> = Promise.resolve();

  private constructor(path: string, handle: FileHandle) {
    this.name = `file ${path}`;
    this.#handle = handle;
  }

  static async open(path: string): Promise<FileWitness> {
    const dir = dirname(path);
    // Only a folder we made is ours to tighten; an existing one (/var/log …) is the operator's.
    if (mkdirSync(dir, { recursive: true, mode: 0o700 }) !== undefined) chmodSync(dir, 0o700);
    const handle = await open(path, 'a', 0o600);
    const { mode } = await handle.stat();
    if ((mode & 0o077) !== 0) {
      // May be refused on an append-only (chattr +a) file, which is protected anyway.
      await handle.chmod(0o600).catch(() => undefined);
    }
    return new FileWitness(path, handle);
  }

  record(checkpoint: JournalCheckpoint): Promise<void> {
    const line = witnessLine(checkpoint);
    const done = this.#tail.then(async () => {
      await this.#handle.write(line);
      await this.#handle.sync();
    });
    this.#tail = done.catch(() => undefined);
    return done;
  }

  async close(): Promise<void> {
    await this.#tail;
    await this.#handle.close();
  }
}
