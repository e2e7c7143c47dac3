/**
 * The object the Sigma engine matches: every source field under its own name and the ECS
 * fields as nested objects, which the engine (and correlations) reach by dotted path
 * (`source.ip`, `event.outcome`, `process.parent.executable`). A source field wins over an ECS
 * name spelled the same (it is what the rules for that source mean): where a source field has
 * the name of an ECS object (`source`, `user` …), that object's leaves are set under their
 * dotted names instead, so both stay reachable. `fields` and `log_source` themselves are left
 * out: rule selection reads `log_source` from the event.
 *
 * `event.original` (the record as received) stays readable by name but is not enumerable, so
 * keyword searches, which look through every value, do not search it: it repeats the values
 * parsed from it (a keyword would otherwise also match the JSON keys or syslog header in it,
 * and scanning it roughly doubles what keyword rules read per event).
 */
import type { IngestEvent, JsonObject, JsonValue } from './ingest-event.ts';

export function sigmaView(event: IngestEvent): Record<string, JsonValue> {
  const view: Record<string, JsonValue> = {};
  const fields = event.fields;
  for (const key in event) {
    if (key === 'fields' || key === 'log_source') continue;
    const value = (event as unknown as JsonObject)[key] as JsonValue;
    if (Object.hasOwn(fields, key) || hasDottedKey(value, 0)) addLeaves(view, key, value, 0);
    else view[key] = key === 'event' ? withHiddenOriginal(value) : value;
  }
  if (Object.hasOwn(view, ORIGINAL) && !Object.hasOwn(fields, ORIGINAL)) {
    hide(view, ORIGINAL, view[ORIGINAL] as JsonValue);
  }
  for (const key in fields) view[key] = fields[key] as JsonValue;
  return view;
}

const ORIGINAL = 'event.original';

function hide(object: Record<string, JsonValue>, key: string, value: JsonValue): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: false,
    writable: true,
    configurable: true,
  });
}

/** The ECS `event` object with `original` made non-enumerable (a copy: the event is not changed). */
function withHiddenOriginal(value: JsonValue): JsonValue {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const meta = value as JsonObject;
  if (!Object.hasOwn(meta, 'original')) return value;
  const copy: Record<string, JsonValue> = {};
  for (const key in meta) if (key !== 'original') copy[key] = meta[key] as JsonValue;
  hide(copy, 'original', meta['original'] as JsonValue);
  return copy;
}

/** Whether a nested object has a key with a dot, which a dotted path could not tell apart. */
function hasDottedKey(value: JsonValue, depth: number): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || depth >= 8)
    return false;
  const object = value as JsonObject;
  for (const key in object) {
    if (key.includes('.') || hasDottedKey(object[key] as JsonValue, depth + 1)) return true;
  }
  return false;
}

function addLeaves(
  view: Record<string, JsonValue>,
  name: string,
  value: JsonValue,
  depth: number,
): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && depth < 8) {
    const object = value as JsonObject;
    for (const key in object)
      addLeaves(view, `${name}.${key}`, object[key] as JsonValue, depth + 1);
    return;
  }
  view[name] = value;
}
