/**
 * Finds which of many literals occur in a text, for the engine's rule index. Each literal is
 * anchored on one window of itself (3 characters for short literals, 6 for the rest): the
 * window least likely to occur in event text and shared by the fewest other literals. A scan
 * keeps a rolling hash of the text's windows and tests it against a bit set of the anchors'
 * hashes (at most 64 Ki bits, 8 KB: cache resident); only where a bit is set does it compare
 * the literals anchored there. This costs a few operations per character whatever the number
 * of literals, where a full Aho–Corasick table over thousands of literals no longer fits in the
 * cache and each character costs a memory miss.
 *
 * Texts and literals are compared as given (the engine passes lower-cased text and literals).
 */
import { isCommonText } from './literal-selectivity.ts';

/** Window lengths: literals shorter than the second are anchored on the first. */
const SHORT_GRAM = 3;
const LONG_GRAM = 6;
const MAX_HASH_BITS = 16;
const BASE = 0x01000193;

/** Characters by how often they occur in Windows event text, most frequent first. */
const FREQUENT = ' e\\.tsiaornlcmdwx:p-u/_0h1y2g3f"b=4k5v6789,;\'{}()[]$&%@#';

function charRarity(code: number): number {
  const rank = code < 128 ? FREQUENT.indexOf(String.fromCharCode(code)) : -1;
  return rank < 0 ? FREQUENT.length + 8 : rank;
}

/** Polynomial hash of text[from, from + length): the scan's rolling hash gives the same. */
function windowHash(text: string, from: number, length: number): number {
  let h = 0;
  for (let i = from; i < from + length; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  return h;
}

function slotOf(hash: number, mask: number): number {
  return (hash ^ (hash >>> 15)) & mask;
}

/** Literals that `gram`-character windows anchor, with their bit set and verification lists. */
class GramTable {
  readonly gram: number;
  readonly mask: number;
  /** BASE to the power gram - 1: removes the character leaving the window. */
  readonly outFactor: number;
  readonly bits: Int32Array;
  /** Per hash slot: the (literal id, anchor offset) pairs anchored there, flattened. */
  readonly start: Int32Array;
  readonly entries: Int32Array;

  constructor(gram: number, literals: readonly string[], ids: readonly number[]) {
    this.gram = gram;
    let factor = 1;
    for (let i = 1; i < gram; i++) factor = Math.imul(factor, BASE);
    this.outFactor = factor;
    // About one bit in sixteen set: few false alarms, tables sized to the literal count.
    const hashBits = Math.min(MAX_HASH_BITS, Math.max(6, Math.ceil(Math.log2(ids.length * 16))));
    const size = 1 << hashBits;
    this.mask = size - 1;
    this.bits = new Int32Array(Math.max(1, size >>> 5));
    this.start = new Int32Array(size + 1);
    // Short literals choose first: they have the fewest windows to choose from.
    const order = [...ids].sort((a, b) => literals[a]!.length - literals[b]!.length);
    const load = new Map<string, number>();
    const anchors: { id: number; slot: number; offset: number }[] = [];
    for (const id of order) {
      const literal = literals[id]!;
      let best = 0;
      let bestScore = -Infinity;
      for (let i = 0; i + gram <= literal.length; i++) {
        const window = literal.slice(i, i + gram);
        let score = 0;
        for (let k = 0; k < gram; k++) score += charRarity(window.charCodeAt(k));
        if (isCommonText(window)) score -= 1000;
        score -= 40 * (load.get(window) ?? 0);
        // Ties go to the end: names and hashes are most distinctive at their tail.
        if (score >= bestScore) {
          bestScore = score;
          best = i;
        }
      }
      const window = literal.slice(best, best + gram);
      load.set(window, (load.get(window) ?? 0) + 1);
      const slot = slotOf(windowHash(literal, best, gram), this.mask);
      anchors.push({ id, slot, offset: best });
      this.bits[slot >>> 5]! |= 1 << (slot & 31);
      this.start[slot + 1]!++;
    }
    for (let h = 0; h < size; h++) this.start[h + 1]! += this.start[h]!;
    this.entries = new Int32Array(anchors.length * 2);
    const fill = this.start.slice(0, size);
    for (const { id, slot, offset } of anchors) {
      const k = fill[slot]!++;
      this.entries[k * 2] = id;
      this.entries[k * 2 + 1] = offset;
    }
  }

  get byteLength(): number {
    return this.bits.byteLength + this.start.byteLength + this.entries.byteLength;
  }
}

/** Literal ids found by a scan, in a buffer reused from scan to scan. */
export class LiteralHits {
  ids = new Int32Array(64);
  count = 0;

  push(id: number): void {
    if (this.count === this.ids.length) {
      const grown = new Int32Array(this.ids.length * 2);
      grown.set(this.ids);
      this.ids = grown;
    }
    this.ids[this.count++] = id;
  }
}

export class GramIndex {
  private readonly literals: readonly string[];
  private readonly tables: readonly GramTable[];
  /** Literals shorter than a gram, checked with `includes`. */
  private readonly short: readonly number[];

  constructor(literals: readonly string[]) {
    this.literals = literals;
    const short: number[] = [];
    const shortGram: number[] = [];
    const longGram: number[] = [];
    literals.forEach((literal, id) => {
      if (literal.length < SHORT_GRAM) short.push(id);
      else if (literal.length < LONG_GRAM) shortGram.push(id);
      else longGram.push(id);
    });
    const tables: GramTable[] = [];
    if (shortGram.length > 0) tables.push(new GramTable(SHORT_GRAM, literals, shortGram));
    if (longGram.length > 0) tables.push(new GramTable(LONG_GRAM, literals, longGram));
    this.tables = tables;
    this.short = short;
  }

  /** Adds to `hits` the id of every literal occurrence in `text` (ids may repeat). */
  scan(text: string, hits: LiteralHits): void {
    for (const table of this.tables) this.scanTable(table, text, hits);
    for (const id of this.short) if (text.includes(this.literals[id]!)) hits.push(id);
  }

  private scanTable(table: GramTable, text: string, hits: LiteralHits): void {
    const { gram, mask, outFactor, bits, start, entries } = table;
    const literals = this.literals;
    const n = text.length;
    if (n < gram) return;
    let h = 0;
    for (let i = 0; i < gram - 1; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
    for (let i = gram - 1; i < n; i++) {
      h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
      const slot = (h ^ (h >>> 15)) & mask;
      if ((bits[slot >>> 5]! & (1 << (slot & 31))) !== 0) {
        const at = i - gram + 1;
        const end = start[slot + 1]!;
        for (let k = start[slot]!; k < end; k++) {
          const id = entries[k * 2]!;
          const from = at - entries[k * 2 + 1]!;
          if (from >= 0 && text.startsWith(literals[id]!, from)) hits.push(id);
        }
      }
      h = (h - Math.imul(text.charCodeAt(i - gram + 1), outFactor)) | 0;
    }
  }

  /** Bytes held by the tables (for memory accounting). */
  get byteLength(): number {
    let total = 0;
    for (const table of this.tables) total += table.byteLength;
    return total;
  }
}
