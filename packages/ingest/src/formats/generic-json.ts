/**
 * Any other JSON object: kept whole in `fields`, with a timestamp and a host found by the
 * names shippers commonly use (first match wins, top level, then one level down under
 * `log`/`event`/`host`/`agent`). ECS-shaped input (`@timestamp`, `host.name`, `source.ip`
 * nested as ECS nests them) also gets those ECS parts copied over.
 */
import type { EventParts } from '../event-builder.ts';
import type { JsonObject, JsonValue } from '../ingest-event.ts';
import { parseTimestampValue } from '../time/parse-timestamp.ts';
import type { UtcOffset } from '../time/utc-offset.ts';

const TIME_KEYS = [
  '@timestamp',
  'timestamp',
  'time',
  'ts',
  'eventTime',
  'EventTime',
  'datetime',
  'date',
  'created_at',
  'createdAt',
  'logged_at',
  'start_time',
  'TimeCreated',
  'event_time',
  'Timestamp',
];
const HOST_KEYS = [
  'host.name',
  'hostname',
  'host_name',
  'host',
  'Hostname',
  'HostName',
  'computer',
  'Computer',
  'ComputerName',
  'computer_name',
  'device',
  'deviceName',
  'agent.hostname',
  'server',
  'node',
];
const MESSAGE_KEYS = ['message', 'msg', 'Message', 'log', 'text'];
const ECS_COPY = [
  'source',
  'destination',
  'user',
  'process',
  'url',
  'dns',
  'file',
  'network',
  'event',
  'cloud',
  'http',
] as const;

export function genericJsonParts(value: JsonObject, offsetMinutes: UtcOffset): EventParts {
  let timestamp: number | undefined;
  for (const key of TIME_KEYS) {
    timestamp = parseTimestampValue(lookup(value, key), offsetMinutes);
    if (timestamp !== undefined) break;
  }
  let hostName: string | undefined;
  for (const key of HOST_KEYS) {
    const found = lookup(value, key);
    if (typeof found === 'string' && found !== '') {
      hostName = found;
      break;
    }
  }
  let message: string | undefined;
  for (const key of MESSAGE_KEYS) {
    const found = value[key];
    if (typeof found === 'string') {
      message = found;
      break;
    }
  }
  const ecs: Record<string, unknown> = {};
  for (const key of ECS_COPY) {
    const part = value[key];
    if (typeof part === 'object' && part !== null && !Array.isArray(part)) ecs[key] = part;
  }
  const ecsEvent = (ecs.event ?? {}) as Record<string, unknown>;
  delete ecs.event;
  return {
    ...ecs,
    timestamp,
    message,
    host: { name: hostName },
    event: {
      dataset: typeof ecsEvent.dataset === 'string' ? ecsEvent.dataset : 'json',
      module: 'json',
      ...pick(ecsEvent, ['action', 'outcome', 'category', 'type', 'code']),
    },
    log_source: {},
    fields: value,
  };
}

function lookup(value: JsonObject, key: string): JsonValue | undefined {
  if (Object.hasOwn(value, key)) return value[key];
  const dot = key.indexOf('.');
  if (dot < 0) return undefined;
  const parent = value[key.slice(0, dot)];
  return typeof parent === 'object' && parent !== null && !Array.isArray(parent)
    ? (parent as JsonObject)[key.slice(dot + 1)]
    : undefined;
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  for (const key of keys) if (source[key] !== undefined) result[key] = source[key];
  return result;
}
