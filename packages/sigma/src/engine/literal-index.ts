/**
 * Aho–Corasick automaton over the literals rules require (lower-cased): one pass over a field
 * value finds every literal it contains, so an event only meets the rules whose required
 * literals occur. The automaton is a dense transition table over a compact alphabet (the
 * characters that occur in literals; everything else shares one class), so scanning costs
 * one typed-array read per character.
 */
export class LiteralIndex {
  private readonly ascii: Int32Array;
  private readonly other: Map<number, number>;
  private readonly width: number;
  /** Dense transitions; 16-bit when the automaton has fewer than 65,536 states (half the cache footprint). */
  private readonly next: Uint16Array | Int32Array;
  /** Literal ids ending at a state (including through suffix links), flattened. */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  /** 1 where a state ends at least one literal: one read per character on the hot path. */
  private readonly hasOutput: Uint8Array;

  constructor(literals: readonly string[]) {
    const classOf = new Map<number, number>();
    for (const lit of literals) {
      for (let i = 0; i < lit.length; i++) {
        const c = lit.charCodeAt(i);
        if (!classOf.has(c)) classOf.set(c, classOf.size + 1);
      }
    }
    this.width = classOf.size + 1;
    this.ascii = new Int32Array(128);
    this.other = new Map();
    for (const [c, cls] of classOf) {
      if (c < 128) this.ascii[c] = cls;
      else this.other.set(c, cls);
    }
    const classFor = (c: number): number => (c < 128 ? this.ascii[c]! : (this.other.get(c) ?? 0));

    // Trie
    const goto: Map<number, number>[] = [new Map<number, number>()];
    const own: number[][] = [[]];
    literals.forEach((lit, id) => {
      let s = 0;
      for (let i = 0; i < lit.length; i++) {
        const cls = classFor(lit.charCodeAt(i));
        let t = goto[s]!.get(cls);
        if (t === undefined) {
          t = goto.length;
          goto.push(new Map<number, number>());
          own.push([]);
          goto[s]!.set(cls, t);
        }
        s = t;
      }
      own[s]!.push(id);
    });
    const states = goto.length;
    const width = this.width;
    this.next = states < 65536 ? new Uint16Array(states * width) : new Int32Array(states * width);
    const fail = new Int32Array(states);
    const outputs: number[][] = own.map((o) => [...o]);
    // BFS builds the full DFA: missing edges follow the failure state's edges.
    const queue: number[] = [];
    for (let cls = 0; cls < width; cls++) {
      const t = goto[0]!.get(cls);
      if (t !== undefined) {
        this.next[cls] = t;
        fail[t] = 0;
        queue.push(t);
      }
    }
    for (let qi = 0; qi < queue.length; qi++) {
      const s = queue[qi]!;
      const f = fail[s]!;
      outputs[s]!.push(...outputs[f]!);
      for (let cls = 0; cls < width; cls++) {
        const t = goto[s]!.get(cls);
        if (t !== undefined) {
          fail[t] = this.next[f * width + cls]!;
          this.next[s * width + cls] = t;
          queue.push(t);
        } else {
          this.next[s * width + cls] = this.next[f * width + cls]!;
        }
      }
    }
    this.outStart = new Int32Array(states + 1);
    let total = 0;
    for (let s = 0; s < states; s++) {
      this.outStart[s] = total;
      total += outputs[s]!.length;
    }
    this.outStart[states] = total;
    this.outIds = new Int32Array(total);
    this.hasOutput = new Uint8Array(states);
    for (let s = 0; s < states; s++) this.hasOutput[s] = outputs[s]!.length > 0 ? 1 : 0;
    for (let s = 0; s < states; s++) this.outIds.set(outputs[s]!, this.outStart[s]);
  }

  /** Calls `hit(literalId)` for every literal occurrence in `text` (ids may repeat). */
  scan(text: string, hit: (literalId: number) => void): void {
    const { ascii, other, next, width, outStart, outIds, hasOutput } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      s = next[s * width + (c < 128 ? ascii[c]! : (other.get(c) ?? 0))]!;
      if (hasOutput[s] === 1) {
        const end = outStart[s + 1]!;
        for (let k = outStart[s]!; k < end; k++) hit(outIds[k]!);
      }
    }
  }

  /** Whether any literal occurs in `text` (stops at the first). */
  containsAny(text: string): boolean {
    const { ascii, other, next, width, hasOutput } = this;
    let s = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      s = next[s * width + (c < 128 ? ascii[c]! : (other.get(c) ?? 0))]!;
      if (hasOutput[s] === 1) return true;
    }
    return false;
  }

  /** Bytes held by the tables (for memory accounting). */
  get byteLength(): number {
    return (
      this.next.byteLength +
      this.outIds.byteLength +
      this.outStart.byteLength +
      this.ascii.byteLength
    );
  }
}
