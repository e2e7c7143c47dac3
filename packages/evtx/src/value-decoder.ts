/**
 * Substitution values: BinXML value types (MS-EVEN6 2.2.13 and libevtx's notes) decoded to
 * typed values. Damaged or short values never throw: what cannot be read as its type is
 * kept as hexadecimal bytes, so one odd value does not cost the whole record.
 */
import { hexUpper, i32, i64, u16, u32, u64, utf16 } from './bytes.ts';
import { filetimeIso, systemtimeIso } from './filetime.ts';
import { FiletimeValue, GuidValue } from './xml-tree.ts';
import type { XmlScalar, XmlValue } from './xml-tree.ts';

export const VALUE_NULL = 0x00;
export const VALUE_STRING = 0x01;
export const VALUE_BINXML = 0x21;
export const ARRAY_FLAG = 0x80;

/** Size of one element of each fixed-size type, for arrays. */
const FIXED_SIZE: Readonly<Record<number, number>> = {
  0x03: 1,
  0x04: 1,
  0x05: 2,
  0x06: 2,
  0x07: 4,
  0x08: 4,
  0x09: 8,
  0x0a: 8,
  0x0b: 4,
  0x0c: 8,
  0x0d: 4,
  0x0f: 16,
  0x11: 8,
  0x12: 16,
  0x14: 4,
  0x15: 8,
};

/** Decodes one value of `type` in `bytes[offset, offset + size)` (bounds already checked). */
export function decodeValue(
  bytes: Uint8Array,
  offset: number,
  size: number,
  type: number,
): XmlValue {
  if (type & ARRAY_FLAG) return decodeArray(bytes, offset, size, type & ~ARRAY_FLAG);
  return decodeScalar(bytes, offset, size, type);
}

function decodeScalar(bytes: Uint8Array, o: number, size: number, type: number): XmlScalar {
  const fixed = FIXED_SIZE[type];
  if (fixed !== undefined && size < fixed) return size === 0 ? null : hexUpper(bytes, o, size);
  switch (type) {
    case 0x00:
      return null;
    case 0x01:
      return stripNuls(utf16(bytes, o, size >>> 1));
    case 0x02:
      return stripNuls(latin1(bytes, o, size));
    case 0x03:
      return ((bytes[o] as number) << 24) >> 24;
    case 0x04:
      return bytes[o] as number;
    case 0x05:
      return (u16(bytes, o) << 16) >> 16;
    case 0x06:
      return u16(bytes, o);
    case 0x07:
      return i32(bytes, o);
    case 0x08:
      return u32(bytes, o);
    case 0x09:
      return i64(bytes, o);
    case 0x0a:
      return u64(bytes, o);
    case 0x0b:
      return new DataView(bytes.buffer, bytes.byteOffset + o, 4).getFloat32(0, true);
    case 0x0c:
      return new DataView(bytes.buffer, bytes.byteOffset + o, 8).getFloat64(0, true);
    case 0x0d:
      // Some writers store values other than 0 and 1; Windows treats any non-zero as true.
      return u32(bytes, o) !== 0;
    case 0x0e:
      return hexUpper(bytes, o, size);
    case 0x0f:
      return new GuidValue(guidText(bytes, o));
    case 0x10:
      return size >= 8
        ? hex64(bytes, o)
        : size >= 4
          ? '0x' + u32(bytes, o).toString(16)
          : hexUpper(bytes, o, size);
    case 0x11:
      return new FiletimeValue(filetimeIso(bytes, o));
    case 0x12:
      return systemtimeIso(bytes, o);
    case 0x13:
      return sidText(bytes, o, size);
    case 0x14:
      return '0x' + u32(bytes, o).toString(16);
    case 0x15:
      return hex64(bytes, o);
    case 0x20:
      return u32(bytes, o);
    default:
      // EvtXml (0x23) and unknown types: the bytes themselves.
      return size === 0 ? null : hexUpper(bytes, o, size);
  }
}

function decodeArray(bytes: Uint8Array, o: number, size: number, type: number): XmlValue {
  if (type === 0x01) {
    // Strings, each NUL-terminated.
    const text = utf16(bytes, o, size >>> 1);
    const items = text.split('\0');
    if (items.length > 1 && items[items.length - 1] === '') items.pop();
    return items;
  }
  const fixed = FIXED_SIZE[type];
  if (fixed === undefined) return size === 0 ? null : hexUpper(bytes, o, size);
  const items: XmlScalar[] = [];
  for (let at = o, end = o + size; at + fixed <= end; at += fixed) {
    items.push(decodeScalar(bytes, at, fixed, type));
  }
  return items;
}

function stripNuls(text: string): string {
  let end = text.length;
  while (end > 0 && text.charCodeAt(end - 1) === 0) end--;
  return end === text.length ? text : text.slice(0, end);
}

function latin1(bytes: Uint8Array, o: number, size: number): string {
  let text = '';
  for (let i = o; i < o + size; i++) text += String.fromCharCode(bytes[i] as number);
  return text;
}

function hex64(bytes: Uint8Array, o: number): string {
  const high = u32(bytes, o + 4);
  const low = u32(bytes, o);
  return high === 0
    ? '0x' + low.toString(16)
    : '0x' + high.toString(16) + low.toString(16).padStart(8, '0');
}

export function guidText(bytes: Uint8Array, o: number): string {
  const h = (i: number): string => HEX[bytes[o + i] as number] as string;
  return (
    h(3) +
    h(2) +
    h(1) +
    h(0) +
    '-' +
    h(5) +
    h(4) +
    '-' +
    h(7) +
    h(6) +
    '-' +
    h(8) +
    h(9) +
    '-' +
    h(10) +
    h(11) +
    h(12) +
    h(13) +
    h(14) +
    h(15)
  );
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).toUpperCase().padStart(2, '0'));

/** `S-revision-authority-sub…`; a SID cut short keeps the sub-authorities it has. */
function sidText(bytes: Uint8Array, o: number, size: number): string {
  if (size < 8) return hexUpper(bytes, o, size);
  const count = bytes[o + 1] as number;
  let authority = 0;
  for (let i = 2; i < 8; i++) authority = authority * 256 + (bytes[o + i] as number);
  let text = `S-${bytes[o] as number}-${authority}`;
  for (let i = 0; i < count && 8 + 4 * i + 4 <= size; i++) text += '-' + u32(bytes, o + 8 + 4 * i);
  return text;
}
