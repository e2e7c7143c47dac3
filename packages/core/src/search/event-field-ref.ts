/**
 * What a field name in a query refers to. The indexed fields have columns of their own; any
 * other ECS name is a path into the stored event; and a name that is not ECS — `EventID`,
 * `CommandLine`, `Image`, `id.orig_h`, `userIdentity.type` — is the source's own field, i.e.
 * `fields.<name>`, so that analysts can search with the names Sigma rules use. `fields.X`
 * says so explicitly. `host` and `user` are short for `host.name` and `user.name`.
 *
 * Source fields are flat under the source's own names, which may contain dots (Zeek's
 * `id.orig_h`) or be nested objects (CloudTrail's `userIdentity.type`): both readings are tried,
 * the flat key first.
 */

export const INDEXED_EVENT_FIELDS = [
  '@timestamp',
  'event.ingested',
  'host.name',
  'user.name',
  'source.ip',
  'destination.ip',
  'event.code',
  'event.category',
  'event.dataset',
  /** How the event arrived (a column beside the event, not a field of it): agent, syslog, http … */
  'provenance.kind',
] as const;
export type IndexedEventField = (typeof INDEXED_EVENT_FIELDS)[number];

export type EventFieldRef =
  | { readonly kind: 'indexed'; readonly field: IndexedEventField }
  /** JSON paths into the event, tried in order: the first that is present is the value. */
  | { readonly kind: 'path'; readonly paths: readonly (readonly string[])[] };

/** Top-level names of the normalised event (`IngestEvent` of @cordon/ingest). */
const EVENT_ROOTS = new Set([
  '@timestamp',
  'event',
  'message',
  'host',
  'source',
  'destination',
  'user',
  'process',
  'network',
  'url',
  'http',
  'user_agent',
  'tls',
  'threat',
  'dns',
  'file',
  'cloud',
  'rule',
  'observer',
  'log',
  'related',
  'tags',
  'log_source',
  'fields',
]);

const ALIASES: Readonly<Record<string, IndexedEventField>> = {
  host: 'host.name',
  user: 'user.name',
  timestamp: '@timestamp',
};

const isIndexed = (name: string): name is IndexedEventField =>
  (INDEXED_EVENT_FIELDS as readonly string[]).includes(name);

export function resolveEventField(name: string): EventFieldRef {
  const alias = ALIASES[name];
  if (alias) return { kind: 'indexed', field: alias };
  if (isIndexed(name)) return { kind: 'indexed', field: name };
  if (name.startsWith('fields.') && name.length > 'fields.'.length) {
    return sourceField(name.slice('fields.'.length));
  }
  const root = name.split('.')[0] ?? name;
  if (EVENT_ROOTS.has(root)) return { kind: 'path', paths: [name.split('.')] };
  return sourceField(name);
}

function sourceField(name: string): EventFieldRef {
  const flat = ['fields', name];
  if (!name.includes('.')) return { kind: 'path', paths: [flat] };
  return { kind: 'path', paths: [flat, ['fields', ...name.split('.')]] };
}

/**
 * The first character of `name` that no stored path can hold, or undefined: SQL quotes each
 * key of a JSON path in `"`, and `\` would escape the closing quote; control characters are
 * never a field's.
 */
export function unaddressableCharacter(name: string): string | undefined {
  for (const c of name) {
    const code = c.charCodeAt(0);
    if (c === '"' || c === '\\' || code < 0x20 || code === 0x7f) return c;
  }
  return undefined;
}
