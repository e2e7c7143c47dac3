/**
 * The bytes of one record being gathered from a stream (a line, a JSON array element), held
 * only up to `keepBytes`: past that only the first `headBytes` stay (for the dead letter) and
 * the rest is counted, not kept. What bounds the memory of one record whatever a body holds.
 */
export type GatheredBytes =
  | { readonly kind: 'whole'; readonly bytes: Uint8Array }
  | { readonly kind: 'overlong'; readonly head: Uint8Array; readonly length: number };

export class BoundedBytes {
  readonly #keep: number;
  readonly #headBytes: number;
  #parts: Uint8Array[] = [];
  #length = 0;
  #overlong: { head: Uint8Array; length: number } | undefined;

  constructor(keepBytes: number, headBytes: number) {
    this.#keep = keepBytes;
    this.#headBytes = Math.min(headBytes, keepBytes);
  }

  get empty(): boolean {
    return this.#length === 0 && this.#overlong === undefined;
  }

  get keepBytes(): number {
    return this.#keep;
  }

  /** Adds bytes (copied: the caller may reuse its block). */
  append(bytes: Uint8Array): void {
    if (bytes.byteLength === 0) return;
    if (this.#overlong !== undefined) {
      this.#overlong.length += bytes.byteLength;
      return;
    }
    if (this.#length + bytes.byteLength <= this.#keep) {
      this.#parts.push(Uint8Array.from(bytes));
      this.#length += bytes.byteLength;
      return;
    }
    this.#overlong = {
      head: concat([...this.#parts, bytes], this.#headBytes),
      length: this.#length + bytes.byteLength,
    };
    this.#parts = [];
    this.#length = 0;
  }

  /** What was gathered, and starts over. */
  take(): GatheredBytes {
    const overlong = this.#overlong;
    if (overlong !== undefined) {
      this.#overlong = undefined;
      return { kind: 'overlong', head: overlong.head, length: overlong.length };
    }
    const bytes = this.#parts.length === 1 ? this.#parts[0]! : concat(this.#parts, this.#length);
    this.#parts = [];
    this.#length = 0;
    return { kind: 'whole', bytes };
  }
}

/** The first `length` bytes of the parts, as one array. */
function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    if (at >= length) break;
    const piece = part.subarray(0, length - at);
    out.set(piece, at);
    at += piece.byteLength;
  }
  return out;
}
