/**
 * A file's bytes in blocks read synchronously into one reused buffer (at most 1 MiB, no more
 * than the file's size): for CPU-bound readers such as hunting, which gain nothing from
 * round trips through the thread pool. A block is valid until the next one is asked for.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

const BLOCK_SIZE = 1 << 20;

export function* fileBlocks(file: string): Generator<Uint8Array> {
  const fd = openSync(file, 'r');
  try {
    const size = Math.max(1, Math.min(BLOCK_SIZE, fstatSync(fd).size));
    const buffer = new Uint8Array(size);
    for (;;) {
      const n = readSync(fd, buffer, 0, size, null);
      if (n === 0) return;
      yield buffer.subarray(0, n);
    }
  } finally {
    closeSync(fd);
  }
}
