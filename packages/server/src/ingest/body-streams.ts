/**
 * The byte streams under a bulk body: a byte limit that fails the body as soon as it is passed
 * (before the bytes are used), gzip inflated block by block (`zlib.createGunzip`) with a cut or
 * corrupt stream reported instead of thrown — what was inflated before it is kept — and a peek
 * at the first bytes (to tell EVTX, a JSON array or lines apart) that gives them back.
 * Nothing here holds more than a block at a time; pulling slowly pauses the socket below.
 */
import { CordonError } from '@cordon/core';
import { pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** Where a gzip stream stopped being readable. */
export interface GzipCut {
  readonly message: string;
  /** Bytes inflated before the cut. */
  readonly inflated: number;
  /** The first bytes of the compressed body (what is kept when nothing could be inflated). */
  readonly compressedHead: Uint8Array;
}

const COMPRESSED_HEAD_BYTES = 64 * 1024;

export async function* limitBytes(
  blocks: AsyncIterable<Uint8Array>,
  maxBytes: number,
  what: string,
): AsyncGenerator<Uint8Array> {
  let total = 0;
  for await (const block of blocks) {
    total += block.byteLength;
    if (total > maxBytes) {
      throw new CordonError(
        'payload_too_large',
        `the ${what} is larger than ${maxBytes} bytes: send smaller batches`,
        { details: { limitBytes: maxBytes } },
      );
    }
    yield block;
  }
}

/**
 * Inflated blocks of a gzip body (several members are read one after the other). A zlib
 * error ends the blocks and is left in `cut.value`; any other error (the body's limit, the
 * client going away) is thrown.
 */
export async function* gunzipBlocks(
  compressed: AsyncIterable<Uint8Array>,
  cut: { value?: GzipCut },
): AsyncGenerator<Uint8Array> {
  let head = new Uint8Array(0);
  async function* tapped(): AsyncGenerator<Uint8Array> {
    for await (const block of compressed) {
      if (head.byteLength < COMPRESSED_HEAD_BYTES) {
        const room = COMPRESSED_HEAD_BYTES - head.byteLength;
        head = Buffer.concat([head, block.subarray(0, room)]);
      }
      yield block;
    }
  }
  const gunzip = createGunzip();
  pipeline(tapped(), gunzip, () => undefined);
  let inflated = 0;
  try {
    for await (const block of gunzip) {
      inflated += (block as Buffer).byteLength;
      yield block as Buffer;
    }
  } catch (error) {
    if (!isZlibError(error)) throw error;
    cut.value = { message: (error as Error).message, inflated, compressedHead: head };
  } finally {
    gunzip.destroy();
  }
}

function isZlibError(error: unknown): boolean {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('Z_');
}

/** The first `bytes` bytes (fewer if the body is shorter), and all blocks including them. */
export async function peekBlocks(
  blocks: AsyncIterable<Uint8Array>,
  bytes: number,
): Promise<{ head: Uint8Array; blocks: AsyncIterable<Uint8Array>; close(): Promise<void> }> {
  const iterator = blocks[Symbol.asyncIterator]();
  const peeked: Uint8Array[] = [];
  let length = 0;
  let ended = false;
  while (length < bytes) {
    const next = await iterator.next();
    if (next.done === true) {
      ended = true;
      break;
    }
    peeked.push(next.value);
    length += next.value.byteLength;
  }
  async function* all(): AsyncGenerator<Uint8Array> {
    yield* peeked.splice(0);
    if (ended) return;
    for (let next = await iterator.next(); next.done !== true; next = await iterator.next()) {
      yield next.value;
    }
  }
  return {
    head: Buffer.concat(peeked).subarray(0, bytes),
    blocks: all(),
    // Stopped early (a limit, an error): the sources below close their streams.
    close: async () => {
      await iterator.return?.();
    },
  };
}
