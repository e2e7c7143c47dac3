/**
 * Why a record produced no events. The raw bytes travel with the reason, so the dead-letter
 * store can keep them and `cordon deadletter replay` can try again after a parser fix.
 */
import type { IngestFormat } from './parse-context.ts';

export type ParseFailureCode =
  /** Nothing but whitespace. */
  | 'empty'
  /** Larger than `maxBytes`. */
  | 'too_large'
  | 'invalid_utf8'
  /** NUL or other control bytes: not a text log record. */
  | 'binary'
  /** Not syslog, CEF or JSON (auto), or not the hinted format. */
  | 'unrecognised_format'
  /** The format was recognised but the record breaks its grammar. */
  | 'malformed'
  /** JSON nested deeper than `MAX_JSON_DEPTH`. */
  | 'too_deep';

export interface ParseFailure {
  readonly kind: 'failure';
  readonly code: ParseFailureCode;
  /** A sentence for the analyst: what is wrong with this record. */
  readonly reason: string;
  /** The format that was tried, when one was. */
  readonly format?: IngestFormat;
  readonly raw: Uint8Array;
  readonly receivedAt: string;
  readonly sourceAddress?: string;
}
