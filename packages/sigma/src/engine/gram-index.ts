/**
 * Finds which of many literals occur in a text, for the engine's rule index. A literal is
 * anchored on windows of itself chosen to be unlikely in event text and shared by few other
 * literals; a scan hashes the text's windows and tests each hash against a bit set of the
 * anchors' hashes (cache resident), and only where a bit is set compares the literals anchored
 * there. The cost per character does not grow with the number of literals, where a full
 * Aho–Corasick table over thousands of literals no longer fits in the cache and each character
 * costs a memory miss.
 *
 * Two tables. Short literals (3 to 11 characters) are anchored on one 3-character window and
 * every position of the text is tested, with a rolling hash. Long literals (12 or more) are
 * anchored on STRIDE consecutive 6-character windows, so that whatever the position of an
 * occurrence, one of its anchors starts at a multiple of STRIDE: only those positions of the
 * text are hashed and tested.
 *
 * Texts and literals are compared as given (the engine passes lower-cased text and literals).
 */
import { isCommonText } from './literal-selectivity.ts';

const SHORT_GRAM = 3;
const LONG_GRAM = 6;
const STRIDE = 7;
/** Long literals need LONG_GRAM + STRIDE - 1 characters: STRIDE windows inside them. */
const LONG_LITERAL = LONG_GRAM + STRIDE - 1;
const MAX_HASH_BITS = 19;
const BASE = 0x01000193;

/** Characters by how often they occur in Windows event text, most frequent first. */
const FREQUENT = ' e\\.tsiaornlcmdwx:p-u/_0h1y2g3f"b=4k5v6789,;\'{}()[]$&%@#';

export function charRarity(code: number): number {
  const rank = code < 128 ? FREQUENT.indexOf(String.fromCharCode(code)) : -1;
  return rank < 0 ? FREQUENT.length + 8 : rank;
}

/** Polynomial hash of text[from, from + length): the scans compute the same. */
function windowHash(text: string, from: number, length: number): number {
  let h = 0;
  for (let i = from; i < from + length; i++) h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
  return h;
}

function slotOf(hash: number, mask: number): number {
  return (hash ^ (hash >>> 15)) & mask;
}

/** Anchors (`stride` consecutive windows of `gram` characters per literal), with bit set and verification lists. */
class GramTable {
  readonly gram: number;
  readonly mask: number;
  readonly bits: Int32Array;
  /** Per hash slot: the (literal id, window offset) pairs anchored there, flattened. */
  readonly start: Int32Array;
  readonly entries: Int32Array;

  constructor(options: {
    readonly gram: number;
    readonly stride: number;
    readonly literals: readonly string[];
    readonly ids: readonly number[];
  }) {
    const { gram, stride, literals, ids } = options;
    this.gram = gram;
    // About one bit in sixteen set: few false alarms, tables sized to the anchor count.
    const anchorCount = ids.length * stride;
    const hashBits = Math.min(MAX_HASH_BITS, Math.max(6, Math.ceil(Math.log2(anchorCount * 16))));
    const size = 1 << hashBits;
    this.mask = size - 1;
    this.bits = new Int32Array(Math.max(1, size >>> 5));
    this.start = new Int32Array(size + 1);
    // Short literals choose first: they have the fewest windows to choose from.
    const order = [...ids].sort((a, b) => literals[a]!.length - literals[b]!.length);
    const load = new Map<string, number>();
    const windowScore = (window: string): number => {
      let score = 0;
      for (let k = 0; k < gram; k++) score += charRarity(window.charCodeAt(k));
      if (isCommonText(window)) score -= 1000;
      return score - 40 * (load.get(window) ?? 0);
    };
    const anchors: { id: number; slot: number; offset: number }[] = [];
    for (const id of order) {
      const literal = literals[id]!;
      let best = 0;
      let bestScore = -Infinity;
      for (let i = 0; i + gram + stride - 1 <= literal.length; i++) {
        let score = 0;
        for (let j = 0; j < stride; j++) score += windowScore(literal.slice(i + j, i + j + gram));
        // Ties go to the end: names and hashes are most distinctive at their tail.
        if (score >= bestScore) {
          bestScore = score;
          best = i;
        }
      }
      for (let j = 0; j < stride; j++) {
        const offset = best + j;
        const window = literal.slice(offset, offset + gram);
        load.set(window, (load.get(window) ?? 0) + 1);
        const slot = slotOf(windowHash(literal, offset, gram), this.mask);
        anchors.push({ id, slot, offset });
        this.bits[slot >>> 5]! |= 1 << (slot & 31);
        this.start[slot + 1]!++;
      }
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
  private readonly shortTable: GramTable;
  private readonly longTable: GramTable;
  /** BASE to the power SHORT_GRAM - 1: removes the character leaving the rolling window. */
  private readonly outFactor: number;
  /** Literals shorter than a window, checked with `includes`. */
  private readonly short: readonly number[];

  constructor(literals: readonly string[]) {
    this.literals = literals;
    const short: number[] = [];
    const shortGram: number[] = [];
    const longGram: number[] = [];
    literals.forEach((literal, id) => {
      if (literal.length < SHORT_GRAM) short.push(id);
      else if (literal.length < LONG_LITERAL) shortGram.push(id);
      else longGram.push(id);
    });
    this.shortTable = new GramTable({ gram: SHORT_GRAM, stride: 1, literals, ids: shortGram });
    this.longTable = new GramTable({ gram: LONG_GRAM, stride: STRIDE, literals, ids: longGram });
    let factor = 1;
    for (let i = 1; i < SHORT_GRAM; i++) factor = Math.imul(factor, BASE);
    this.outFactor = factor;
    this.short = short;
  }

  /** Adds to `hits` the id of every literal occurrence in `text` (ids may repeat). */
  scan(text: string, hits: LiteralHits): void {
    const n = text.length;
    const short = this.shortTable;
    const bits = short.bits;
    const mask = short.mask;
    const outFactor = this.outFactor;
    let h = 0;
    for (let i = 0; i < n; i++) {
      h = (Math.imul(h, BASE) + text.charCodeAt(i)) | 0;
      if (i >= SHORT_GRAM - 1) {
        const slot = (h ^ (h >>> 15)) & mask;
        if ((bits[slot >>> 5]! & (1 << (slot & 31))) !== 0) {
          this.verify(short, slot, text, i + 1 - SHORT_GRAM, hits);
        }
        h = (h - Math.imul(text.charCodeAt(i + 1 - SHORT_GRAM), outFactor)) | 0;
      }
    }
    if (n >= LONG_LITERAL) {
      const long = this.longTable;
      const longBits = long.bits;
      const longMask = long.mask;
      for (let p = 0; p + LONG_GRAM <= n; p += STRIDE) {
        let w = 0;
        for (let k = p; k < p + LONG_GRAM; k++) w = (Math.imul(w, BASE) + text.charCodeAt(k)) | 0;
        const slot = (w ^ (w >>> 15)) & longMask;
        if ((longBits[slot >>> 5]! & (1 << (slot & 31))) !== 0) {
          this.verify(long, slot, text, p, hits);
        }
      }
    }
    for (const id of this.short) if (text.includes(this.literals[id]!)) hits.push(id);
  }

  /** Compares the literals anchored at `slot` with the text around the window at `at`. */
  private verify(
    table: GramTable,
    slot: number,
    text: string,
    at: number,
    hits: LiteralHits,
  ): void {
    const { start, entries } = table;
    const literals = this.literals;
    const end = start[slot + 1]!;
    for (let k = start[slot]!; k < end; k++) {
      const id = entries[k * 2]!;
      const from = at - entries[k * 2 + 1]!;
      if (from >= 0 && text.startsWith(literals[id]!, from)) hits.push(id);
    }
  }

  /** Bytes held by the tables (for memory accounting). */
  get byteLength(): number {
    return this.shortTable.byteLength + this.longTable.byteLength;
  }
}
