/**
 * A parsed JSON value → events, choosing the shape: CloudTrail's `{"Records":[…]}` and JSON
 * arrays give one event per element; an object is a Windows event, Zeek, Suricata EVE,
 * CloudTrail record, or generic JSON — decided by `jsonShape` unless the caller's hint names
 * the shape.
 */
import type { JsonObject, JsonValue, IngestEvent } from './ingest-event.ts';
import type { EventParts } from './event-builder.ts';
import { buildEvent } from './event-builder.ts';
import type { IngestFormat, ParseContext } from './parse-context.ts';
import { senderOffset } from './parse-context.ts';
import { agentTelemetryParts, isAgentTelemetry } from './formats/agent-telemetry.ts';
import { cloudTrailParts, isCloudTrailRecord } from './formats/cloudtrail.ts';
import { genericJsonParts } from './formats/generic-json.ts';
import { isSuricataEve, suricataParts } from './formats/suricata-eve.ts';
import { windowsEcs } from './formats/windows-ecs.ts';
import { windowsFlat, windowsShape } from './formats/windows-event.ts';
import { zeekLog, zeekParts } from './formats/zeek.ts';

export type JsonShape = 'windows' | 'zeek' | 'suricata' | 'cloudtrail' | 'agent' | 'json';

/** Elements of one array or `Records` file taken at most (the rest is refused). */
export const MAX_RECORDS_PER_INPUT = 100_000;

export function jsonShape(value: JsonObject): JsonShape {
  if (windowsShape(value) !== undefined) return 'windows';
  if (isSuricataEve(value)) return 'suricata';
  if (zeekLog(value) !== undefined) return 'zeek';
  if (isCloudTrailRecord(value)) return 'cloudtrail';
  if (isAgentTelemetry(value)) return 'agent';
  return 'json';
}

export function jsonValueEvents(
  value: JsonValue,
  original: string,
  context: ParseContext,
): IngestEvent[] | string {
  if (Array.isArray(value)) return jsonListEvents(value as readonly JsonValue[], context);
  if (typeof value !== 'object' || value === null) {
    return `a JSON ${value === null ? 'null' : typeof value} is not an event (expected an object)`;
  }
  const object = value as JsonObject;
  if (Array.isArray(object.Records) && Object.keys(object).length <= 2) {
    return jsonListEvents(object.Records as readonly JsonValue[], context);
  }
  return jsonObjectEvents(object, original, context);
}

export function jsonObjectEvents(
  value: JsonObject,
  original: string | undefined,
  context: ParseContext,
): IngestEvent[] | string {
  const shape = shapeFor(value, context.hint);
  if (shape === undefined) return `record is not ${context.hint ?? 'recognised'} JSON`;
  const parts = partsFor(value, shape, context);
  if (typeof parts === 'string') return parts;
  return [buildEvent({ ...parts, event: { ...parts.event, original } }, context)];
}

function jsonListEvents(
  items: readonly JsonValue[],
  context: ParseContext,
): IngestEvent[] | string {
  if (items.length > MAX_RECORDS_PER_INPUT) {
    return `${items.length} records in one input; at most ${MAX_RECORDS_PER_INPUT}`;
  }
  const events: IngestEvent[] = [];
  for (const [index, item] of items.entries()) {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return `element ${index} is not a JSON object`;
    }
    const result = jsonObjectEvents(item as JsonObject, JSON.stringify(item), context);
    if (typeof result === 'string') return `element ${index}: ${result}`;
    events.push(...result);
  }
  return events;
}

function shapeFor(value: JsonObject, hint: IngestFormat | undefined): JsonShape | undefined {
  switch (hint) {
    case undefined:
    case 'auto':
    case 'json':
    case 'syslog':
    case 'cef':
      return jsonShape(value);
    case 'windows':
      return windowsShape(value) === undefined ? undefined : 'windows';
    case 'zeek':
      return zeekLog(value) === undefined ? undefined : 'zeek';
    case 'suricata':
      return isSuricataEve(value) ? 'suricata' : undefined;
    case 'cloudtrail':
      return isCloudTrailRecord(value) ? 'cloudtrail' : undefined;
  }
}

function partsFor(value: JsonObject, shape: JsonShape, context: ParseContext): EventParts | string {
  const offset = senderOffset(context);
  switch (shape) {
    case 'windows': {
      const windows = windowsFlat(value, windowsShape(value)!, offset);
      const flat = windows.flat;
      if (
        flat.EventID === 4688 &&
        typeof flat.Channel === 'string' &&
        flat.Channel.toLowerCase() === 'security'
      ) {
        flat.Image ??= flat.NewProcessName ?? null;
        flat.ParentImage ??= flat.ParentProcessName ?? null;
      }
      const ecs = windowsEcs(flat);
      return { ...ecs, timestamp: windows.timestamp, message: windows.message, fields: flat };
    }
    case 'zeek':
      return zeekParts(value, zeekLog(value)!);
    case 'suricata':
      return suricataParts(value);
    case 'cloudtrail':
      return cloudTrailParts(value);
    case 'agent':
      return agentTelemetryParts(value);
    case 'json':
      return genericJsonParts(value, offset);
  }
}
