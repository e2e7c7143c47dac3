/**
 * Little-endian reads over a Uint8Array without DataView or allocation. Callers check bounds
 * with `need` first; the reads themselves trust their offsets, which keeps them small enough
 * for the engine to inline.
 */
import { EvtxFormatError } from './evtx-format-error.ts';

export function need(bytes: Uint8Array, offset: number, length: number, what: string): void {
  if (offset < 0 || length < 0 || offset + length > bytes.length) {
    throw new EvtxFormatError(
      'out-of-bounds',
      `${what} at offset ${offset} needs ${length} bytes, only ${Math.max(0, bytes.length - offset)} left`,
    );
  }
}

export function u16(bytes: Uint8Array, offset: number): number {
  return (bytes[offset] as number) | ((bytes[offset + 1] as number) << 8);
}

export function u32(bytes: Uint8Array, offset: number): number {
  return (
    ((bytes[offset] as number) |
      ((bytes[offset + 1] as number) << 8) |
      ((bytes[offset + 2] as number) << 16) |
      ((bytes[offset + 3] as number) << 24)) >>>
    0
  );
}

export function i32(bytes: Uint8Array, offset: number): number {
  return u32(bytes, offset) | 0;
}

/** A 64-bit unsigned value as a number when it is exact, else as a decimal string. */
export function u64(bytes: Uint8Array, offset: number): number | string {
  const high = u32(bytes, offset + 4);
  const low = u32(bytes, offset);
  if (high < 0x200000) return high * 0x100000000 + low;
  return ((BigInt(high) << 32n) | BigInt(low)).toString();
}

export function i64(bytes: Uint8Array, offset: number): number | string {
  const high = i32(bytes, offset + 4);
  const low = u32(bytes, offset);
  if (high >= -0x200000 && high < 0x200000) return high * 0x100000000 + low;
  return ((BigInt(high) << 32n) | BigInt(low)).toString();
}

const utf16Decoder = new TextDecoder('utf-16le');
const SHORT_STRING = 32;

/**
 * Decodes `charCount` UTF-16LE code units. Short strings (most names and values) are cheaper
 * to build by hand than through TextDecoder's call overhead.
 */
export function utf16(bytes: Uint8Array, offset: number, charCount: number): string {
  if (charCount > SHORT_STRING) {
    return utf16Decoder.decode(bytes.subarray(offset, offset + 2 * charCount));
  }
  let text = '';
  for (let i = offset, end = offset + 2 * charCount; i < end; i += 2) {
    text += String.fromCharCode((bytes[i] as number) | ((bytes[i + 1] as number) << 8));
  }
  return text;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

export function hexUpper(bytes: Uint8Array, offset: number, length: number): string {
  let text = '';
  for (let i = offset, end = offset + length; i < end; i++) text += HEX[bytes[i] as number];
  return text;
}
