/**
 * The encoding modifiers of the appendix: `base64`, `base64offset`, `utf16le` / `wide`,
 * `utf16be`, `utf16`, and the dash set of `windash`. Encoded values are "byte strings": one
 * character per byte, code 0–255.
 */

/** UTF-8 bytes of `text` as a byte string. */
export function utf8Bytes(text: string): string {
  return Array.from(new TextEncoder().encode(text), (b) => String.fromCharCode(b)).join('');
}

export function utf16leBytes(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += String.fromCharCode(c & 0xff, c >> 8);
  }
  return out;
}

export function utf16beBytes(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += String.fromCharCode(c >> 8, c & 0xff);
  }
  return out;
}

export function base64(bytes: string): string {
  return btoa(bytes);
}

/**
 * The three renderings of `bytes` when it sits at offset 0, 1 or 2 of a larger base64-encoded
 * buffer: encode with 0–2 bytes of padding in front, then drop the leading and trailing
 * characters that depend on the unknown neighbours.
 */
export function base64Offsets(bytes: string): string[] {
  const startCut = [0, 2, 3];
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = btoa(' '.repeat(shift) + bytes);
    const total = bytes.length + shift;
    // characters whose 6 bits include bytes after the value are unreliable
    const endCut = total % 3 === 0 ? 0 : total % 3 === 1 ? 3 : 2;
    out.push(encoded.slice(startCut[shift], encoded.length - endCut));
  }
  return out;
}

/** `-`, `/`, en dash, em dash, horizontal bar: interchangeable under `windash`. */
export const WINDASH = /[-/\u2013\u2014\u2015]/g;

export function normalizeDashes(text: string): string {
  return text.replace(WINDASH, '-');
}
