/**
 * Zeek's default ASCII log format: tab-separated values under `#` header lines that say the
 * separators, the log's path and each column's name and type:
 *
 *   #separator \x09
 *   #set_separator ,   #empty_field (empty)   #unset_field -
 *   #path conn   #open …   #fields ts uid id.orig_h …   #types time string addr …
 *
 * A data line is turned into the object Zeek's JSON writer would have written for it, so the
 * JSON mapping (zeek.ts) serves both: `time`/`interval`/`double` and `count`/`int`/`port` become
 * numbers, `bool` `T`/`F` a boolean, `set[…]`/`vector[…]` an array of typed elements, the unset
 * mark drops the field, the empty mark is an empty container (or ''), `\xHH` escapes are
 * decoded. The header's `#path` is kept as `_path`, the name Zeek's JSON gives it.
 *
 * Bounded: at most `MAX_ZEEK_FIELDS` columns and `MAX_ZEEK_HEADER_LINES` header lines in a row.
 */
import type { JsonValue } from '../ingest-event.ts';

export const MAX_ZEEK_FIELDS = 256;
export const MAX_ZEEK_HEADER_LINES = 32;

export interface ZeekTsvHeader {
  readonly separator: string;
  readonly setSeparator: string;
  readonly emptyField: string;
  readonly unsetField: string;
  readonly path: string | undefined;
  readonly fields: readonly string[];
  readonly types: readonly string[];
}

export const ZEEK_TSV_DEFAULTS: ZeekTsvHeader = {
  separator: '\t',
  setSeparator: ',',
  emptyField: '(empty)',
  unsetField: '-',
  path: undefined,
  fields: [],
  types: [],
};

const DIRECTIVES = new Set([
  'separator',
  'set_separator',
  'empty_field',
  'unset_field',
  'path',
  'open',
  'close',
  'fields',
  'types',
]);

/** The directive a `#` line names, if it is one of Zeek's header lines. */
export function zeekDirective(line: string): string | undefined {
  const match = /^#([a-z_]+)[ \t]/.exec(line) ?? /^#(close|open)$/.exec(line);
  return match !== null && DIRECTIVES.has(match[1]!) ? match[1] : undefined;
}

/**
 * The header after one more `#` line, or a reason it cannot be read. `#separator` starts a
 * new header (a second log appended to the same file).
 */
export function applyZeekHeaderLine(header: ZeekTsvHeader, line: string): ZeekTsvHeader | string {
  const directive = zeekDirective(line);
  if (directive === undefined) return `not a Zeek header line: ${line.slice(0, 40)}`;
  if (directive === 'separator') {
    const separator = unescapeZeek(line.slice('#separator '.length));
    if (separator.length !== 1) return 'Zeek #separator must be one character';
    return { ...ZEEK_TSV_DEFAULTS, separator };
  }
  const value = line.slice(directive.length + 2);
  const values = value.split(header.separator);
  switch (directive) {
    case 'set_separator':
      return { ...header, setSeparator: unescapeZeek(value) };
    case 'empty_field':
      return { ...header, emptyField: unescapeZeek(value) };
    case 'unset_field':
      return { ...header, unsetField: unescapeZeek(value) };
    case 'path':
      return { ...header, path: unescapeZeek(value) };
    case 'fields':
    case 'types': {
      if (values.length > MAX_ZEEK_FIELDS) {
        return `Zeek #${directive} names ${values.length} columns; at most ${MAX_ZEEK_FIELDS}`;
      }
      return directive === 'fields' ? { ...header, fields: values } : { ...header, types: values };
    }
    default:
      return header;
  }
}

/** True once `#fields` and `#types` agree: data lines can be read. */
export function zeekHeaderReady(header: ZeekTsvHeader): boolean {
  return header.fields.length > 0 && header.fields.length === header.types.length;
}

/** One data line → the JSON object Zeek would have written, or a reason. */
export function parseZeekTsvLine(
  header: ZeekTsvHeader,
  line: string,
): Record<string, JsonValue> | string {
  const columns = line.split(header.separator);
  if (columns.length !== header.fields.length) {
    return `Zeek ${header.path ?? ''} line has ${columns.length} columns; the #fields header names ${header.fields.length}`;
  }
  const record: Record<string, JsonValue> = {};
  if (header.path !== undefined) record._path = header.path;
  for (const [index, raw] of columns.entries()) {
    if (raw === header.unsetField) continue;
    const name = header.fields[index]!;
    try {
      record[name] = typedValue(raw, header.types[index]!, header);
    } catch (error) {
      if (!(error instanceof ZeekValueError)) throw error;
      return `Zeek field ${name} (${header.types[index]}): ${error.message}`;
    }
  }
  return record;
}

/** A column whose text is not of its declared type. */
class ZeekValueError extends Error {}

function typedValue(raw: string, type: string, header: ZeekTsvHeader): JsonValue {
  const container = /^(?:set|vector|table)\[(.+)\]$/.exec(type);
  if (container !== null) {
    if (raw === header.emptyField) return [];
    return raw
      .split(header.setSeparator)
      .map((item) => (item === header.unsetField ? null : scalarValue(item, container[1]!)));
  }
  if (raw === header.emptyField && (type === 'string' || type === 'pattern')) return '';
  return scalarValue(raw, type);
}

function scalarValue(raw: string, type: string): string | number | boolean {
  switch (type) {
    case 'bool':
      if (raw === 'T' || raw === 'F') return raw === 'T';
      throw new ZeekValueError(`not T or F: ${raw.slice(0, 20)}`);
    case 'count':
    case 'int':
    case 'port':
      if (/^-?\d{1,20}$/.test(raw)) return Number(raw);
      throw new ZeekValueError(`not an integer: ${raw.slice(0, 20)}`);
    case 'time':
    case 'interval':
    case 'double': {
      const number = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(raw) ? Number(raw) : Number.NaN;
      if (Number.isFinite(number)) return number;
      throw new ZeekValueError(`not a number: ${raw.slice(0, 20)}`);
    }
    default:
      // string, addr, subnet, enum, pattern, func and record types: text.
      return unescapeZeek(raw);
  }
}

/** Zeek writes bytes it must not print (the separator, controls, non-UTF-8) as `\xHH`. */
export function unescapeZeek(text: string): string {
  if (!text.includes('\\x')) return text;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < text.length;) {
    if (
      text[i] === '\\' &&
      text[i + 1] === 'x' &&
      /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))
    ) {
      bytes.push(Number.parseInt(text.slice(i + 2, i + 4), 16));
      i += 4;
      continue;
    }
    const codePoint = text.codePointAt(i)!;
    const char = String.fromCodePoint(codePoint);
    bytes.push(...encoder.encode(char));
    i += char.length;
  }
  return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
}
