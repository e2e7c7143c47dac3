/**
 * Windows events from JSON shippers, in three shapes, all brought to the flat view SigmaHQ's
 * Windows rules use (`EventID`, `Channel`, `Provider_Name`, `Computer`, EventData names):
 *
 * - `evtx_dump` / @cordon/evtx JSON: `{Event:{System,EventData|UserData}}`, flattened by
 *   `flattenEvent` from @cordon/evtx;
 * - Winlogbeat: `{winlog:{channel,event_id,provider_name,computer_name,event_data,user_data}}`;
 * - NXLog-style flat JSON: `{EventID, Channel|SourceName, Hostname, EventTime, …EventData names}`.
 *
 * ECS facts come from the flat view by event id (windows-ecs.ts), so every shape gets the
 * same ECS.
 */
import type { EventJson } from '@cordon/evtx';
import { flattenEvent } from '@cordon/evtx';
import type { JsonObject, JsonValue } from '../ingest-event.ts';
import { parseTimestampValue } from '../time/parse-timestamp.ts';
import type { UtcOffset } from '../time/utc-offset.ts';

export type WindowsShape = 'evtx' | 'winlogbeat' | 'flat';

export interface WindowsFlat {
  readonly shape: WindowsShape;
  readonly flat: Record<string, JsonValue>;
  readonly timestamp: number | undefined;
  readonly message?: string;
}

export function windowsShape(value: JsonObject): WindowsShape | undefined {
  const event = value.Event;
  if (isObject(event) && isObject(event.System)) return 'evtx';
  const winlog = value.winlog;
  if (isObject(winlog) && (winlog.event_id !== undefined || winlog.channel !== undefined)) {
    return 'winlogbeat';
  }
  if (
    value.EventID !== undefined &&
    (value.Channel !== undefined || value.SourceName !== undefined)
  ) {
    return 'flat';
  }
  return undefined;
}

export function windowsFlat(
  value: JsonObject,
  shape: WindowsShape,
  offsetMinutes: UtcOffset,
): WindowsFlat {
  switch (shape) {
    case 'evtx': {
      const flat = { ...flattenEvent(value as unknown as EventJson) } as Record<string, JsonValue>;
      return { shape, flat, timestamp: parseTimestampValue(flat.TimeCreated_SystemTime) };
    }
    case 'winlogbeat':
      return fromWinlogbeat(value);
    case 'flat': {
      const flat: Record<string, JsonValue> = { ...value };
      if (flat.Provider_Name === undefined && typeof value.SourceName === 'string') {
        flat.Provider_Name = value.SourceName;
      }
      if (flat.Computer === undefined && typeof value.Hostname === 'string')
        flat.Computer = value.Hostname;
      const time = value.EventTime ?? value.TimeCreated ?? value['@timestamp'];
      return {
        shape,
        flat,
        timestamp: parseTimestampValue(time, offsetMinutes),
        ...(typeof value.Message === 'string' ? { message: value.Message } : {}),
      };
    }
  }
}

function fromWinlogbeat(value: JsonObject): WindowsFlat {
  const winlog = value.winlog as JsonObject;
  const flat: Record<string, JsonValue> = {};
  const eventId = winlog.event_id ?? (isObject(value.event) ? value.event.code : undefined);
  if (eventId !== undefined) flat.EventID = numeric(eventId);
  const set = (name: string, v: JsonValue | undefined): void => {
    if (v !== undefined && v !== null) flat[name] = v;
  };
  set('Channel', winlog.channel);
  set('Provider_Name', winlog.provider_name);
  set('Provider_Guid', winlog.provider_guid);
  set('Computer', winlog.computer_name);
  set('EventRecordID', winlog.record_id);
  set('Task', winlog.task);
  set('Opcode', winlog.opcode);
  set('Version', winlog.version);
  if (isObject(winlog.process)) {
    set('Execution_ProcessID', winlog.process.pid);
    if (isObject(winlog.process.thread)) set('Execution_ThreadID', winlog.process.thread.id);
  }
  if (isObject(winlog.user)) set('Security_UserID', winlog.user.identifier);
  for (const section of [winlog.event_data, winlog.user_data]) {
    if (!isObject(section)) continue;
    for (const [key, v] of Object.entries(section)) {
      if (key === 'xml_name') continue;
      flat[key] = v;
    }
  }
  return {
    shape: 'winlogbeat',
    flat,
    timestamp: parseTimestampValue(value['@timestamp']),
    ...(typeof value.message === 'string' ? { message: value.message } : {}),
  };
}

function numeric(value: JsonValue): JsonValue {
  return typeof value === 'string' && /^\d{1,10}$/.test(value) ? Number(value) : value;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
