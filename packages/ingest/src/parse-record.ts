/**
 * The one entry point listeners and the bulk API call: one record (a syslog message, a line
 * of a file, one JSON document) in, events or a typed failure out. It never throws: bad
 * bytes, oversized records, binary garbage and hostile JSON all come back as a
 * `ParseFailure` that keeps the raw bytes for the dead-letter store.
 */
import type { IngestEvent } from './ingest-event.ts';
import type { IngestFormat, ParseContext } from './parse-context.ts';
import { DEFAULT_MAX_RECORD_BYTES, senderOffset } from './parse-context.ts';
import type { ParseFailure, ParseFailureCode } from './parse-failure.ts';
import { detectTextFormat } from './detect/detect-format.ts';
import type { TextFormat } from './detect/detect-format.ts';
import { jsonDepthExceeds, MAX_JSON_DEPTH, valueDepthExceeds } from './json-depth.ts';
import { jsonObjectEvents, jsonValueEvents } from './json-record.ts';
import { buildEvent } from './event-builder.ts';
import { cefEventParts } from './formats/cef-event.ts';
import { parseCef } from './formats/cef.ts';
import { netfilterEvent } from './formats/netfilter-event.ts';
import { parseZeekTsvLine, zeekHeaderReady } from './formats/zeek-tsv.ts';
import { parseRfc3164 } from './syslog/rfc3164.ts';
import { isRfc5424, parseRfc5424 } from './syslog/rfc5424.ts';
import { syslogEvents } from './syslog/syslog-event.ts';

export type ParseOutcome =
  { readonly kind: 'events'; readonly events: readonly IngestEvent[] } | ParseFailure;

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();

export function parseRecord(raw: Uint8Array | string, context: ParseContext): ParseOutcome {
  try {
    return parse(raw, context);
  } catch (error) {
    // A parser bug must not take a listener down: the record is dead-lettered with the cause.
    const message = error instanceof Error ? error.message : String(error);
    return failure(raw, context, 'malformed', `parser error: ${message}`);
  }
}

/**
 * The same for a JSON value the caller has already parsed (a bulk request's array elements):
 * no second parse. A failure keeps the value's JSON text as its raw bytes.
 */
export function parseJsonValue(value: unknown, context: ParseContext): ParseOutcome {
  const hint = context.hint ?? 'auto';
  try {
    if (valueDepthExceeds(value)) {
      return failure(
        safeJson(value),
        context,
        'too_deep',
        `JSON nested deeper than ${MAX_JSON_DEPTH} levels`,
        'json',
      );
    }
    const text = safeJson(value);
    if (encoder.encode(text).byteLength > (context.maxBytes ?? DEFAULT_MAX_RECORD_BYTES)) {
      return failure(
        text,
        context,
        'too_large',
        `record is larger than ${context.maxBytes ?? DEFAULT_MAX_RECORD_BYTES} bytes`,
      );
    }
    if (hint === 'syslog' || hint === 'cef') {
      return typeof value === 'string'
        ? parseRecord(value, context)
        : failure(
            text,
            context,
            'unrecognised_format',
            `a JSON ${typeof value} is not ${hint} text`,
          );
    }
    if (typeof value === 'string') return parseRecord(value, context);
    const result = jsonValueEvents(value as never, text, context);
    if (typeof result !== 'string') return { kind: 'events', events: result };
    const code: ParseFailureCode = result.includes('is not an event')
      ? 'unrecognised_format'
      : 'malformed';
    return failure(text, context, code, result, hint === 'auto' ? 'json' : hint);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failure(safeJson(value), context, 'malformed', `parser error: ${message}`);
  }
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function parse(raw: Uint8Array | string, context: ParseContext): ParseOutcome {
  const maxBytes = context.maxBytes ?? DEFAULT_MAX_RECORD_BYTES;
  let text: string;
  if (typeof raw === 'string') {
    // A string's UTF-8 size is at most 3 bytes per UTF-16 unit: only measure when it matters.
    if (raw.length * 3 > maxBytes && encoder.encode(raw).byteLength > maxBytes) {
      return failure(raw, context, 'too_large', `record is larger than ${maxBytes} bytes`);
    }
    text = raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
  } else {
    if (raw.byteLength > maxBytes) {
      return failure(
        raw,
        context,
        'too_large',
        `record is ${raw.byteLength} bytes; the limit is ${maxBytes}`,
      );
    }
    try {
      text = decoder.decode(raw);
    } catch {
      return failure(
        raw,
        context,
        'invalid_utf8',
        `record is not valid UTF-8 (first bad byte near offset ${badUtf8Offset(raw)})`,
      );
    }
  }
  text = text.replace(/[\r\n]+$/, '');
  if (!/\S/.test(text)) return failure(raw, context, 'empty', 'record is empty');
  // eslint-disable-next-line no-control-regex
  const control = /[\x00-\x08\x0e-\x1f\x7f]/.exec(text);
  if (control !== null) {
    return failure(
      raw,
      context,
      'binary',
      `record contains control byte 0x${text.charCodeAt(control.index).toString(16).padStart(2, '0')} at offset ${control.index}: not a text log record`,
    );
  }

  const hint = context.hint ?? 'auto';
  const zeek = zeekTsvEvents(text, context);
  if (zeek !== undefined) {
    return typeof zeek === 'string'
      ? failure(raw, context, 'malformed', zeek, 'zeek')
      : { kind: 'events', events: zeek };
  }
  const format = formatFor(text, hint);
  if (format === undefined) {
    return failure(
      raw,
      context,
      'unrecognised_format',
      hint === 'auto' ? 'not syslog, CEF or JSON' : `record does not look like ${hint}`,
    );
  }
  const result = parseAs(format, text, context);
  if (typeof result !== 'string') return { kind: 'events', events: result };
  const code: ParseFailureCode = result.startsWith('JSON nested') ? 'too_deep' : 'malformed';
  return failure(
    raw,
    context,
    code,
    result,
    hint !== 'auto' ? hint : format === 'netfilter' ? 'syslog' : format,
  );
}

/** A data line under a Zeek TSV header (auto or zeek hint), else undefined. */
function zeekTsvEvents(text: string, context: ParseContext): IngestEvent[] | string | undefined {
  const header = context.zeekHeader;
  const hint = context.hint ?? 'auto';
  if (header === undefined || !zeekHeaderReady(header)) return undefined;
  if ((hint !== 'auto' && hint !== 'zeek') || text.trimStart().startsWith('{')) return undefined;
  const value = parseZeekTsvLine(header, text);
  if (typeof value === 'string') return value;
  return jsonObjectEvents(value, text, { ...context, hint: 'zeek' });
}

function formatFor(text: string, hint: IngestFormat): TextFormat | undefined {
  const detected = detectTextFormat(text);
  switch (hint) {
    case 'auto':
      return detected;
    case 'syslog':
      return detected === 'json' ? undefined : detected === 'netfilter' ? detected : 'syslog';
    case 'cef':
      return detected === 'cef' ? 'cef' : detected === 'syslog' ? 'syslog' : undefined;
    case 'json':
    case 'windows':
    case 'zeek':
    case 'suricata':
    case 'cloudtrail':
      return detected === 'json' ? 'json' : undefined;
  }
}

function parseAs(format: TextFormat, text: string, context: ParseContext): IngestEvent[] | string {
  switch (format) {
    case 'json': {
      if (jsonDepthExceeds(text)) return `JSON nested deeper than ${MAX_JSON_DEPTH} levels`;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        return `invalid JSON: ${error instanceof Error ? error.message.slice(0, 200) : 'parse error'}`;
      }
      return jsonValueEvents(value as never, text, context);
    }
    case 'netfilter':
      return [netfilterEvent(text, context, { event: { original: text }, fields: {} })];
    case 'cef': {
      const record = parseCef(text);
      if (typeof record === 'string') return record;
      const parts = cefEventParts(record, senderOffset(context));
      return [buildEvent({ ...parts, event: { ...parts.event, original: text } }, context)];
    }
    case 'syslog': {
      const message = isRfc5424(text)
        ? parseRfc5424(text)
        : (parseRfc3164(text, {
            receivedAt: context.receivedAt,
            utcOffset: senderOffset(context),
          }) ?? 'not syslog: no <PRI> and no timestamp');
      if (typeof message === 'string') return message;
      return syslogEvents(message, text, context, (value, original, ctx) =>
        jsonDepthExceeds(original)
          ? 'too deep'
          : jsonObjectEvents(value, original, { ...ctx, hint: 'json' }),
      );
    }
  }
}

function failure(
  raw: Uint8Array | string,
  context: ParseContext,
  code: ParseFailureCode,
  reason: string,
  format?: IngestFormat,
): ParseFailure {
  return {
    kind: 'failure',
    code,
    reason,
    ...(format === undefined ? {} : { format }),
    raw: typeof raw === 'string' ? encoder.encode(raw) : raw,
    receivedAt: context.receivedAt.toISOString(),
    ...(context.sourceAddress === undefined ? {} : { sourceAddress: context.sourceAddress }),
  };
}

/** Where decoding first fails: the shortest prefix that is already invalid, found by bisection. */
function badUtf8Offset(bytes: Uint8Array): number {
  let valid = 0;
  let invalid = bytes.byteLength;
  while (invalid - valid > 1) {
    const mid = (valid + invalid) >>> 1;
    try {
      // Streaming: a multi-byte sequence cut by the prefix end is not an error yet.
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(0, mid), { stream: true });
      valid = mid;
    } catch {
      invalid = mid;
    }
  }
  return invalid - 1;
}
