/**
 * Streaming: reads an EVTX file from blocks of any size (a file stream, a fetch body, blocks
 * read synchronously from a file descriptor) and yields its items chunk by chunk, holding at
 * most one 64 KiB chunk and the block being consumed, so memory stays bounded whatever the
 * file's size. A block may be reused by the caller once the items it completed are consumed.
 */
import { CHUNK_SIZE, chunkSignature, readChunk } from './chunk-reader.ts';
import { headerWarnings, trailingData } from './evtx-file.ts';
import { EvtxFormatError } from './evtx-format-error.ts';
import type { EvtxItem } from './evtx-item.ts';
import { FILE_HEADER_SIZE, parseFileHeader } from './file-header.ts';

/** The state machine behind both readers: blocks in, items out. */
class EvtxBlockDecoder {
  private readonly buffer = new Uint8Array(CHUNK_SIZE);
  private filled = 0;
  /** File offset of the header or chunk being gathered. */
  private offset = 0;
  private chunkCount = -1;
  private index = 0;
  /** Set once data past the last chunk is found: the rest of the file is not read. */
  ended = false;

  *push(block: Uint8Array): Generator<EvtxItem> {
    let at = 0;
    while (at < block.length && !this.ended) {
      const size = this.chunkCount < 0 ? FILE_HEADER_SIZE : CHUNK_SIZE;
      if (this.filled === 0 && block.length - at >= size) {
        // A whole header or chunk in the block: read it where it is, without a copy.
        yield* this.flush(block.subarray(at, at + size));
        this.offset += size;
        at += size;
        continue;
      }
      const take = Math.min(size - this.filled, block.length - at);
      this.buffer.set(block.subarray(at, at + take), this.filled);
      this.filled += take;
      at += take;
      if (this.filled === size) {
        yield* this.flush(this.buffer.subarray(0, size));
        this.offset += this.filled;
        this.filled = 0;
      }
    }
  }

  *end(): Generator<EvtxItem> {
    if (this.ended) return;
    if (this.chunkCount < 0) {
      if (this.filled < 128)
        throw new EvtxFormatError('not-evtx', 'not an EVTX file: shorter than a file header');
      yield* this.flush(this.buffer.subarray(0, this.filled));
    } else if (this.filled > 0) {
      yield* this.flush(this.buffer.subarray(0, this.filled));
    }
  }

  private *flush(bytes: Uint8Array): Generator<EvtxItem> {
    if (this.chunkCount < 0) {
      const header = parseFileHeader(bytes);
      this.chunkCount = header.chunkCount;
      yield* headerWarnings(header);
    } else if (!this.ended) {
      if (this.index >= this.chunkCount && chunkSignature(bytes) === 'bad') {
        this.ended = true;
        yield* trailingData(this.index, this.offset);
      } else {
        yield* readChunk(bytes, { index: this.index, offset: this.offset });
      }
      this.index++;
    }
  }
}

export async function* readEvtxStream(
  blocks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<EvtxItem> {
  const decoder = new EvtxBlockDecoder();
  for await (const block of blocks) {
    yield* decoder.push(block);
    if (decoder.ended) return;
  }
  yield* decoder.end();
}

/** The synchronous twin of `readEvtxStream`, for blocks read synchronously. */
export function* readEvtxBlocks(blocks: Iterable<Uint8Array>): Generator<EvtxItem> {
  const decoder = new EvtxBlockDecoder();
  for (const block of blocks) {
    yield* decoder.push(block);
    if (decoder.ended) return;
  }
  yield* decoder.end();
}
