/**
 * Streaming: reads an EVTX file from blocks of any size (a file stream, a fetch body) and
 * yields its items chunk by chunk, holding at most one 64 KiB chunk and the block being
 * consumed, so memory stays bounded whatever the file's size.
 */
import { CHUNK_SIZE, chunkSignature, readChunk } from './chunk-reader.ts';
import { headerWarnings, trailingData } from './evtx-file.ts';
import { EvtxFormatError } from './evtx-format-error.ts';
import type { EvtxItem } from './evtx-item.ts';
import { FILE_HEADER_SIZE, parseFileHeader } from './file-header.ts';

export async function* readEvtxStream(
  blocks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<EvtxItem> {
  const buffer = new Uint8Array(CHUNK_SIZE);
  let filled = 0;
  let offset = 0; // file offset of buffer[0]
  let chunkCount = -1;
  let index = 0;
  let ended = false;

  function* flush(length: number): Generator<EvtxItem> {
    if (chunkCount < 0) {
      const header = parseFileHeader(buffer.subarray(0, length));
      chunkCount = header.chunkCount;
      yield* headerWarnings(header);
    } else if (!ended) {
      const chunk = buffer.subarray(0, length);
      if (index >= chunkCount && chunkSignature(chunk) === 'bad') {
        ended = true;
        yield* trailingData(index, offset);
      } else {
        yield* readChunk(chunk, { index, offset });
      }
      index++;
    }
  }

  for await (const block of blocks) {
    let at = 0;
    while (at < block.length && !ended) {
      const wanted = (chunkCount < 0 ? FILE_HEADER_SIZE : CHUNK_SIZE) - filled;
      const take = Math.min(wanted, block.length - at);
      buffer.set(block.subarray(at, at + take), filled);
      filled += take;
      at += take;
      if (filled === (chunkCount < 0 ? FILE_HEADER_SIZE : CHUNK_SIZE)) {
        yield* flush(filled);
        offset += filled;
        filled = 0;
      }
    }
    if (ended) return;
  }
  if (chunkCount < 0) {
    if (filled < 128)
      throw new EvtxFormatError('not-evtx', 'not an EVTX file: shorter than a file header');
    yield* flush(filled);
  } else if (filled > 0) {
    yield* flush(filled);
  }
}
