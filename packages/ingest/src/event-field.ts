/**
 * How detection and search see an event's fields. A Sigma rule names a field either the way
 * the source does (`EventID`, `Image`, `id.orig_h`, `userIdentity.type`) or the ECS way
 * (`source.ip`, `event.outcome`, `log_source.product`). `eventField` resolves a name in that
 * order:
 *
 * 1. an own key of `fields` spelled exactly so (flat names, including Zeek's dotted keys);
 * 2. a dotted path from the event root (ECS, `log_source`, `message`);
 * 3. a dotted path through `fields` (nested source objects: CloudTrail, Suricata EVE).
 *
 * `sigmaView` (sigma-view.ts) builds the flat object that gives @cordon/sigma's lookup (own
 * property, then dotted path) the same answers.
 *
 * Arrays met on a path are searched element-wise and the values found are returned as an array
 * (so `resources.ARN` finds every resource's ARN). Missing fields give `undefined`.
 */
import type { IngestEvent, JsonObject, JsonValue } from './ingest-event.ts';

/** Deeper paths are not followed: no event we produce nests this far. */
const MAX_PATH_SEGMENTS = 32;

export function eventField(event: IngestEvent, name: string): JsonValue | undefined {
  const fields = event.fields;
  if (Object.hasOwn(fields, name)) return fields[name];
  const path = name.split('.');
  if (path.length > MAX_PATH_SEGMENTS) return undefined;
  const inEcs = walk(event as unknown as JsonObject, path, 0);
  if (inEcs !== undefined || path.length === 1) return inEcs;
  return walk(fields, path, 0);
}

/** The text that field-less Sigma keywords search: the log line's message, else the raw record. */
export function eventKeywordText(event: IngestEvent): string {
  return event.message ?? event.event.original ?? '';
}

function walk(value: JsonValue, path: readonly string[], index: number): JsonValue | undefined {
  if (index === path.length) return value;
  if (Array.isArray(value)) {
    const found: JsonValue[] = [];
    for (const item of value as readonly JsonValue[]) {
      const hit = walk(item, path, index);
      if (hit === undefined) continue;
      if (Array.isArray(hit)) found.push(...(hit as readonly JsonValue[]));
      else found.push(hit);
    }
    return found.length === 0 ? undefined : found;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const object = value as JsonObject;
  // A key may itself contain dots (`id.orig_h` inside a nested object): try the longest
  // remaining dotted key first, so flat-with-dots and nested spellings both resolve.
  for (let end = path.length; end > index; end--) {
    const key = end - index === 1 ? path[index]! : path.slice(index, end).join('.');
    if (Object.hasOwn(object, key)) {
      const hit = walk(object[key]!, path, end);
      if (hit !== undefined) return hit;
    }
  }
  return undefined;
}
