/**
 * A byte stream cut into lines (LF; a CR before it stays with the line, as the parsers expect)
 * without ever holding more than one line: a line longer than `keepBytes` is not gathered
 * whole, only its first `headBytes` are kept and the rest is counted and dropped until its LF
 * (`BoundedBytes`). Memory is bounded by `keepBytes` plus the block being split.
 */
import type { GatheredBytes } from './bounded-bytes.ts';
import { BoundedBytes } from './bounded-bytes.ts';

const LF = 0x0a;

export class LineSplitter {
  readonly #line: BoundedBytes;

  constructor(keepBytes: number, headBytes: number) {
    this.#line = new BoundedBytes(keepBytes, headBytes);
  }

  /** The lines the block completes, in order (views into the block where they lie whole in it). */
  *push(block: Uint8Array): Generator<GatheredBytes> {
    const line = this.#line;
    let start = 0;
    while (start < block.byteLength) {
      const lf = block.indexOf(LF, start);
      if (lf !== -1 && line.empty && lf - start <= line.keepBytes) {
        // The usual case, a whole line inside the block: no copy.
        yield { kind: 'whole', bytes: block.subarray(start, lf) };
      } else {
        line.append(block.subarray(start, lf === -1 ? block.byteLength : lf));
        if (lf === -1) return;
        yield line.take();
      }
      start = lf + 1;
    }
  }

  /** The last line, when the stream does not end with LF. */
  *end(): Generator<GatheredBytes> {
    if (!this.#line.empty) yield this.#line.take();
  }
}
