/**
 * On-disk telemetry spool with at-least-once delivery. Each batch is one file named by its
 * sequence number; a batch is deleted only when the server acknowledges a sequence at or above
 * it. The spool is bounded (bytes): when full, the oldest batches are dropped and counted,
 * because a host cut off for days must not fill its disk with our telemetry.
 */
import { mkdir, readFile, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../state/atomic-write.ts';

export interface SpooledBatch {
  readonly seq: number;
  readonly events: readonly Readonly<Record<string, unknown>>[];
}

const NAME = /^batch-(\d{16})\.json$/;

export class TelemetrySpool {
  readonly directory: string;
  readonly maxBytes: number;
  #nextSeq = 1;
  #sizes = new Map<number, number>();
  #dropped = 0;

  private constructor(directory: string, maxBytes: number) {
    this.directory = directory;
    this.maxBytes = maxBytes;
  }

  static async open(directory: string, maxBytes = 64 * 1024 * 1024): Promise<TelemetrySpool> {
    await mkdir(directory, { recursive: true, mode: 0o700 });
    const spool = new TelemetrySpool(directory, maxBytes);
    for (const name of await readdir(directory)) {
      const match = NAME.exec(name);
      if (match === null) continue;
      const seq = Number(match[1]);
      spool.#sizes.set(seq, (await stat(join(directory, name))).size);
      spool.#nextSeq = Math.max(spool.#nextSeq, seq + 1);
    }
    const counter = await readFile(join(directory, 'next-seq'), 'utf8').catch(() => '1');
    spool.#nextSeq = Math.max(spool.#nextSeq, Number(counter) || 1);
    return spool;
  }

  /** Batches dropped because the spool was full, since this spool was opened. */
  get dropped(): number {
    return this.#dropped;
  }

  get pendingCount(): number {
    return this.#sizes.size;
  }

  async append(events: readonly Readonly<Record<string, unknown>>[]): Promise<SpooledBatch> {
    const batch: SpooledBatch = { seq: this.#nextSeq, events };
    this.#nextSeq += 1;
    // The counter is persisted first: a sequence number is never reused, even after a crash.
    await writeFileAtomic(join(this.directory, 'next-seq'), String(this.#nextSeq));
    const text = JSON.stringify(batch);
    await writeFileAtomic(this.#file(batch.seq), text);
    this.#sizes.set(batch.seq, Buffer.byteLength(text));
    await this.#enforceBound();
    return batch;
  }

  /** Unacknowledged batches, oldest first. */
  async pending(): Promise<SpooledBatch[]> {
    const batches: SpooledBatch[] = [];
    for (const seq of [...this.#sizes.keys()].sort((a, b) => a - b)) {
      const text = await readFile(this.#file(seq), 'utf8').catch(() => undefined);
      if (text !== undefined) batches.push(JSON.parse(text) as SpooledBatch);
    }
    return batches;
  }

  /** Cumulative acknowledgement: every batch up to and including `seq` is delivered. */
  async acknowledge(seq: number): Promise<void> {
    for (const spooled of [...this.#sizes.keys()]) {
      if (spooled <= seq) {
        await rm(this.#file(spooled), { force: true });
        this.#sizes.delete(spooled);
      }
    }
  }

  #file(seq: number): string {
    return join(this.directory, `batch-${String(seq).padStart(16, '0')}.json`);
  }

  async #enforceBound(): Promise<void> {
    let total = [...this.#sizes.values()].reduce((sum, size) => sum + size, 0);
    for (const seq of [...this.#sizes.keys()].sort((a, b) => a - b)) {
      if (total <= this.maxBytes || this.#sizes.size <= 1) break;
      total -= this.#sizes.get(seq) ?? 0;
      await rm(this.#file(seq), { force: true });
      this.#sizes.delete(seq);
      this.#dropped += 1;
    }
  }
}
