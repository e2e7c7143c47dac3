/**
 * Events to test a rule against: pasted (a JSON array, one JSON object, or NDJSON — one
 * object a line) or taken from an event search. A pasted event may be a raw record
 * (`{"CommandLine": …}`), an event as stored (with `fields` and `log_source`), or a search
 * result as the API returns it (`{id, event, …}`): the last two are matched as live detection
 * matches them. Bounded, since anything may be pasted.
 */
import type { SigmaEvent } from '@cordon/sigma';
import type { EventRecord } from '../api/api-types.ts';
import { matchView } from './match-view.ts';

export const MAX_TEST_EVENTS = 1000;
export const MAX_TEST_TEXT_CHARS = 2_000_000;

export interface LogSourceTag {
  readonly product?: string;
  readonly category?: string;
  readonly service?: string;
}

export interface TestEvent {
  /** Where it came from: its line or position, or its stored id. */
  readonly label: string;
  /** What the table shows of it. */
  readonly preview: string;
  readonly view: SigmaEvent;
  /** The log source recorded at ingestion; none for a raw record. */
  readonly logSource: LogSourceTag | undefined;
  /** `@timestamp` (or `timestamp`) in ms, when it has one (correlation windows need time). */
  readonly timeMs: number | undefined;
}

export type ParsedEvents =
  | { readonly ok: true; readonly events: readonly TestEvent[] }
  | { readonly ok: false; readonly problem: string };

type JsonObject = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function logSourceOf(value: unknown): LogSourceTag | undefined {
  if (!isObject(value)) return undefined;
  const tag: { product?: string; category?: string; service?: string } = {};
  for (const key of ['product', 'category', 'service'] as const) {
    const v = value[key];
    if (typeof v === 'string' && v !== '') tag[key] = v.toLowerCase();
  }
  return Object.keys(tag).length > 0 ? tag : undefined;
}

function timeOf(event: JsonObject): number | undefined {
  const raw = event['@timestamp'] ?? event['timestamp'];
  const ms = typeof raw === 'string' ? Date.parse(raw) : typeof raw === 'number' ? raw : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function previewOf(event: JsonObject): string {
  const text = JSON.stringify(event);
  return text.length > 240 ? `${text.slice(0, 239)}…` : text;
}

/** One pasted or stored value → a test event (a search result is unwrapped to its event). */
export function testEventOf(value: JsonObject, label: string): TestEvent {
  const inner = isObject(value['event']) && isObject(value['provenance']) ? value['event'] : value;
  const stored = isObject(inner['log_source']) || isObject(inner['fields']);
  return {
    label,
    preview: previewOf(isObject(inner['fields']) ? inner['fields'] : inner),
    view: stored ? matchView(inner) : inner,
    logSource: stored ? logSourceOf(inner['log_source']) : undefined,
    timeMs: timeOf(inner),
  };
}

export function storedTestEvents(records: readonly EventRecord[]): TestEvent[] {
  return records.map((r) => testEventOf(r.event, `${r.timestamp} · ${r.id.slice(0, 8)}`));
}

function objectsOf(values: readonly unknown[], where: (i: number) => string): ParsedEvents {
  if (values.length > MAX_TEST_EVENTS)
    return { ok: false, problem: `at most ${MAX_TEST_EVENTS} events at a time (${values.length})` };
  const events: TestEvent[] = [];
  for (const [i, value] of values.entries()) {
    if (!isObject(value)) return { ok: false, problem: `${where(i)}: an event is a JSON object` };
    events.push(testEventOf(value, where(i)));
  }
  return { ok: true, events };
}

const reason = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function parseTestEvents(text: string): ParsedEvents {
  if (text.length > MAX_TEST_TEXT_CHARS)
    return { ok: false, problem: `at most ${MAX_TEST_TEXT_CHARS} characters of events` };
  const trimmed = text.trim();
  if (trimmed === '') return { ok: true, events: [] };
  if (trimmed.startsWith('[')) {
    let values: unknown;
    try {
      values = JSON.parse(trimmed);
    } catch (error) {
      return { ok: false, problem: `not a JSON array: ${reason(error)}` };
    }
    if (!Array.isArray(values)) return { ok: false, problem: 'not a JSON array' };
    return objectsOf(values, (i) => `event ${i + 1}`);
  }
  const values: unknown[] = [];
  const lines: number[] = [];
  const all = text.split('\n');
  for (const [i, line] of all.entries()) {
    if (line.trim() === '') continue;
    if (values.length === MAX_TEST_EVENTS)
      return { ok: false, problem: `at most ${MAX_TEST_EVENTS} events at a time` };
    try {
      values.push(JSON.parse(line));
    } catch (error) {
      // One pretty-printed object is not NDJSON but is what people paste from a viewer.
      if (values.length === 0) {
        try {
          return objectsOf([JSON.parse(trimmed)], () => 'event 1');
        } catch {
          // fall through to the line's own error
        }
      }
      return { ok: false, problem: `line ${i + 1}: ${reason(error)}` };
    }
    lines.push(i + 1);
  }
  return objectsOf(values, (i) => `line ${lines[i] ?? i + 1}`);
}
