/**
 * Assembles an `IngestEvent` from what a parser found: fills `@timestamp` (the receive time
 * when the record had none, tagged `timestamp_from_receive_time`), `event.ingested`, the
 * tenant's default host, ECS `related.*`, and drops empty values so stored events carry only
 * what is known.
 *
 * Entity fields (host, user and domain names, addresses: what `related.*`, the store's indexed
 * columns and the inventory match on) hold at most MAX_ENTITY_CHARS characters. A longer value
 * is no name of anything: it is left out of them, kept in `fields` and the original, and the
 * event is tagged `entity_value_too_long`. Before, one 64 KB "user name" was copied into
 * `user.name` and `related.user` besides `fields` and the original: every byte a sender paid
 * for was stored, indexed and serialised four times (bench:hostile).
 */
import type { ParseContext } from './parse-context.ts';
import type { EcsEvent, IngestEvent, JsonObject, JsonValue, LogSource } from './ingest-event.ts';

type Mutable<T> = { -readonly [K in keyof T]?: unknown };

export interface EventParts extends Omit<Mutable<IngestEvent>, 'event' | 'fields' | 'log_source'> {
  readonly timestamp: number | undefined;
  readonly event: Omit<Mutable<EcsEvent>, 'dataset'> & { readonly dataset: string };
  readonly log_source: LogSource;
  readonly fields: Readonly<Record<string, unknown>>;
}

export function buildEvent(parts: EventParts, context: ParseContext): IngestEvent {
  const { timestamp, event, fields, log_source, ...ecs } = parts;
  const tags = (ecs.tags as string[] | undefined) ?? [];
  const host = (ecs.host as Record<string, unknown> | undefined) ?? {};
  const draft: Record<string, unknown> = {
    '@timestamp': new Date(timestamp ?? context.receivedAt.getTime()).toISOString(),
    ...ecs,
    event: { kind: 'event', ...event, ingested: context.receivedAt.toISOString() },
    host: { ...host, name: host.name ?? context.defaults?.hostName },
    tags: timestamp === undefined ? [...tags, 'timestamp_from_receive_time'] : tags,
  };
  const pruned = (prune(draft) ?? {}) as Record<string, JsonValue>;
  if (dropLongEntities(pruned)) {
    const kept: readonly JsonValue[] = Array.isArray(pruned.tags) ? pruned.tags : [];
    pruned.tags = [...kept, 'entity_value_too_long'];
  }
  pruned.log_source = prune(log_source) ?? {};
  // The source's own fields are kept as they are; only values the parser left unset go.
  pruned.fields = withoutUndefined(fields);
  const related = relatedOf(pruned);
  if (related !== undefined) pruned.related = related;
  return pruned as unknown as IngestEvent;
}

function withoutUndefined(fields: Readonly<Record<string, unknown>>): JsonObject {
  let result: Record<string, JsonValue> | undefined;
  for (const key in fields) {
    if (fields[key] === undefined) {
      result ??= { ...(fields as Record<string, JsonValue>) };
      delete result[key];
    }
  }
  return result ?? (fields as JsonObject);
}

/** Drops undefined, NaN, empty strings, empty arrays and empty objects; bounded depth. */
export function prune(value: unknown, depth = 0): JsonValue | undefined {
  if (value === null) return null;
  switch (typeof value) {
    case 'string':
      return value === '' ? undefined : value;
    case 'number':
      return Number.isFinite(value) ? value : undefined;
    case 'boolean':
      return value;
    case 'object': {
      if (depth > 64) return undefined;
      if (Array.isArray(value)) {
        const items: JsonValue[] = [];
        for (const item of value as unknown[]) {
          const kept = prune(item, depth + 1);
          if (kept !== undefined) items.push(kept);
        }
        return items.length === 0 ? undefined : items;
      }
      const source = value as Record<string, unknown>;
      let result: Record<string, JsonValue> | undefined;
      for (const key in source) {
        const kept = prune(source[key], depth + 1);
        if (kept !== undefined) (result ??= {})[key] = kept;
      }
      return result;
    }
    default:
      return undefined;
  }
}

const RELATED_IP = ['source.ip', 'destination.ip', 'host.ip', 'observer.ip', 'dns.resolved_ip'].map(
  (p) => p.split('.'),
);
const RELATED_USER = [
  'user.name',
  'user.target.name',
  'source.user.name',
  'destination.user.name',
].map((p) => p.split('.'));
const RELATED_HOST = ['host.name', 'source.domain', 'destination.domain'].map((p) => p.split('.'));

/** Longest host name, user name or address kept in an entity field (DNS names: 253; UPNs: 1024). */
export const MAX_ENTITY_CHARS = 1024;

const ENTITY_PATHS = [
  ...RELATED_IP,
  ...RELATED_USER,
  ...RELATED_HOST,
  ...['host.hostname', 'user.domain', 'source.address', 'destination.address'].map((p) =>
    p.split('.'),
  ),
];

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The value at a dotted path of nested objects, or undefined. */
function valueAt(event: JsonObject, path: readonly string[]): JsonValue | undefined {
  let current: JsonValue | undefined = event;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

/** Removes over-long values from the entity fields; true when it removed any. */
function dropLongEntities(event: Record<string, JsonValue>): boolean {
  let dropped = false;
  const tooLong = (value: JsonValue): boolean =>
    typeof value === 'string' && value.length > MAX_ENTITY_CHARS;
  for (const path of ENTITY_PATHS) {
    const parent = valueAt(event, path.slice(0, -1));
    if (!isObject(parent)) continue;
    const object = parent as Record<string, JsonValue>;
    const key = path[path.length - 1]!;
    const value = object[key];
    if (value === undefined) continue;
    if (tooLong(value)) {
      delete object[key];
      dropped = true;
    } else if (Array.isArray(value) && (value as readonly JsonValue[]).some(tooLong)) {
      const kept = (value as readonly JsonValue[]).filter((v) => !tooLong(v));
      if (kept.length > 0) object[key] = kept;
      else delete object[key];
      dropped = true;
    }
  }
  return dropped;
}

function relatedOf(event: Record<string, JsonValue>): JsonObject | undefined {
  const ips = new Set<string>();
  const users = new Set<string>();
  const hosts = new Set<string>();
  const get = (path: readonly string[]): JsonValue | undefined => valueAt(event, path);
  const addAll = (set: Set<string>, value: JsonValue | undefined): void => {
    if (typeof value === 'string') set.add(value);
    else if (Array.isArray(value)) for (const v of value) if (typeof v === 'string') set.add(v);
  };
  for (const path of RELATED_IP) addAll(ips, get(path));
  for (const path of RELATED_USER) addAll(users, get(path));
  for (const path of RELATED_HOST) addAll(hosts, get(path));
  const related: Record<string, string[]> = {};
  if (ips.size > 0) related.ip = [...ips];
  if (users.size > 0) related.user = [...users];
  if (hosts.size > 0) related.hosts = [...hosts];
  return Object.keys(related).length === 0 ? undefined : related;
}
