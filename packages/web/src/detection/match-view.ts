/**
 * The object live detection matches for a stored event, rebuilt in the browser so a rule tested
 * here meets the event as the server's pipeline presents it: every source field (`fields`)
 * under its own name, the ECS fields as nested objects reached by dotted path, `fields` and
 * `log_source` left out (the log source selects rules instead). Where a source field is named
 * like an ECS object (`source`, `user` …), that object's leaves go under dotted names so both
 * stay reachable; `event.original` stays readable but is hidden from keyword scans.
 *
 * This is @cordon/ingest's `sigmaView`, which the console may not import (ingest is not a
 * browser package); `match-view.test.ts` holds the two to the same answers.
 */
import type { SigmaEvent } from '@cordon/sigma';

type Json = unknown;
type JsonObject = Readonly<Record<string, Json>>;

const ORIGINAL = 'event.original';
const MAX_DEPTH = 8;

const isObject = (value: Json): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function hide(object: Record<string, Json>, key: string, value: Json): void {
  Object.defineProperty(object, key, {
    value,
    enumerable: false,
    writable: true,
    configurable: true,
  });
}

function hasDottedKey(value: Json, depth: number): boolean {
  if (!isObject(value) || depth >= MAX_DEPTH) return false;
  for (const key in value)
    if (key.includes('.') || hasDottedKey(value[key], depth + 1)) return true;
  return false;
}

function addLeaves(view: Record<string, Json>, name: string, value: Json, depth: number): void {
  if (isObject(value) && depth < MAX_DEPTH) {
    for (const key in value) addLeaves(view, `${name}.${key}`, value[key], depth + 1);
    return;
  }
  view[name] = value;
}

function withHiddenOriginal(value: Json): Json {
  if (!isObject(value) || !Object.hasOwn(value, 'original')) return value;
  const copy: Record<string, Json> = {};
  for (const key in value) if (key !== 'original') copy[key] = value[key];
  hide(copy, 'original', value['original']);
  return copy;
}

/** `event` as stored (an ingest event with `fields` and `log_source`) → what rules match. */
export function matchView(event: JsonObject): SigmaEvent {
  const view: Record<string, Json> = {};
  const fields = isObject(event['fields']) ? event['fields'] : {};
  for (const key in event) {
    if (key === 'fields' || key === 'log_source') continue;
    const value = event[key];
    if (Object.hasOwn(fields, key) || hasDottedKey(value, 0)) addLeaves(view, key, value, 0);
    else view[key] = key === 'event' ? withHiddenOriginal(value) : value;
  }
  if (Object.hasOwn(view, ORIGINAL) && !Object.hasOwn(fields, ORIGINAL))
    hide(view, ORIGINAL, view[ORIGINAL]);
  for (const key in fields) view[key] = fields[key];
  return view;
}
