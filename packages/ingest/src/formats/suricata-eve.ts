/**
 * Suricata EVE JSON: alert, flow, dns, http (other event types get the common flow facts).
 * EVE's own fields stay as they are in `fields` (`event_type`, `src_ip`, `alert.signature`,
 * `dns.rrname` …); ECS gets source/destination, network, `rule.*` and `event.kind: alert` for
 * alerts, `dns.*` (EVE v1 flat records and v2/v3 `queries`/`answers` shapes), `url.*`, `http.*`.
 * Log source: product `suricata`, service = the event type; DNS records also carry
 * `category: dns`.
 */
import type { EventParts } from '../event-builder.ts';
import type { JsonObject, JsonValue } from '../ingest-event.ts';
import { parseTimestampValue } from '../time/parse-timestamp.ts';
import { num, obj, str, strings, total } from './json-values.ts';

export function isSuricataEve(value: JsonObject): boolean {
  return (
    typeof value.event_type === 'string' &&
    (value.src_ip !== undefined || value.flow_id !== undefined || value.timestamp !== undefined)
  );
}

export function suricataParts(value: JsonObject): EventParts {
  const type = value.event_type as string;
  const base: EventParts = {
    timestamp: parseTimestampValue(value.timestamp),
    event: { dataset: `suricata.eve`, module: 'suricata', action: type },
    source: { ip: str(value.src_ip), port: num(value.src_port) },
    destination: { ip: str(value.dest_ip), port: num(value.dest_port) },
    network: {
      transport: str(value.proto)?.toLowerCase(),
      protocol: str(value.app_proto)?.toLowerCase(),
      community_id: str(value.community_id),
    },
    host: { name: str(value.host) },
    observer: { vendor: 'OISF', product: 'Suricata', type: 'ids' },
    log_source: { product: 'suricata', service: type },
    fields: value,
  };
  switch (type) {
    case 'alert': {
      const alert = obj(value.alert);
      const action = str(alert.action);
      return {
        ...base,
        message: str(alert.signature),
        event: {
          ...base.event,
          kind: 'alert',
          category: ['network', 'intrusion_detection'],
          type: action === 'blocked' ? ['denied'] : ['allowed'],
          severity: num(alert.severity),
          code: str(alert.signature_id),
        },
        rule: {
          id: str(alert.signature_id),
          name: str(alert.signature),
          category: str(alert.category),
        },
        threat: { technique: { id: strings(obj(alert.metadata).mitre_technique_id) } },
      };
    }
    case 'flow': {
      const flow = obj(value.flow);
      const start = parseTimestampValue(flow.start);
      const end = parseTimestampValue(flow.end);
      return {
        ...base,
        event: {
          ...base.event,
          category: ['network'],
          type: ['connection', 'end'],
          reason: str(flow.reason),
          outcome: tcpOutcome(value.tcp),
          start: start === undefined ? undefined : new Date(start).toISOString(),
          end: end === undefined ? undefined : new Date(end).toISOString(),
          duration: start === undefined || end === undefined ? undefined : (end - start) * 1e6,
        },
        network: {
          ...(base.network as object),
          bytes: total(num(flow.bytes_toserver), num(flow.bytes_toclient)),
          packets: total(num(flow.pkts_toserver), num(flow.pkts_toclient)),
        },
        source: {
          ...(base.source as object),
          bytes: num(flow.bytes_toserver),
          packets: num(flow.pkts_toserver),
        },
        destination: {
          ...(base.destination as object),
          bytes: num(flow.bytes_toclient),
          packets: num(flow.pkts_toclient),
        },
      };
    }
    case 'dns': {
      const dns = obj(value.dns);
      const queries = Array.isArray(dns.queries)
        ? obj((dns.queries as readonly JsonValue[])[0])
        : dns;
      const answers = (
        Array.isArray(dns.answers)
          ? (dns.answers as readonly JsonValue[])
          : dns.rdata !== undefined
            ? [dns]
            : []
      ).map(obj);
      const grouped = obj(dns.grouped);
      const resolved = [
        ...answers.filter((a) => a.rrtype === 'A' || a.rrtype === 'AAAA').map((a) => str(a.rdata)),
        ...[grouped.A, grouped.AAAA].flatMap((list) => (Array.isArray(list) ? list.map(str) : [])),
      ].filter((ip): ip is string => ip !== undefined);
      return {
        ...base,
        event: { ...base.event, category: ['network'], type: ['protocol', 'info'] },
        dns: {
          question: {
            name: str(queries.rrname ?? dns.rrname),
            type: str(queries.rrtype ?? dns.rrtype),
          },
          response_code: str(dns.rcode),
          answers: answers.map((a) => ({ data: str(a.rdata), type: str(a.rrtype) })),
          resolved_ip: [...new Set(resolved)],
        },
        log_source: { product: 'suricata', service: 'dns', category: 'dns' },
      };
    }
    case 'http': {
      const http = obj(value.http);
      const url = str(http.url);
      const q = url?.indexOf('?') ?? -1;
      return {
        ...base,
        event: { ...base.event, category: ['network', 'web'], type: ['protocol', 'access'] },
        url: {
          original: url,
          domain: str(http.hostname),
          path: url === undefined ? undefined : q < 0 ? url : url.slice(0, q),
          query: url !== undefined && q >= 0 ? url.slice(q + 1) : undefined,
        },
        http: {
          request: { method: str(http.http_method), referrer: str(http.http_refer) },
          response: { status_code: num(http.status), bytes: num(http.length) },
        },
        user_agent: { original: str(http.http_user_agent) },
      };
    }
    default:
      return base;
  }
}

/**
 * A TCP flow whose handshake never completed (a SYN and no ACK seen) failed; one with an ACK
 * got through. Other protocols (no `tcp` object): unknown, left unset.
 */
function tcpOutcome(tcp: JsonValue | undefined): 'success' | 'failure' | undefined {
  const flags = obj(tcp);
  if (flags.syn !== true) return undefined;
  return flags.ack === true ? 'success' : 'failure';
}
