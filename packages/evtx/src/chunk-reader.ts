/**
 * One 64 KiB chunk: its header (signature, checksums, where records end), then its records,
 * each a small header and a BinXML body. Names and templates are cached for the chunk's
 * lifetime only, which bounds memory by one chunk. A record that cannot be parsed is reported
 * and skipped by its size; a record whose size cannot be trusted ends the chunk.
 */
import { u32, u64 } from './bytes.ts';
import { BinXmlReader, ChunkStrings } from './binxml-reader.ts';
import { crc32 } from './crc32.ts';
import { EvtxFormatError } from './evtx-format-error.ts';
import type { EvtxItem } from './evtx-item.ts';
import { filetimeIso } from './filetime.ts';
import { expandNodes } from './template-expansion.ts';
import { jsonTime } from './xml-tree.ts';

export const CHUNK_SIZE = 65536;
const CHUNK_HEADER_SIZE = 512;
const RECORD_HEADER_SIZE = 24;
const CHUNK_SIGNATURE = [0x45, 0x6c, 0x66, 0x43, 0x68, 0x6e, 0x6b, 0x00]; // "ElfChnk\0"

export interface ChunkLocation {
  readonly index: number;
  /** Offset of the chunk in the file. */
  readonly offset: number;
}

/** Whether the block starts like a chunk; an all-zero start is unused space, not damage. */
export function chunkSignature(bytes: Uint8Array): 'chunk' | 'empty' | 'bad' {
  if (CHUNK_SIGNATURE.every((b, i) => bytes[i] === b)) return 'chunk';
  for (let i = 0; i < 8; i++) if (bytes[i] !== 0) return 'bad';
  return 'empty';
}

export function* readChunk(bytes: Uint8Array, where: ChunkLocation): Generator<EvtxItem> {
  const chunk = where.index;
  const signature = chunkSignature(bytes);
  if (signature === 'empty') return;
  if (signature === 'bad' || bytes.length < CHUNK_HEADER_SIZE) {
    yield { kind: 'error', chunk, offset: where.offset, reason: 'bad chunk signature' };
    return;
  }
  const freeSpace = u32(bytes, 48);
  const recordsEnd =
    freeSpace >= CHUNK_HEADER_SIZE && freeSpace <= bytes.length ? freeSpace : bytes.length;
  const headerCrc = crc32(bytes, 128, CHUNK_HEADER_SIZE, crc32(bytes, 0, 120));
  if (headerCrc !== u32(bytes, 124)) {
    yield {
      kind: 'warning',
      chunk,
      offset: where.offset,
      reason: 'chunk header checksum mismatch',
    };
  }
  if (crc32(bytes, CHUNK_HEADER_SIZE, recordsEnd) !== u32(bytes, 52)) {
    yield {
      kind: 'warning',
      chunk,
      offset: where.offset,
      reason: 'chunk records checksum mismatch',
    };
  }
  const strings = new ChunkStrings(bytes);
  // Space after the chunk's last record (by its header) may hold stale records: not read.
  const lastRecordId = u64(bytes, 32);
  let pos = CHUNK_HEADER_SIZE;
  while (pos + RECORD_HEADER_SIZE <= recordsEnd) {
    const offset = where.offset + pos;
    if (u32(bytes, pos) !== 0x00002a2a) {
      if (!isZero(bytes, pos, recordsEnd)) {
        yield { kind: 'error', chunk, offset, reason: 'bad record signature' };
      }
      return;
    }
    const size = u32(bytes, pos + 4);
    // A record whose size field is 0 cannot say where the next one starts: its BinXML is
    // read to its end marker, and it is the chunk's last readable record.
    const sizeUnknown = size === 0;
    if (!sizeUnknown && (size < RECORD_HEADER_SIZE + 4 || pos + size > bytes.length)) {
      yield { kind: 'error', chunk, offset, reason: `bad record size ${size}` };
      return;
    }
    const recordId = u64(bytes, pos + 8);
    try {
      const bodyEnd = sizeUnknown ? recordsEnd : pos + size - 4;
      const reader = new BinXmlReader(strings, pos + RECORD_HEADER_SIZE, bodyEnd);
      const nodes = reader.readFragment(0);
      const content = expandNodes(nodes, [], 0, reader.budget);
      yield {
        kind: 'record',
        chunk,
        offset,
        recordId,
        timestamp: jsonTime(filetimeIso(bytes, pos + 16)),
        content,
      };
    } catch (error) {
      if (!(error instanceof EvtxFormatError)) throw error;
      yield { kind: 'error', chunk, offset, reason: `record ${recordId}: ${error.message}` };
    }
    if (sizeUnknown || recordId === lastRecordId) return;
    pos += size;
  }
}

function isZero(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (bytes[i] !== 0) return false;
  return true;
}
