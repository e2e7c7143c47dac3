/**
 * The elements of a top-level JSON array, found in a byte stream without parsing or holding
 * the array: a scanner that tracks only whether it is inside a string and how deep it is, and
 * cuts at the commas of depth 1. Each element is then parsed on its own. An element is held
 * up to `keepBytes` (`BoundedBytes`); one nested deeper than `maxDepth` is reported, not
 * given, so nothing recursive ever sees it. The scanner does not validate JSON: an element's
 * own parse does that.
 */
import type { GatheredBytes } from './bounded-bytes.ts';
import { BoundedBytes } from './bounded-bytes.ts';

export type ArrayItem =
  | GatheredBytes
  | { readonly kind: 'too_deep'; readonly head: Uint8Array; readonly depth: number }
  | { readonly kind: 'invalid'; readonly reason: string; readonly head: Uint8Array };

export interface JsonArrayScannerOptions {
  readonly keepBytes: number;
  readonly headBytes: number;
  /** Nesting allowed inside an element (the array itself not counted). */
  readonly maxDepth: number;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

const isSpace = (byte: number): boolean =>
  byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

export class JsonArrayScanner {
  readonly #options: JsonArrayScannerOptions;
  readonly #element: BoundedBytes;
  /** 0 before the array opens; 1 between elements; more inside an element's brackets. */
  #depth = 0;
  #deepest = 0;
  #inString = false;
  #escaped = false;
  #closed = false;
  /** Bytes other than white space seen in the element in progress. */
  #started = false;
  #done = false;
  #sawElement = false;

  constructor(options: JsonArrayScannerOptions) {
    this.#options = options;
    this.#element = new BoundedBytes(options.keepBytes, options.headBytes);
  }

  *push(block: Uint8Array): Generator<ArrayItem> {
    let start = 0;
    for (let i = 0; i < block.byteLength && !this.#done; i += 1) {
      const byte = block[i]!;
      if (this.#closed) {
        if (isSpace(byte)) continue;
        this.#done = true;
        yield this.#invalid('data after the end of the JSON array', block.subarray(i, i + 256));
        return;
      }
      if (this.#depth === 0) {
        if (isSpace(byte)) continue;
        if (byte !== OPEN_BRACKET) {
          this.#done = true;
          yield this.#invalid('the body is not a JSON array', block.subarray(i, i + 256));
          return;
        }
        this.#depth = 1;
        start = i + 1;
        continue;
      }
      if (this.#inString) {
        if (this.#escaped) this.#escaped = false;
        else if (byte === BACKSLASH) this.#escaped = true;
        else if (byte === QUOTE) this.#inString = false;
        continue;
      }
      if (byte === QUOTE) {
        this.#inString = true;
        this.#started = true;
      } else if (byte === OPEN_BRACKET || byte === OPEN_BRACE) {
        this.#depth += 1;
        this.#deepest = Math.max(this.#deepest, this.#depth - 1);
        this.#started = true;
      } else if (this.#depth > 1 && (byte === CLOSE_BRACKET || byte === CLOSE_BRACE)) {
        this.#depth -= 1;
      } else if (this.#depth === 1 && (byte === COMMA || byte === CLOSE_BRACKET)) {
        this.#element.append(block.subarray(start, i));
        start = i + 1;
        const item = this.#finishElement(byte === COMMA);
        if (item !== undefined) yield item;
        if (byte === CLOSE_BRACKET) this.#closed = true;
      } else if (!isSpace(byte)) {
        this.#started = true;
      }
    }
    if (this.#depth > 0 && !this.#closed && !this.#done) {
      this.#element.append(block.subarray(start));
    }
  }

  /** At the end of the body: an array left open is reported with what it held last. */
  *end(): Generator<ArrayItem> {
    if (this.#done || this.#closed) return;
    this.#done = true;
    const last = this.#element.take();
    const head = last.kind === 'whole' ? last.bytes : last.head;
    yield this.#invalid(
      this.#depth === 0 ? 'the body is empty, not a JSON array' : 'the JSON array ends early',
      head.subarray(0, this.#options.headBytes),
    );
  }

  /** The element before a comma or the closing bracket; none for `[]`. */
  #finishElement(beforeComma: boolean): ArrayItem | undefined {
    const started = this.#started;
    const deepest = this.#deepest;
    this.#started = false;
    this.#deepest = 0;
    const gathered = this.#element.take();
    if (!started) {
      // `[]` has no element; `[,` or `[1,]` has an empty one, which is not JSON.
      return beforeComma || this.#sawElement
        ? this.#invalid('an empty array element', new Uint8Array(0))
        : undefined;
    }
    this.#sawElement = true;
    if (deepest > this.#options.maxDepth) {
      const head = gathered.kind === 'whole' ? gathered.bytes : gathered.head;
      return { kind: 'too_deep', head: head.slice(0, this.#options.headBytes), depth: deepest };
    }
    return gathered;
  }

  #invalid(reason: string, head: Uint8Array): ArrayItem {
    return { kind: 'invalid', reason, head: Uint8Array.from(head) };
  }
}
