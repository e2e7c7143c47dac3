/**
 * Finds which of many literals occur in a text, for the engine's rule index. Each literal is
 * anchored on one of its three-character grams, the one least likely to occur in event text;
 * a scan hashes every gram of the text into a bit set (at most 64 Ki bits, 8 KB: cache resident) and only
 * where the bit is set compares the literals anchored there. This costs a few operations per
 * character whatever the number of literals, where a full Aho–Corasick table over thousands of
 * literals no longer fits in the cache and each character costs a memory miss.
 *
 * Texts and literals are compared as given (the engine passes lower-cased text and literals).
 */
import { isCommonText } from './literal-selectivity.ts';

const GRAM = 3;
const MAX_HASH_BITS = 16;

/** Characters by how often they occur in Windows event text, most frequent first. */
const FREQUENT = ' e\\.tsiaornlcmdwx:p-u/_0h1y2g3f"b=4k5v6789,;\'{}()[]$&%@#';

function charRarity(code: number): number {
  const rank = code < 128 ? FREQUENT.indexOf(String.fromCharCode(code)) : -1;
  return rank < 0 ? FREQUENT.length + 8 : rank;
}

function gramHash(a: number, b: number, c: number, mask: number): number {
  return (Math.imul(a, 0x9e37) ^ Math.imul(b, 0x85eb) ^ c) & mask;
}

/** Offset in `literal` of its gram least likely to occur in events. */
function anchorOffset(literal: string): number {
  let best = 0;
  let bestScore = -Infinity;
  for (let i = 0; i + GRAM <= literal.length; i++) {
    const gram = literal.slice(i, i + GRAM);
    let score = 0;
    for (let k = 0; k < GRAM; k++) score += charRarity(gram.charCodeAt(k));
    if (isCommonText(gram)) score -= 1000;
    // Ties go to the end: names and hashes are most distinctive at their tail.
    if (score >= bestScore) {
      bestScore = score;
      best = i;
    }
  }
  return best;
}

export class GramIndex {
  private readonly literals: readonly string[];
  private readonly mask: number;
  private readonly bits: Int32Array;
  /** Per hash: the (literal id, anchor offset) pairs anchored there, flattened. */
  private readonly start: Int32Array;
  private readonly entries: Int32Array;
  /** Literals shorter than a gram, checked with `includes`. */
  private readonly short: readonly number[];

  constructor(literals: readonly string[]) {
    this.literals = literals;
    // About one bit in sixteen set: few false alarms, tables sized to the literal count.
    const hashBits = Math.min(
      MAX_HASH_BITS,
      Math.max(8, Math.ceil(Math.log2(literals.length * 16))),
    );
    const size = 1 << hashBits;
    const mask = size - 1;
    this.mask = mask;
    this.bits = new Int32Array(size >>> 5);
    this.start = new Int32Array(size + 1);
    const short: number[] = [];
    const hashes = new Int32Array(literals.length).fill(-1);
    const offsets = new Int32Array(literals.length);
    literals.forEach((literal, id) => {
      if (literal.length < GRAM) {
        short.push(id);
        return;
      }
      const at = anchorOffset(literal);
      const h = gramHash(
        literal.charCodeAt(at),
        literal.charCodeAt(at + 1),
        literal.charCodeAt(at + 2),
        mask,
      );
      hashes[id] = h;
      offsets[id] = at;
      this.bits[h >>> 5]! |= 1 << (h & 31);
      this.start[h + 1]!++;
    });
    for (let h = 0; h < size; h++) this.start[h + 1]! += this.start[h]!;
    this.entries = new Int32Array(this.start[size]! * 2);
    const fill = this.start.slice(0, size);
    for (let id = 0; id < literals.length; id++) {
      const h = hashes[id]!;
      if (h < 0) continue;
      const k = fill[h]!++;
      this.entries[k * 2] = id;
      this.entries[k * 2 + 1] = offsets[id]!;
    }
    this.short = short;
  }

  /** Calls `hit(literalId)` for every literal occurrence in `text` (ids may repeat). */
  scan(text: string, hit: (literalId: number) => void): void {
    const { bits, start, entries, literals, mask } = this;
    const n = text.length;
    if (n >= GRAM) {
      let a = text.charCodeAt(0);
      let b = text.charCodeAt(1);
      for (let i = 0; i + GRAM <= n; i++) {
        const c = text.charCodeAt(i + 2);
        const h = gramHash(a, b, c, mask);
        if ((bits[h >>> 5]! & (1 << (h & 31))) !== 0) {
          const end = start[h + 1]!;
          for (let k = start[h]!; k < end; k++) {
            const id = entries[k * 2]!;
            const from = i - entries[k * 2 + 1]!;
            if (from >= 0 && text.startsWith(literals[id]!, from)) hit(id);
          }
        }
        a = b;
        b = c;
      }
    }
    for (const id of this.short) if (text.includes(literals[id]!)) hit(id);
  }

  /** Bytes held by the tables (for memory accounting). */
  get byteLength(): number {
    return this.bits.byteLength + this.start.byteLength + this.entries.byteLength;
  }
}
