/**
 * Reads a whole EVTX file held in memory: the file header, then every 64 KiB block after it
 * as a chunk, whatever count the header gives (stale headers under-count in dirty files).
 */
import { CHUNK_SIZE, chunkSignature, readChunk } from './chunk-reader.ts';
import type { EvtxItem } from './evtx-item.ts';
import { FILE_HEADER_SIZE, parseFileHeader } from './file-header.ts';
import type { FileHeader } from './file-header.ts';

/** Throws EvtxFormatError('not-evtx') when the file is not EVTX at all. */
export function* readEvtx(bytes: Uint8Array): Generator<EvtxItem, FileHeader> {
  const header = parseFileHeader(bytes);
  yield* headerWarnings(header);
  for (
    let offset = FILE_HEADER_SIZE, index = 0;
    offset < bytes.length;
    offset += CHUNK_SIZE, index++
  ) {
    const chunk = bytes.subarray(offset, Math.min(offset + CHUNK_SIZE, bytes.length));
    if (index >= header.chunkCount && chunkSignature(chunk) === 'bad') {
      yield* trailingData(index, offset);
      break;
    }
    yield* readChunk(chunk, { index, offset });
  }
  return header;
}

export function* headerWarnings(header: FileHeader): Generator<EvtxItem> {
  if (!header.checksumOk) {
    yield { kind: 'warning', chunk: -1, offset: 0, reason: 'file header checksum mismatch' };
  }
}

/**
 * Past the chunks the header counts, a dirty file may hold more real chunks, so they are read;
 * the first block that is not a chunk there is the end of the log, not damage.
 */
export function* trailingData(index: number, offset: number): Generator<EvtxItem> {
  yield {
    kind: 'warning',
    chunk: index,
    offset,
    reason: 'no chunk signature past the chunks the file header counts: end of log data',
  };
}
