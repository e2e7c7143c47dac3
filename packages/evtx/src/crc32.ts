/** CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320), as EVTX headers and chunks use. */

const TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** Continues a CRC over `bytes[start, end)`; start from 0 for a fresh CRC. */
export function crc32(bytes: Uint8Array, start: number, end: number, previous = 0): number {
  let c = ~previous >>> 0;
  for (let i = start; i < end; i++) {
    c = (TABLE[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  }
  return ~c >>> 0;
}
