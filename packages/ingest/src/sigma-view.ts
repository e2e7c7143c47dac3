/**
 * The object the Sigma engine matches: every source field under its own name (nested source
 * objects stay nested, so `userIdentity.type` is found by path) and every ECS leaf under its
 * dotted name (`source.ip`, `event.outcome`, `process.parent.executable`). A source field wins
 * over an ECS name spelled the same (it is what the rules for that source mean). `fields` and
 * `log_source` themselves are left out: rule selection reads `log_source` from the event.
 */
import type { IngestEvent, JsonObject, JsonValue } from './ingest-event.ts';

export function sigmaView(event: IngestEvent): Record<string, JsonValue> {
  const view: Record<string, JsonValue> = {};
  for (const [key, value] of Object.entries(event)) {
    if (key === 'fields' || key === 'log_source') continue;
    addLeaves(view, key, value as JsonValue, 0);
  }
  for (const [key, value] of Object.entries(event.fields)) view[key] = value;
  return view;
}

function addLeaves(
  view: Record<string, JsonValue>,
  name: string,
  value: JsonValue,
  depth: number,
): void {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && depth < 8) {
    for (const [key, child] of Object.entries(value as JsonObject)) {
      addLeaves(view, `${name}.${key}`, child, depth + 1);
    }
    return;
  }
  view[name] = value;
}
