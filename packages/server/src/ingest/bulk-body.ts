/**
 * A bulk ingest request body → records → events and failures. What the body holds is told by
 * its content type (and `Content-Encoding: gzip`), what the records are by the `format`:
 *
 * | content type                                                | body                                    |
 * | ----------------------------------------------------------- | --------------------------------------- |
 * | `application/x-ndjson`, `application/jsonl`, `text/plain`   | one record per line (LF or CRLF)        |
 * | `application/json`                                          | a JSON array of records, or NDJSON      |
 * | `application/gzip`                                          | any of the above, gzip-compressed       |
 * | `application/octet-stream`                                  | an EVTX file (`format=evtx` or sniffed) |
 *
 * Per-record problems never fail the request: invalid UTF-8, lines over the record limit, a
 * gzip stream cut short (the lines before the cut are kept) become failures with their raw
 * bytes, for the dead-letter store. Only what makes the whole body unreadable is an error.
 */
import type { IngestEvent, IngestFormat, ParseContext, ParseOutcome } from '@cordon/ingest';
import { parseJsonValue, parseRecord } from '@cordon/ingest';
import { EvtxFormatError, readEvtx, recordJson } from '@cordon/evtx';
import { CordonError } from '@cordon/core';
import { INGEST_FORMAT_NAMES } from '@cordon/protocol';
import { constants, gunzipSync } from 'node:zlib';
import type { RecordFailure } from './ingest-sink.ts';

export const BULK_FORMATS = INGEST_FORMAT_NAMES;
export type BulkFormat = (typeof BULK_FORMATS)[number];

export interface BulkBodyRequest {
  readonly body: Buffer;
  readonly contentType: string | undefined;
  readonly contentEncoding: string | undefined;
  readonly format: BulkFormat;
  /** Limit of the body once decompressed (gzip bombs). */
  readonly maxDecompressedBytes: number;
  readonly context: ParseContext;
}

export interface BulkBody {
  readonly hint: IngestFormat;
  records: number;
  readonly events: IngestEvent[];
  readonly failures: RecordFailure[];
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
const LF = 0x0a;
const utf8 = new TextDecoder('utf-8', { fatal: true });

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

export function parseBulkBody(request: BulkBodyRequest): BulkBody {
  const mediaType = (request.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  let kind = KIND_OF_TYPE[mediaType];
  if (kind === undefined) {
    throw new UnsupportedMediaType(
      mediaType === ''
        ? `a Content-Type is required: one of ${ACCEPTED_CONTENT_TYPES.join(', ')}`
        : `${mediaType} is not accepted for ingest: use one of ${ACCEPTED_CONTENT_TYPES.join(', ')}`,
    );
  }
  const encoding = (request.contentEncoding ?? 'identity').trim().toLowerCase();
  if (encoding !== 'identity' && encoding !== 'gzip' && encoding !== 'x-gzip') {
    throw new UnsupportedMediaType(`Content-Encoding ${encoding} is not supported (gzip is)`);
  }
  const out: BulkBody = { hint: hintOf(request.format), records: 0, events: [], failures: [] };
  let body = request.body;
  if (encoding !== 'identity' || kind === 'gzip') {
    const inflated = gunzip(body, request.maxDecompressedBytes, request.context);
    body = inflated.bytes;
    if (inflated.failure !== undefined) out.failures.push(inflated.failure);
    if (kind === 'gzip') kind = sniff(body, request.format);
    // What came before a cut is complete lines; the cut line itself is in the failure.
    if (inflated.failure !== undefined && kind !== 'evtx') kind = 'lines';
  }
  if (kind === 'evtx' && request.format !== 'evtx' && !startsWith(body, EVTX_MAGIC)) {
    throw new UnsupportedMediaType(
      'application/octet-stream is for EVTX files; send text logs as text/plain or application/x-ndjson',
    );
  }
  switch (kind) {
    case 'lines':
      addLines(body, out, request.context);
      break;
    case 'json':
      addJsonBody(body, out, request.context);
      break;
    case 'evtx':
      addEvtx(body, out, request.context);
      break;
    case 'gzip':
      throw new UnsupportedMediaType('a gzip stream inside a gzip stream is not accepted');
  }
  return out;
}

function sniff(body: Buffer, format: BulkFormat): BodyKind {
  if (format === 'evtx' || startsWith(body, EVTX_MAGIC)) return 'evtx';
  for (const byte of body.subarray(0, 64)) {
    if (byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d) continue;
    return byte === 0x5b /* [ */ ? 'json' : 'lines';
  }
  return 'lines';
}

function startsWith(body: Uint8Array, prefix: Uint8Array): boolean {
  if (body.byteLength < prefix.byteLength) return false;
  for (let i = 0; i < prefix.byteLength; i += 1) if (body[i] !== prefix[i]) return false;
  return true;
}

function gunzip(
  body: Buffer,
  maxBytes: number,
  context: ParseContext,
): { bytes: Buffer; failure?: RecordFailure } {
  try {
    return { bytes: gunzipSync(body, { maxOutputLength: maxBytes }) };
  } catch (error) {
    if (isTooLarge(error)) throw tooLarge(maxBytes);
    const message = error instanceof Error ? error.message : String(error);
    let partial: Buffer;
    try {
      // A stream cut short: inflate what is there, up to the cut.
      partial = gunzipSync(body, {
        maxOutputLength: maxBytes,
        finishFlush: constants.Z_SYNC_FLUSH,
      });
    } catch (second) {
      if (isTooLarge(second)) throw tooLarge(maxBytes);
      return {
        bytes: Buffer.alloc(0),
        failure: failureOf(
          body,
          'invalid_gzip',
          `body is not a readable gzip stream: ${message}`,
          context,
        ),
      };
    }
    const lastLf = partial.lastIndexOf(LF);
    const complete = partial.subarray(0, lastLf + 1);
    const cut = partial.subarray(lastLf + 1);
    return {
      bytes: complete,
      failure: failureOf(
        cut,
        'truncated_gzip',
        `gzip stream ended early (${message}) after ${partial.byteLength} bytes; the ${complete.byteLength} bytes of whole lines before the cut were ingested, these are the ${cut.byteLength} bytes after the last line break`,
        context,
      ),
    };
  }
}

function isTooLarge(error: unknown): boolean {
  return (
    error instanceof RangeError || (error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE'
  );
}

function tooLarge(maxBytes: number): CordonError {
  return new CordonError(
    'payload_too_large',
    `the decompressed body is larger than ${maxBytes} bytes: send smaller batches`,
  );
}

function failureOf(
  raw: Uint8Array,
  code: string,
  reason: string,
  context: ParseContext,
): RecordFailure {
  return {
    code,
    reason,
    raw: Uint8Array.from(raw),
    receivedAt: context.receivedAt.toISOString(),
    ...(context.sourceAddress === undefined ? {} : { sourceAddress: context.sourceAddress }),
  };
}

function add(out: BulkBody, outcome: ParseOutcome): void {
  out.records += 1;
  if (outcome.kind === 'events') {
    for (const event of outcome.events) out.events.push(event);
  } else {
    out.failures.push(outcome);
  }
}

/**
 * One record per line. A body that is valid UTF-8 throughout (the usual case) is decoded once
 * and split as text; otherwise each line goes to the parser as bytes, so that only the lines
 * with bad bytes fail. Blank lines are not records.
 */
function addLines(body: Buffer, out: BulkBody, context: ParseContext): void {
  const recordContext = { ...context, hint: out.hint };
  let text: string | undefined;
  try {
    text = utf8.decode(body);
  } catch {
    text = undefined;
  }
  if (text !== undefined) {
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (isBlank(line)) continue;
      add(out, parseRecord(line, recordContext));
    }
    return;
  }
  let start = 0;
  while (start < body.byteLength) {
    let end = body.indexOf(LF, start);
    if (end === -1) end = body.byteLength;
    const line = body.subarray(start, end);
    start = end + 1;
    if (line.every((byte) => byte === 0x20 || byte === 0x09 || byte === 0x0d)) continue;
    add(out, parseRecord(line, recordContext));
  }
}

function isBlank(line: string): boolean {
  return !/\S/.test(line);
}

/** A JSON array of records (strings or objects), a single object, or NDJSON sent as JSON. */
function addJsonBody(body: Buffer, out: BulkBody, context: ParseContext): void {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(body));
  } catch (error) {
    if (sniff(body, 'auto') === 'lines') {
      addLines(body, out, context);
      return;
    }
    out.records += 1;
    out.failures.push(
      failureOf(
        body,
        error instanceof SyntaxError ? 'invalid_json_body' : 'invalid_utf8',
        `the JSON body cannot be read: ${error instanceof Error ? error.message.slice(0, 200) : 'error'}`,
        context,
      ),
    );
    return;
  }
  const recordContext = { ...context, hint: out.hint };
  if (!Array.isArray(value)) {
    add(out, parseJsonValue(value, recordContext));
    return;
  }
  for (const item of value as unknown[]) add(out, parseJsonValue(item, recordContext));
}

/** An EVTX file: each record as its evtx_dump JSON, read by the Windows shape. */
function addEvtx(body: Buffer, out: BulkBody, context: ParseContext): void {
  const recordContext = { ...context, hint: 'windows' as const };
  try {
    for (const item of readEvtx(body)) {
      if (item.kind !== 'record') {
        if (item.kind === 'warning') continue;
        out.records += 1;
        out.failures.push(
          failureOf(
            body.subarray(item.offset, Math.min(body.byteLength, item.offset + 65536)),
            'evtx_record',
            `EVTX chunk ${item.chunk} offset ${item.offset}: ${item.reason}`,
            context,
          ),
        );
        continue;
      }
      add(out, parseJsonValue(recordJson(item), recordContext));
    }
  } catch (error) {
    if (error instanceof EvtxFormatError) {
      throw new CordonError('invalid_input', `the body is not an EVTX file: ${error.message}`);
    }
    throw error;
  }
}
