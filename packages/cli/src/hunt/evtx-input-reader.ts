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
import { readEvtxBlocks, recordFlat, recordJson } from '@cordon/evtx';
import type { EvtxRecord } from '@cordon/evtx';
import type { SigmaEvent } from '@cordon/sigma';
import { fileBlocks } from '../file-blocks.ts';
import type { HuntEvent, InputReader } from './input-reader.ts';

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

  #original: unknown;

  /** The record's evtx_dump JSON, built on first use (only matches are printed). */
  get original(): unknown {
    return (this.#original ??= recordJson(this.item));
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
