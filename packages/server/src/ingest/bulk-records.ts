/**
 * Records of a bulk body, read from its (inflated) blocks as they come: lines, the elements
 * of a JSON array, or EVTX records. Each is parsed on its own and given with the bytes it
 * took, so that the caller can cut the body into bounded batches. Nothing is held beyond the
 * record being gathered (`LineSplitter`, `JsonArrayScanner`) and one EVTX chunk.
 *
 * Per-record problems are failures for the dead-letter store, never errors: invalid UTF-8,
 * a line or element over the kept size (`frame_too_large`, its first bytes kept), an element
 * nested too deep, a gzip stream cut short (the records before the cut are kept; the bytes
 * after the last complete record are the failure).
 */
import type { IngestEvent, ParseContext, ParseOutcome } from '@cordon/ingest';
import { HEAD_BYTES, LineRecordReader, MAX_JSON_DEPTH, parseJsonValue } from '@cordon/ingest';
import { EvtxFormatError, readEvtxStream, recordJson } from '@cordon/evtx';
import { CordonError } from '@cordon/core';
import type { GatheredBytes } from './bounded-bytes.ts';
import type { GzipCut } from './body-streams.ts';
import type { RecordFailure } from './ingest-sink.ts';
import type { ArrayItem } from './json-array-scanner.ts';
import { JsonArrayScanner } from './json-array-scanner.ts';
import { LineSplitter } from './line-splitter.ts';

export type BulkRecord =
  | { readonly kind: 'events'; readonly events: readonly IngestEvent[]; readonly bytes: number }
  | { readonly kind: 'failure'; readonly failure: RecordFailure; readonly bytes: number };

export interface RecordReaderOptions {
  readonly context: ParseContext;
  /** The record limit (`context.maxBytes`) doubled: what is gathered whole at most. */
  readonly keepBytes: number;
  /** Set by the gzip reader when the stream was cut; read once the blocks have ended. */
  readonly cut: { readonly value?: GzipCut };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export async function* lineRecords(
  blocks: AsyncIterable<Uint8Array>,
  options: RecordReaderOptions,
): AsyncGenerator<BulkRecord> {
  const splitter = new LineSplitter(options.keepBytes, HEAD_BYTES);
  // Zeek TSV header lines shape the lines after them: one reader for the whole body.
  const reader = new LineRecordReader(options.context);
  for await (const block of blocks) {
    for (const line of splitter.push(block)) {
      const record = lineRecord(line, reader, options.context);
      if (record !== undefined) yield record;
    }
  }
  const rest = [...splitter.end()];
  const cut = options.cut.value;
  if (cut !== undefined) {
    yield cutFailure(cut, rest[0], options.context);
    return;
  }
  for (const line of rest) {
    const record = lineRecord(line, reader, options.context);
    if (record !== undefined) yield record;
  }
}

function lineRecord(
  line: GatheredBytes,
  reader: LineRecordReader,
  context: ParseContext,
): BulkRecord | undefined {
  if (line.kind === 'overlong') return overlong(line, context, 'line');
  if (isBlank(line.bytes)) return undefined;
  const outcome = reader.read(line.bytes);
  return outcome.kind === 'header' ? undefined : fromOutcome(outcome, line.bytes.byteLength);
}

export async function* arrayRecords(
  blocks: AsyncIterable<Uint8Array>,
  options: RecordReaderOptions,
): AsyncGenerator<BulkRecord> {
  const { context } = options;
  const scanner = new JsonArrayScanner({
    keepBytes: options.keepBytes,
    headBytes: HEAD_BYTES,
    maxDepth: MAX_JSON_DEPTH,
  });
  for await (const block of blocks) {
    for (const item of scanner.push(block)) yield elementRecord(item, context);
  }
  for (const item of scanner.end()) {
    const cut = options.cut.value;
    if (cut !== undefined && item.kind === 'invalid') {
      yield cutFailure(cut, { kind: 'whole', bytes: item.head }, context);
    } else {
      yield elementRecord(item, context);
    }
  }
}

function elementRecord(item: ArrayItem, context: ParseContext): BulkRecord {
  switch (item.kind) {
    case 'overlong':
      return overlong(item, context, 'array element');
    case 'too_deep':
      return failure(
        item.head,
        'too_deep',
        `array element nested ${item.depth} levels deep, over ${MAX_JSON_DEPTH}; its first ${item.head.byteLength} bytes are kept`,
        context,
      );
    case 'invalid':
      return failure(
        item.head,
        'invalid_json_body',
        `the JSON body cannot be read: ${item.reason}`,
        context,
      );
    case 'whole': {
      let value: unknown;
      try {
        value = JSON.parse(utf8.decode(item.bytes));
      } catch (error) {
        const invalidText = !(error instanceof SyntaxError);
        return failure(
          item.bytes,
          invalidText ? 'invalid_utf8' : 'malformed',
          invalidText
            ? 'array element is not valid UTF-8'
            : `array element is not JSON: ${error.message.slice(0, 200)}`,
          context,
        );
      }
      return fromOutcome(parseJsonValue(value, context), item.bytes.byteLength);
    }
  }
}

/** An EVTX file: each record as its evtx_dump JSON, read by the Windows shape. */
export async function* evtxRecords(
  blocks: AsyncIterable<Uint8Array>,
  options: RecordReaderOptions,
): AsyncGenerator<BulkRecord> {
  const context = { ...options.context, hint: 'windows' as const };
  let lastOffset = 0;
  try {
    for await (const item of readEvtxStream(blocks)) {
      if (item.kind === 'warning') continue;
      if (item.kind !== 'record') {
        yield failure(
          new Uint8Array(0),
          'evtx_record',
          `EVTX chunk ${item.chunk} offset ${item.offset}: ${item.reason}`,
          context,
        );
        continue;
      }
      // Its share of the file, for the batch's byte count (records are not given their size).
      const bytes = Math.max(1, item.offset - lastOffset);
      lastOffset = item.offset;
      yield fromOutcome(parseJsonValue(recordJson(item), context), bytes);
    }
  } catch (error) {
    if (error instanceof EvtxFormatError) {
      throw new CordonError('invalid_input', `the body is not an EVTX file: ${error.message}`);
    }
    throw error;
  }
  const cut = options.cut.value;
  if (cut !== undefined) yield cutFailure(cut, undefined, context);
}

function fromOutcome(outcome: ParseOutcome, bytes: number): BulkRecord {
  return outcome.kind === 'events'
    ? { kind: 'events', events: outcome.events, bytes }
    : { kind: 'failure', failure: outcome, bytes };
}

function overlong(
  item: { readonly head: Uint8Array; readonly length: number },
  context: ParseContext,
  what: string,
): BulkRecord {
  const limit = context.maxBytes ?? 0;
  return {
    kind: 'failure',
    bytes: item.length,
    failure: failureOf(
      item.head,
      'frame_too_large',
      `${what} of ${item.length} bytes is over the ${limit}-byte record limit; its first ${item.head.byteLength} bytes are kept`,
      context,
    ),
  };
}

function cutFailure(
  cut: GzipCut,
  rest: GatheredBytes | undefined,
  context: ParseContext,
): BulkRecord {
  if (cut.inflated === 0) {
    return failure(
      cut.compressedHead,
      'invalid_gzip',
      `body is not a readable gzip stream: ${cut.message}`,
      context,
    );
  }
  const raw =
    rest === undefined ? new Uint8Array(0) : rest.kind === 'whole' ? rest.bytes : rest.head;
  return failure(
    raw,
    'truncated_gzip',
    `gzip stream ended early (${cut.message}) after ${cut.inflated} bytes; the records before the cut were ingested, these are the ${raw.byteLength} bytes after the last complete record`,
    context,
  );
}

function failure(raw: Uint8Array, code: string, reason: string, context: ParseContext): BulkRecord {
  return { kind: 'failure', failure: failureOf(raw, code, reason, context), bytes: raw.byteLength };
}

export function failureOf(
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

function isBlank(line: Uint8Array): boolean {
  for (const byte of line) if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  return true;
}
