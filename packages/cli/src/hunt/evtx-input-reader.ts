/**
 * `.evtx` inputs for `cordon hunt`: Windows event logs read straight from their binary form,
 * streamed chunk by chunk by @cordon/evtx. Each record gives the same event as its
 * evtx_dump JSON would through the JSON reader (same flat view, same original), so a hunt
 * over a `.evtx` and over its JSON export find the same things. Records that cannot be
 * read are reported on stderr, one line each, and the hunt goes on; a file that is not
 * EVTX at all fails as a whole.
 *
 * Hunting is CPU-bound, so the file is read synchronously in 1 MiB blocks into one reused
 * buffer (no round trips through the thread pool, no garbage per block), and a record's
 * evtx_dump JSON — needed only to print a match — is built when asked for.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { readEvtxBlocks, recordFlat, recordJson } from '@cordon/evtx';
import type { EvtxRecord } from '@cordon/evtx';
import type { SigmaEvent } from '@cordon/sigma';
import type { HuntEvent, InputReader } from './input-reader.ts';

const BLOCK_SIZE = 1 << 20;

class EvtxHuntEvent implements HuntEvent {
  readonly file: string;
  readonly record: number;
  readonly event: SigmaEvent;
  private readonly item: EvtxRecord;

  constructor(file: string, record: number, item: EvtxRecord) {
    this.file = file;
    this.record = record;
    this.item = item;
    this.event = recordFlat(item, { spaceFreeNames: true });
  }

  get original(): unknown {
    return recordJson(this.item);
  }
}

/** The file's bytes in blocks, one buffer reused for all of them. */
function* fileBlocks(file: string): Generator<Uint8Array> {
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

export const evtxInputReader: InputReader = {
  kind: 'evtx',
  accepts: (file) => /\.evtx$/i.test(file),
  *read(file) {
    let position = 0;
    for (const item of readEvtxBlocks(fileBlocks(file))) {
      if (item.kind === 'error') {
        process.stderr.write(
          `error: ${file}: chunk ${item.chunk} offset ${item.offset}: ${item.reason}\n`,
        );
        continue;
      }
      if (item.kind !== 'record') continue;
      position++;
      const record = typeof item.recordId === 'number' ? item.recordId : position;
      yield new EvtxHuntEvent(file, record, item);
    }
  },
};
