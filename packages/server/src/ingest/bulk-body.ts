/**
 * A bulk ingest request body → records, read as a stream. What the body holds is told by its
 * content type (and `Content-Encoding: gzip`), what the records are by the `format`:
 *
 * | content type                                                | body                                    |
 * | ----------------------------------------------------------- | --------------------------------------- |
 * | `application/x-ndjson`, `application/jsonl`, `text/plain`   | one record per line (LF or CRLF)        |
 * | `application/json`                                          | a JSON array of records, or NDJSON      |
 * | `application/gzip`                                          | any of the above, gzip-compressed       |
 * | `application/octet-stream`                                  | an EVTX file (`format=evtx` or sniffed) |
 *
 * The body is never held whole, compressed or not: blocks are inflated (`zlib.createGunzip`),
 * cut into records and parsed as the caller pulls them, so a caller that stops pulling
 * pauses the socket. The body's bytes and its inflated bytes are limited as they are read
 * (`payload_too_large`). Per-record problems are failures (bulk-records.ts), not errors.
 */
import type { IngestFormat, ParseContext } from '@cordon/ingest';
import { INGEST_FORMAT_NAMES } from '@cordon/protocol';
import type { GzipCut } from './body-streams.ts';
import { gunzipBlocks, limitBytes, peekBlocks } from './body-streams.ts';
import type { BulkRecord, RecordReaderOptions } from './bulk-records.ts';
import { arrayRecords, evtxRecords, lineRecords } from './bulk-records.ts';

export type { BulkRecord } from './bulk-records.ts';

export const BULK_FORMATS = INGEST_FORMAT_NAMES;
export type BulkFormat = (typeof BULK_FORMATS)[number];

export interface BulkBodyRequest {
  readonly body: AsyncIterable<Uint8Array>;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly format: BulkFormat;
  /** Limit of the body as sent. */
  readonly maxBodyBytes: number;
  /** Limit of the body once decompressed (gzip bombs). */
  readonly maxDecompressedBytes: number;
  /** `maxBytes` is the record limit. */
  readonly context: ParseContext & { readonly maxBytes: number };
}

/** The body cannot be read as any accepted type: HTTP 415 with this message. */
export class UnsupportedMediaType extends Error {
  override readonly name = 'UnsupportedMediaType';
}

type BodyKind = 'lines' | 'json' | 'gzip' | 'evtx';

const KIND_OF_TYPE: Readonly<Record<string, BodyKind>> = {
  'application/x-ndjson': 'lines',
  'application/ndjson': 'lines',
  'application/jsonl': 'lines',
  'application/x-jsonlines': 'lines',
  'application/jsonlines': 'lines',
  'text/plain': 'lines',
  'application/json': 'json',
  'application/gzip': 'gzip',
  'application/x-gzip': 'gzip',
  'application/octet-stream': 'evtx',
};

export const ACCEPTED_CONTENT_TYPES = Object.keys(KIND_OF_TYPE);

const EVTX_MAGIC = Buffer.from('ElfFile\0', 'latin1');
/** Enough to see the EVTX magic or the first bracket after some white space. */
const SNIFF_BYTES = 64;

export function hintOf(format: BulkFormat): IngestFormat {
  switch (format) {
    case 'jsonl':
      return 'json';
    case 'evtx':
      return 'windows';
    default:
      return format;
  }
}

/** Checks the content type and encoding before anything is read; throws `UnsupportedMediaType`. */
export function bulkBodyType(
  contentType: string | undefined,
  contentEncoding: string | undefined,
): { readonly kind: BodyKind; readonly gzip: boolean } {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const kind = KIND_OF_TYPE[mediaType];
  if (kind === undefined) {
    throw new UnsupportedMediaType(
      mediaType === ''
        ? `a Content-Type is required: one of ${ACCEPTED_CONTENT_TYPES.join(', ')}`
        : `${mediaType} is not accepted for ingest: use one of ${ACCEPTED_CONTENT_TYPES.join(', ')}`,
    );
  }
  const encoding = (contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new UnsupportedMediaType(`Content-Encoding ${encoding} is not supported (gzip is)`);
  }
  return { kind, gzip: encoding !== 'identity' || kind === 'gzip' };
}

/** The body's records, in order, read as they are pulled. */
export async function* readBulkBody(request: BulkBodyRequest): AsyncGenerator<BulkRecord> {
  const type = bulkBodyType(request.contentType, request.contentEncoding);
  const cut: { value?: GzipCut } = {};
  const sent = limitBytes(request.body, request.maxBodyBytes, 'request body');
  const blocks = type.gzip
    ? limitBytes(gunzipBlocks(sent, cut), request.maxDecompressedBytes, 'decompressed body')
    : sent;
  const peeked = await peekBlocks(blocks, SNIFF_BYTES);
  try {
    let kind = type.kind === 'gzip' ? sniff(peeked.head, request.format) : type.kind;
    if (kind === 'json') kind = firstByte(peeked.head) === 0x5b /* [ */ ? 'json' : 'lines';
    if (kind === 'evtx' && request.format !== 'evtx' && !startsWith(peeked.head, EVTX_MAGIC)) {
      throw new UnsupportedMediaType(
        'application/octet-stream is for EVTX files; send text logs as text/plain or application/x-ndjson',
      );
    }
    const options: RecordReaderOptions = {
      context: { ...request.context, hint: hintOf(request.format) },
      keepBytes: 2 * request.context.maxBytes,
      cut,
    };
    switch (kind) {
      case 'lines':
        yield* lineRecords(peeked.blocks, options);
        break;
      case 'json':
        yield* arrayRecords(peeked.blocks, options);
        break;
      case 'evtx':
        yield* evtxRecords(peeked.blocks, options);
        break;
      case 'gzip':
        throw new UnsupportedMediaType('a gzip stream inside a gzip stream is not accepted');
    }
  } finally {
    await peeked.close();
  }
}

function sniff(head: Uint8Array, format: BulkFormat): BodyKind {
  if (format === 'evtx' || startsWith(head, EVTX_MAGIC)) return 'evtx';
  return firstByte(head) === 0x5b /* [ */ ? 'json' : 'lines';
}

function firstByte(head: Uint8Array): number | undefined {
  for (const byte of head) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte;
  }
  return undefined;
}

function startsWith(body: Uint8Array, prefix: Uint8Array): boolean {
  if (body.byteLength < prefix.byteLength) return false;
  for (let i = 0; i < prefix.byteLength; i += 1) if (body[i] !== prefix[i]) return false;
  return true;
}
