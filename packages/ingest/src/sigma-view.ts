/**
 * The object the Sigma engine matches: every source field under its own name and the ECS
 * fields as nested objects, which the engine (and correlations) reach by dotted path
 * (`source.ip`, `event.outcome`, `process.parent.executable`). A source field wins over an ECS
 * name spelled the same (it is what the rules for that source mean): where a source field has
 * the name of an ECS object (`source`, `user` …), that object's leaves are set under their
 * dotted names instead, so both stay reachable. `fields` and `log_source` themselves are left
 * out: rule selection reads `log_source` from the event.
 */
import type { IngestEvent, JsonObject, JsonValue } from './ingest-event.ts';

export function sigmaView(event: IngestEvent): Record<string, JsonValue> {
  const view: Record<string, JsonValue> = {};
  const fields = event.fields;
  for (const key in event) {
    if (key === 'fields' || key === 'log_source') continue;
    const value = (event as unknown as JsonObject)[key] as JsonValue;
    if (Object.hasOwn(fields, key) || hasDottedKey(value, 0)) addLeaves(view, key, value, 0);
    else view[key] = value;
  }
  for (const key in fields) view[key] = fields[key] as JsonValue;
  return view;
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
