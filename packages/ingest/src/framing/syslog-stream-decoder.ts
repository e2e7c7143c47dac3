/**
 * Syslog over a byte stream (TCP, TLS), split into messages without touching sockets: the
 * listener feeds whatever chunks the socket delivers, in order, and gets whole messages back.
 *
 * Two framings (RFC 6587), detected once per connection from its first bytes unless the
 * caller fixes one:
 * - octet counting, `MSG-LEN SP SYSLOG-MSG` (`57 <13>1 …`), also RFC 5425 over TLS; chosen when
 *   the stream starts with a non-zero digit, up to ten digits, a space and `<`;
 * - non-transparent framing: messages end with LF (a CR before it is dropped); anything else.
 *
 * A message longer than `maxMessageBytes` is reported as a `frame_too_large` error carrying
 * its first bytes (`head`, for the dead-letter store) and skipped; the stream goes on with the
 * next message. A broken octet count (`abc <13>…`) leaves the stream unsynchronised: that error
 * is `fatal`, later input is ignored, and the listener should close the connection.
 */

export type Framing = 'octet_counting' | 'non_transparent';
export type FramingErrorCode = 'frame_too_large' | 'invalid_octet_count';

export type FrameEvent =
  | { readonly kind: 'message'; readonly bytes: Uint8Array }
  | {
      readonly kind: 'error';
      readonly code: FramingErrorCode;
      readonly reason: string;
      /** The first bytes of the refused frame (at most `HEAD_BYTES`). */
      readonly head: Uint8Array;
      readonly fatal: boolean;
    };

export interface SyslogStreamOptions {
  /** Default 1 MiB, the same as `parseRecord`'s record limit. */
  readonly maxMessageBytes?: number;
  readonly framing?: Framing | 'auto';
}

export const HEAD_BYTES = 1024;
const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const LT = 0x3c;
const MAX_LENGTH_DIGITS = 10;

export class SyslogStreamDecoder {
  readonly #max: number;
  #framing: Framing | undefined;
  /** Bytes waiting for a decision (detection) or for the end of a message. */
  #parts: Uint8Array[] = [];
  #length = 0;
  /** Non-transparent: dropping the rest of an oversized line. */
  #skippingLine = false;
  /** Octet counting state. */
  #expected = 0;
  #digits = 0;
  #skipBytes = 0;
  #failed = false;

  constructor(options: SyslogStreamOptions = {}) {
    this.#max = options.maxMessageBytes ?? 1024 * 1024;
    this.#framing = options.framing === 'auto' ? undefined : options.framing;
  }

  /** The framing in use, once known. */
  get framing(): Framing | undefined {
    return this.#framing;
  }

  push(chunk: Uint8Array): FrameEvent[] {
    const out: FrameEvent[] = [];
    if (this.#failed || chunk.byteLength === 0) return out;
    if (this.#framing === undefined) {
      this.#parts.push(chunk.slice());
      this.#length += chunk.byteLength;
      const buffered = concat(this.#parts, this.#length);
      const framing = detectFraming(buffered);
      if (framing === undefined) return out;
      this.#framing = framing;
      this.#parts = [];
      this.#length = 0;
      this.#feed(buffered, out);
      return out;
    }
    this.#feed(chunk, out);
    return out;
  }

  /** The connection closed: a last line without LF is still a message; a cut frame is an error. */
  end(): FrameEvent[] {
    const out: FrameEvent[] = [];
    if (this.#failed) return out;
    if (this.#framing === undefined) {
      this.#framing = 'non_transparent';
      const buffered = concat(this.#parts, this.#length);
      this.#parts = [];
      this.#length = 0;
      this.#feed(buffered, out);
    }
    if (this.#framing === 'non_transparent') {
      if (!this.#skippingLine) this.#emitLine(out);
    } else if (this.#expected > 0) {
      out.push(
        this.#error(
          'frame_too_large',
          `connection closed ${this.#expected - this.#length} bytes before the end of a ${this.#expected}-byte frame`,
          concat(this.#parts, this.#length),
          false,
        ),
      );
    }
    this.#parts = [];
    this.#length = 0;
    return out;
  }

  #feed(chunk: Uint8Array, out: FrameEvent[]): void {
    if (this.#framing === 'octet_counting') this.#feedOctets(chunk, out);
    else this.#feedLines(chunk, out);
  }

  #feedLines(chunk: Uint8Array, out: FrameEvent[]): void {
    let start = 0;
    while (start <= chunk.byteLength) {
      const lf = chunk.indexOf(LF, start);
      const end = lf < 0 ? chunk.byteLength : lf;
      if (!this.#skippingLine && end > start) {
        const piece = chunk.subarray(start, end);
        if (this.#length + piece.byteLength > this.#max + 1) {
          // +1: a CR before the LF does not count against the limit.
          const head = concat(
            [...this.#parts, piece],
            Math.min(this.#length + piece.byteLength, HEAD_BYTES),
          );
          out.push(
            this.#error(
              'frame_too_large',
              `message longer than ${this.#max} bytes without a line end`,
              head,
              false,
            ),
          );
          this.#parts = [];
          this.#length = 0;
          this.#skippingLine = true;
        } else {
          this.#parts.push(lf < 0 ? piece.slice() : piece);
          this.#length += piece.byteLength;
        }
      }
      if (lf < 0) return;
      if (this.#skippingLine) {
        this.#skippingLine = false;
      } else {
        this.#emitLine(out);
      }
      this.#parts = [];
      this.#length = 0;
      start = lf + 1;
    }
  }

  #emitLine(out: FrameEvent[]): void {
    let bytes = concat(this.#parts, this.#length);
    if (bytes.byteLength > 0 && bytes[bytes.byteLength - 1] === CR) bytes = bytes.subarray(0, -1);
    if (bytes.byteLength > this.#max) {
      out.push(
        this.#error(
          'frame_too_large',
          `message longer than ${this.#max} bytes`,
          bytes.subarray(0, HEAD_BYTES),
          false,
        ),
      );
    } else if (bytes.byteLength > 0) {
      out.push({ kind: 'message', bytes });
    }
  }

  #feedOctets(chunk: Uint8Array, out: FrameEvent[]): void {
    let i = 0;
    while (i < chunk.byteLength && !this.#failed) {
      if (this.#skipBytes > 0) {
        const take = Math.min(this.#skipBytes, chunk.byteLength - i);
        this.#skipBytes -= take;
        i += take;
        continue;
      }
      if (this.#expected === 0) {
        const byte = chunk[i]!;
        i += 1;
        if (this.#digits === 0 && (byte === LF || byte === CR)) continue; // trailers some senders add
        if (byte >= 0x30 && byte <= 0x39 && !(this.#digits === 0 && byte === 0x30)) {
          this.#length = this.#length * 10 + (byte - 0x30);
          this.#digits += 1;
          if (this.#digits > MAX_LENGTH_DIGITS)
            this.#fail(out, 'octet count has more than 10 digits');
          continue;
        }
        if (byte === SPACE && this.#digits > 0) {
          const length = this.#length;
          this.#length = 0;
          this.#digits = 0;
          if (length > this.#max) {
            const head = chunk.subarray(
              i,
              Math.min(chunk.byteLength, i + Math.min(length, HEAD_BYTES)),
            );
            out.push(
              this.#error(
                'frame_too_large',
                `frame of ${length} bytes is larger than ${this.#max}`,
                head.slice(),
                false,
              ),
            );
            this.#skipBytes = length;
          } else {
            this.#expected = length;
          }
          continue;
        }
        this.#fail(
          out,
          `expected an octet count (digits then a space), got byte 0x${byte.toString(16).padStart(2, '0')}`,
        );
        continue;
      }
      const take = Math.min(this.#expected - this.#length, chunk.byteLength - i);
      this.#parts.push(chunk.slice(i, i + take));
      this.#length += take;
      i += take;
      if (this.#length === this.#expected) {
        out.push({ kind: 'message', bytes: concat(this.#parts, this.#length) });
        this.#parts = [];
        this.#length = 0;
        this.#expected = 0;
      }
    }
  }

  #fail(out: FrameEvent[], reason: string): void {
    this.#failed = true;
    out.push(
      this.#error(
        'invalid_octet_count',
        `${reason}; the stream cannot be resynchronised`,
        new Uint8Array(0),
        true,
      ),
    );
  }

  #error(code: FramingErrorCode, reason: string, head: Uint8Array, fatal: boolean): FrameEvent {
    return { kind: 'error', code, reason, head, fatal };
  }
}

/** Octet counting iff the stream starts `[1-9][0-9]{0,9} <`; undefined while undecided. */
function detectFraming(bytes: Uint8Array): Framing | undefined {
  let i = 0;
  while (i < bytes.byteLength && i <= MAX_LENGTH_DIGITS) {
    const byte = bytes[i]!;
    if (byte >= 0x30 && byte <= 0x39 && !(i === 0 && byte === 0x30)) {
      i += 1;
      continue;
    }
    if (i === 0 || byte !== SPACE) return 'non_transparent';
    if (i + 1 >= bytes.byteLength) return undefined;
    return bytes[i + 1] === LT ? 'octet_counting' : 'non_transparent';
  }
  return i > MAX_LENGTH_DIGITS ? 'non_transparent' : undefined;
}

function concat(parts: readonly Uint8Array[], length: number): Uint8Array {
  if (parts.length === 1 && parts[0]!.byteLength === length) return parts[0]!.slice();
  const result = new Uint8Array(length);
  let offset = 0;
  for (const part of parts) {
    result.set(part.subarray(0, length - offset), offset);
    offset += Math.min(part.byteLength, length - offset);
    if (offset >= length) break;
  }
  return result;
}
