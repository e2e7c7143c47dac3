/**
 * Crockford base32: digits and capitals without I, L, O, U, so a code read out over the phone
 * survives case changes and the usual confusions (I/L → 1, O → 0). Grouping dashes and spaces
 * are ignored when decoding.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const LOOKUP = new Map([...ALPHABET].map((char, index) => [char, index]));
for (const [alias, target] of [
  ['I', '1'],
  ['L', '1'],
  ['O', '0'],
] as const) {
  LOOKUP.set(alias, LOOKUP.get(target) ?? 0);
}

export function encodeBase32(bytes: Uint8Array): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = ((value << 8) | byte) & 0xffff;
    bits += 8;
    while (bits >= 5) {
      bits -= 5;
      out += ALPHABET[(value >> bits) & 31];
    }
  }
  if (bits > 0) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

/** Decodes Crockford base32 (case-insensitive, `-` and spaces ignored); `undefined` if invalid. */
export function decodeBase32(text: string): Uint8Array | undefined {
  const clean = text.toUpperCase().replace(/[\s-]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 5) / 8));
  let bits = 0;
  let value = 0;
  let index = 0;
  for (const char of clean) {
    const quintet = LOOKUP.get(char);
    if (quintet === undefined) return undefined;
    value = ((value << 5) | quintet) & 0xffff;
    bits += 5;
    if (bits >= 8) {
      bits -= 8;
      out[index] = (value >> bits) & 0xff;
      index += 1;
    }
  }
  if ((value & ((1 << bits) - 1)) !== 0) return undefined;
  return out;
}

/** Splits a code into dash-separated groups for reading aloud. */
export function groupCode(code: string, size = 4): string {
  const groups: string[] = [];
  for (let i = 0; i < code.length; i += size) groups.push(code.slice(i, i + size));
  return groups.join('-');
}
