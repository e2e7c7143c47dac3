/**
 * Zeek logs as JSON (`LogAscii::use_json=T`) or as the objects zeek-tsv.ts reads from the
 * default TSV format: conn, dns, http, ssl, ssh and notice, recognised by `_path` when the
 * record has it (TSV always does, from `#path`) or by their fields. Field names stay as Zeek
 * writes them (`id.orig_h`, `query`, `host`, `uri`, `server_name`) — SigmaHQ's Zeek rules use
 * them — and ECS gets source/destination, network, dns, url, tls and rule facts
 * (zeek-logs.ts). Other Zeek logs with the `uid`/`id.orig_h` pair keep the connection facts.
 */
import type { EventParts } from '../event-builder.ts';
import type { JsonObject, JsonValue } from '../ingest-event.ts';
import { parseTimestampValue } from '../time/parse-timestamp.ts';
import { zeekLogParts } from './zeek-logs.ts';
import { num, str } from './json-values.ts';

export const ZEEK_LOGS = ['conn', 'dns', 'http', 'ssl', 'ssh', 'notice'] as const;
export type ZeekLog = (typeof ZEEK_LOGS)[number] | 'other';

export function zeekLog(value: JsonObject): ZeekLog | undefined {
  if (value.ts === undefined) return undefined;
  const path = value._path;
  const named = (ZEEK_LOGS as readonly JsonValue[]).includes(path ?? null);
  if (named) return path as ZeekLog;
  if (value['id.orig_h'] === undefined && !(isObject(value.id) && value.id.orig_h !== undefined)) {
    return typeof value.note === 'string' && value.note.includes('::') ? 'notice' : undefined;
  }
  if (typeof path === 'string') return 'other';
  return logByFields(value);
}

function logByFields(value: JsonObject): ZeekLog {
  const has = (...keys: string[]): boolean => keys.some((key) => value[key] !== undefined);
  if (has('conn_state', 'history', 'orig_bytes')) return 'conn';
  if (has('query', 'qtype_name', 'rcode_name')) return 'dns';
  if (has('method', 'uri', 'status_code')) return 'http';
  if (has('server_name', 'cipher', 'established', 'ja3')) return 'ssl';
  if (has('auth_success', 'auth_attempts', 'host_key')) return 'ssh';
  if (has('note')) return 'notice';
  return 'other';
}

export function zeekParts(value: JsonObject, log: ZeekLog): EventParts {
  // Zeek can also nest `id` ({"id":{"orig_h":…}}) with `LogAscii::json_include_unset_fields`
  // setups that use nested output; flatten it to the documented dotted names.
  const fields: Record<string, JsonValue> = { ...value };
  if (isObject(value.id)) {
    for (const [key, v] of Object.entries(value.id)) fields[`id.${key}`] = v;
    delete fields.id;
  }
  const service = log === 'other' ? (typeof value._path === 'string' ? value._path : 'zeek') : log;
  const base: EventParts = {
    timestamp: parseTimestampValue(value.ts),
    event: { dataset: `zeek.${service}`, module: 'zeek', id: str(value.uid) },
    source: { ip: str(fields['id.orig_h']), port: num(fields['id.orig_p']) },
    destination: { ip: str(fields['id.resp_h']), port: num(fields['id.resp_p']) },
    network: { transport: str(value.proto)?.toLowerCase() },
    log_source: { product: 'zeek', service },
    fields,
  };
  return log === 'other' ? base : zeekLogParts(base, fields, log);
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
