/**
 * `.evtx` inputs for `cordon hunt`: Windows event logs read straight from their binary form,
 * streamed chunk by chunk by @cordon/evtx. Each record gives the same event as its
 * evtx_dump JSON would through the JSON reader (same flat view, same original), so a hunt
 * over a `.evtx` and over its JSON export find the same things. Records that cannot be
 * read are reported on stderr, one line each, and the hunt goes on; a file that is not
 * EVTX at all fails as a whole.
 */
import { createReadStream } from 'node:fs';
import { flattenEvent, readEvtxStream, recordJson } from '@cordon/evtx';
import { withSigmaFieldNames } from '@cordon/sigma';
import type { HuntEvent, InputReader } from './input-reader.ts';

export const evtxInputReader: InputReader = {
  kind: 'evtx',
  accepts: (file) => /\.evtx$/i.test(file),
  async *read(file) {
    const stream = createReadStream(file, { highWaterMark: 1 << 20 });
    let position = 0;
    try {
      for await (const item of readEvtxStream(stream as AsyncIterable<Uint8Array>)) {
        if (item.kind === 'error') {
          process.stderr.write(
            `error: ${file}: chunk ${item.chunk} offset ${item.offset}: ${item.reason}\n`,
          );
          continue;
        }
        if (item.kind !== 'record') continue;
        position++;
        const original = recordJson(item);
        const record = typeof item.recordId === 'number' ? item.recordId : position;
        yield {
          file,
          record,
          event: withSigmaFieldNames(flattenEvent(original)),
          original,
        } satisfies HuntEvent;
      }
    } finally {
      stream.destroy();
    }
  },
};
