/**
 * Zeek JSON logs (`LogAscii::use_json=T`): conn, dns and http, recognised by their fields
 * (Zeek does not name the log inside a record unless `_path` is added). Field names stay as
 * Zeek writes them (`id.orig_h`, `query`, `host`, `uri`) — SigmaHQ's Zeek rules use them —
 * and ECS gets source/destination, network, dns and url facts. Other Zeek logs with the
 * `uid`/`id.orig_h` pair are kept with the generic connection facts.
 */
import type { EventParts } from '../event-builder.ts';
import type { JsonObject, JsonValue } from '../ingest-event.ts';
import { parseTimestampValue } from '../time/parse-timestamp.ts';

export type ZeekLog = 'conn' | 'dns' | 'http' | 'other';

export function zeekLog(value: JsonObject): ZeekLog | undefined {
  if (value['id.orig_h'] === undefined && !(isObject(value.id) && value.id.orig_h !== undefined)) {
    return undefined;
  }
  if (value.ts === undefined) return undefined;
  const path = value._path;
  if (path === 'conn' || path === 'dns' || path === 'http') return path;
  if (
    value.conn_state !== undefined ||
    value.history !== undefined ||
    value.orig_bytes !== undefined
  )
    return 'conn';
  if (value.query !== undefined || value.qtype_name !== undefined || value.rcode_name !== undefined)
    return 'dns';
  if (value.method !== undefined || value.uri !== undefined || value.status_code !== undefined)
    return 'http';
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
  switch (log) {
    case 'conn': {
      const state = str(value.conn_state);
      return {
        ...base,
        event: {
          ...base.event,
          category: ['network'],
          type: ['connection'],
          action: state,
          outcome:
            state === undefined
              ? undefined
              : /^(S0|REJ|RSTOS0|RSTRH|SH|SHR|OTH)$/.test(state)
                ? 'failure'
                : 'success',
        },
        source: {
          ...(base.source as object),
          bytes: num(value.orig_bytes),
          packets: num(value.orig_pkts),
        },
        destination: {
          ...(base.destination as object),
          bytes: num(value.resp_bytes),
          packets: num(value.resp_pkts),
        },
        network: { ...(base.network as object), protocol: str(value.service)?.split(',')[0] },
      };
    }
    case 'dns': {
      const answers = Array.isArray(value.answers)
        ? value.answers.filter((a): a is string => typeof a === 'string')
        : [];
      return {
        ...base,
        event: {
          ...base.event,
          category: ['network'],
          type: ['protocol', 'info'],
          action: 'dns-query',
        },
        network: { ...(base.network as object), protocol: 'dns' },
        dns: {
          question: { name: str(value.query), type: str(value.qtype_name) },
          response_code: str(value.rcode_name),
          answers: answers.map((data) => ({ data })),
          resolved_ip: answers.filter((a) => /^[\d.]+$|^[0-9a-f:]+:[0-9a-f:]*$/i.test(a)),
        },
        log_source: { product: 'zeek', service: 'dns', category: 'dns' },
      };
    }
    case 'http': {
      const host = str(value.host);
      const uri = str(value.uri);
      const q = uri?.indexOf('?') ?? -1;
      return {
        ...base,
        event: {
          ...base.event,
          category: ['network', 'web'],
          type: ['protocol', 'access'],
          action: str(value.method)?.toLowerCase(),
        },
        network: { ...(base.network as object), protocol: 'http' },
        url: {
          original: uri,
          domain: host,
          path: uri === undefined ? undefined : q < 0 ? uri : uri.slice(0, q),
          query: uri !== undefined && q >= 0 ? uri.slice(q + 1) : undefined,
        },
        http: {
          request: { method: str(value.method), referrer: str(value.referrer) },
          response: { status_code: num(value.status_code), bytes: num(value.response_body_len) },
        },
        user_agent: { original: str(value.user_agent) },
      };
    }
    case 'other':
      return base;
  }
}

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined;
}

function num(value: JsonValue | undefined): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
