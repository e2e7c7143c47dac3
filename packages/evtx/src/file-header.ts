/**
 * The 4 KiB file header: signature, chunk counts, format version, flags and a CRC-32 of its
 * first 120 bytes. Forensic copies often carry a stale header (dirty flag, fewer chunks than
 * exist), so the reader trusts it for nothing but the signature.
 */
import { u16, u32, u64 } from './bytes.ts';
import { crc32 } from './crc32.ts';
import { EvtxFormatError } from './evtx-format-error.ts';

export const FILE_HEADER_SIZE = 4096;
const SIGNATURE = [0x45, 0x6c, 0x66, 0x46, 0x69, 0x6c, 0x65, 0x00]; // "ElfFile\0"

export interface FileHeader {
  readonly firstChunk: number | string;
  readonly lastChunk: number | string;
  readonly nextRecordId: number | string;
  readonly majorVersion: number;
  readonly minorVersion: number;
  readonly chunkCount: number;
  /** 1: dirty (not closed cleanly), 2: full. */
  readonly flags: number;
  readonly checksumOk: boolean;
}

export function parseFileHeader(bytes: Uint8Array): FileHeader {
  if (bytes.length < 128 || SIGNATURE.some((b, i) => bytes[i] !== b)) {
    throw new EvtxFormatError('not-evtx', 'not an EVTX file: no "ElfFile" signature at offset 0');
  }
  return {
    firstChunk: u64(bytes, 8),
    lastChunk: u64(bytes, 16),
    nextRecordId: u64(bytes, 24),
    minorVersion: u16(bytes, 36),
    majorVersion: u16(bytes, 38),
    chunkCount: u16(bytes, 42),
    flags: u32(bytes, 120),
    checksumOk: crc32(bytes, 0, 120) === u32(bytes, 124),
  };
}
