/**
 * The ECS facts of each Zeek log on top of the connection facts every log has (zeek.ts):
 *
 * | log    | ECS                                                                                       |
 * | ------ | ----------------------------------------------------------------------------------------- |
 * | conn   | `event.action` = conn_state, `event.outcome` (no handshake → failure), `event.duration` (ns), `source/destination.bytes/packets`, `network.bytes/packets/protocol/direction` |
 * | dns    | `dns.question.name/type`, `dns.response_code`, `dns.answers`, `dns.resolved_ip`           |
 * | http   | `url.*`, `http.request/response.*`, `user_agent.original`                                 |
 * | ssl    | `tls.client.server_name`, `destination.domain`, `tls.version/_protocol`, `tls.cipher`, `tls.established`, `tls.resumed`, `tls.client.ja3`, `tls.server.ja3s/subject/issuer` |
 * | ssh    | `event.category` authentication, `event.outcome` from `auth_success`, `network.protocol` ssh |
 * | notice | `event.kind` alert, `rule.name` = note, `message` = msg, source/destination from `src`/`dst` |
 */
import type { EventParts } from '../event-builder.ts';
import type { JsonObject } from '../ingest-event.ts';
import type { ZeekLog } from './zeek.ts';
import { bool, num, str, strings, total } from './json-values.ts';

/** Connection states in which no TCP handshake completed (Zeek's conn.log documentation). */
const FAILED_STATES = /^(S0|REJ|RSTOS0|RSTRH|SH|SHR|OTH)$/;

export function zeekLogParts(
  base: EventParts,
  fields: JsonObject,
  log: Exclude<ZeekLog, 'other'>,
): EventParts {
  switch (log) {
    case 'conn':
      return connParts(base, fields);
    case 'dns':
      return dnsParts(base, fields);
    case 'http':
      return httpParts(base, fields);
    case 'ssl':
      return sslParts(base, fields);
    case 'ssh':
      return sshParts(base, fields);
    case 'notice':
      return noticeParts(base, fields);
  }
}

function connParts(base: EventParts, value: JsonObject): EventParts {
  const state = str(value.conn_state);
  const duration = num(value.duration);
  const [origBytes, respBytes] = [num(value.orig_bytes), num(value.resp_bytes)];
  const [origPkts, respPkts] = [num(value.orig_pkts), num(value.resp_pkts)];
  return {
    ...base,
    event: {
      ...base.event,
      category: ['network'],
      type: ['connection'],
      action: state,
      outcome: state === undefined ? undefined : FAILED_STATES.test(state) ? 'failure' : 'success',
      duration: duration === undefined ? undefined : Math.round(duration * 1e9),
    },
    source: { ...(base.source as object), bytes: origBytes, packets: origPkts },
    destination: { ...(base.destination as object), bytes: respBytes, packets: respPkts },
    network: {
      ...(base.network as object),
      protocol: str(value.service)?.split(',')[0],
      bytes: total(origBytes, respBytes),
      packets: total(origPkts, respPkts),
      direction: direction(bool(value.local_orig), bool(value.local_resp)),
      community_id: str(value.community_id),
    },
  };
}

function direction(
  localOrig: boolean | undefined,
  localResp: boolean | undefined,
): string | undefined {
  if (localOrig === undefined || localResp === undefined) return undefined;
  if (localOrig) return localResp ? 'internal' : 'outbound';
  return localResp ? 'inbound' : 'external';
}

function dnsParts(base: EventParts, value: JsonObject): EventParts {
  const answers = strings(value.answers);
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
      id: str(value.trans_id),
      question: { name: str(value.query), type: str(value.qtype_name) },
      response_code: str(value.rcode_name),
      answers: answers.map((data) => ({ data })),
      resolved_ip: answers.filter((a) => /^[\d.]+$|^[0-9a-f:]+:[0-9a-f:]*$/i.test(a)),
    },
    log_source: { product: 'zeek', service: 'dns', category: 'dns' },
  };
}

function httpParts(base: EventParts, value: JsonObject): EventParts {
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
    destination: { ...(base.destination as object), domain: host },
    url: {
      original: uri,
      domain: host,
      path: uri === undefined ? undefined : q < 0 ? uri : uri.slice(0, q),
      query: uri !== undefined && q >= 0 ? uri.slice(q + 1) : undefined,
    },
    http: {
      version: str(value.version),
      request: {
        method: str(value.method),
        referrer: str(value.referrer),
        body: { bytes: num(value.request_body_len) },
      },
      response: {
        status_code: num(value.status_code),
        bytes: num(value.response_body_len),
        mime_type: strings(value.resp_mime_types)[0],
      },
    },
    user_agent: { original: str(value.user_agent) },
  };
}

function sslParts(base: EventParts, value: JsonObject): EventParts {
  const serverName = str(value.server_name);
  const version = tlsVersion(str(value.version));
  return {
    ...base,
    event: { ...base.event, category: ['network'], type: ['protocol'], action: 'tls-handshake' },
    network: { ...(base.network as object), protocol: 'tls' },
    destination: { ...(base.destination as object), domain: serverName },
    tls: {
      version: version?.version,
      version_protocol: version?.protocol,
      cipher: str(value.cipher),
      curve: str(value.curve),
      established: bool(value.established),
      resumed: bool(value.resumed),
      next_protocol: str(value.next_protocol),
      client: { server_name: serverName, ja3: str(value.ja3) },
      server: {
        ja3s: str(value.ja3s),
        subject: str(value.subject),
        issuer: str(value.issuer),
      },
    },
  };
}

/** Zeek's `TLSv12`, `TLSv13`, `SSLv3`, `DTLSv12` → ECS `1.2` + `tls`. */
function tlsVersion(
  text: string | undefined,
): { readonly version: string; readonly protocol: string } | undefined {
  const match = text === undefined ? null : /^(D?TLS|SSL)v(\d)(\d)?$/.exec(text);
  if (match === null) return undefined;
  return {
    protocol: match[1]!.toLowerCase(),
    version: match[3] === undefined ? `${match[2]}.0` : `${match[2]}.${match[3]}`,
  };
}

function sshParts(base: EventParts, value: JsonObject): EventParts {
  const success = bool(value.auth_success);
  return {
    ...base,
    event: {
      ...base.event,
      category: ['network', 'authentication'],
      type: ['protocol', 'info'],
      action: 'ssh-authentication',
      outcome: success === undefined ? 'unknown' : success ? 'success' : 'failure',
    },
    network: { ...(base.network as object), protocol: 'ssh' },
  };
}

function noticeParts(base: EventParts, value: JsonObject): EventParts {
  const note = str(value.note);
  return {
    ...base,
    message: str(value.msg),
    event: {
      ...base.event,
      kind: 'alert',
      category: ['network', 'intrusion_detection'],
      type: ['info'],
      action: note,
    },
    source: {
      ...(base.source as object),
      ip: (base.source as { ip?: string }).ip ?? str(value.src),
    },
    destination: {
      ...(base.destination as object),
      ip: (base.destination as { ip?: string }).ip ?? str(value.dst),
      port: (base.destination as { port?: number }).port ?? num(value.p),
    },
    rule: { name: note, description: str(value.sub) },
  };
}
