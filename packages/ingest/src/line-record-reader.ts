/**
 * The lines of one file or bulk body, read in order. Most formats are one record per line and
 * go straight to `parseRecord`; Zeek's TSV logs are not: their `#` header lines say what the
 * columns of the lines after them are. The reader keeps that header (a `#separator` line
 * starts a new one, as when logs are concatenated) and hands it to `parseRecord` with each
 * data line. Header lines give `{ kind: 'header' }`: nothing to store.
 *
 * Bounded: a header line is at most `MAX_ZEEK_HEADER_LINE_BYTES`, at most
 * `MAX_ZEEK_HEADER_LINES` header lines come in a row; more is a failure for each line.
 */
import type { ParseContext } from './parse-context.ts';
import type { ParseOutcome } from './parse-record.ts';
import { parseRecord } from './parse-record.ts';
import type { ZeekTsvHeader } from './formats/zeek-tsv.ts';
import {
  applyZeekHeaderLine,
  MAX_ZEEK_HEADER_LINES,
  ZEEK_TSV_DEFAULTS,
  zeekDirective,
} from './formats/zeek-tsv.ts';

export const MAX_ZEEK_HEADER_LINE_BYTES = 64 * 1024;

export type LineOutcome = ParseOutcome | { readonly kind: 'header' };

const HASH = 0x23;
const decoder = new TextDecoder('utf-8', { fatal: false });
const encoder = new TextEncoder();

export class LineRecordReader {
  readonly #context: ParseContext;
  #header: ZeekTsvHeader | undefined;
  #headerRun = 0;

  constructor(context: ParseContext) {
    this.#context = context;
  }

  /** The Zeek header in force, if the lines so far set one. */
  get zeekHeader(): ZeekTsvHeader | undefined {
    return this.#header;
  }

  read(line: Uint8Array | string): LineOutcome {
    const first = typeof line === 'string' ? line.charCodeAt(0) : line[0];
    const hint = this.#context.hint ?? 'auto';
    if (first === HASH && (hint === 'auto' || hint === 'zeek')) {
      const header = this.#headerLine(line);
      if (header !== undefined) return header;
    }
    this.#headerRun = 0;
    return parseRecord(
      line,
      this.#header === undefined ? this.#context : { ...this.#context, zeekHeader: this.#header },
    );
  }

  #headerLine(line: Uint8Array | string): LineOutcome | undefined {
    const size = typeof line === 'string' ? line.length : line.byteLength;
    if (size > MAX_ZEEK_HEADER_LINE_BYTES) return undefined;
    const text = (typeof line === 'string' ? line : decoder.decode(line)).replace(/\r?\n?$/, '');
    if (zeekDirective(text) === undefined) return undefined;
    if (++this.#headerRun > MAX_ZEEK_HEADER_LINES) {
      return this.#failure(line, `more than ${MAX_ZEEK_HEADER_LINES} Zeek header lines in a row`);
    }
    const next = applyZeekHeaderLine(this.#header ?? ZEEK_TSV_DEFAULTS, text);
    if (typeof next === 'string') return this.#failure(line, next);
    this.#header = next;
    return { kind: 'header' };
  }

  #failure(line: Uint8Array | string, reason: string): ParseOutcome {
    return {
      kind: 'failure',
      code: 'malformed',
      reason,
      format: 'zeek',
      raw: typeof line === 'string' ? encoder.encode(line) : line,
      receivedAt: this.#context.receivedAt.toISOString(),
      ...(this.#context.sourceAddress === undefined
        ? {}
        : { sourceAddress: this.#context.sourceAddress }),
    };
  }
}
