/**
 * CEF record → event. Extension keys stay under their CEF names in `fields` (with the header
 * parts); ECS gets the well-known keys. Firewall products get SigmaHQ's `category: firewall`
 * and the taxonomy's generic firewall names (`src_ip`, `dst_ip`, `src_port`, `dst_port`,
 * `action`) beside the CEF ones.
 */
import type { EventOutcome } from '../ingest-event.ts';
import type { EventParts } from '../event-builder.ts';
import { parseTimestampValue } from '../time/parse-timestamp.ts';
import type { UtcOffset } from '../time/utc-offset.ts';
import type { CefRecord } from './cef.ts';

const FIREWALL_PRODUCT =
  /firewall|fortigate|fortios|pan-os|palo alto|\basa\b|check ?point|vpn-1|sonicwall|pfsense|opnsense|iptables|nftables|netfilter|sophos|\bsrx\b|netscreen|watchguard|meraki/i;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

export function cefEventParts(
  record: CefRecord,
  offsetMinutes: UtcOffset,
): Omit<EventParts, 'event'> & { event: EventParts['event'] } {
  const x = record.extension;
  const isFirewall =
    FIREWALL_PRODUCT.test(`${record.deviceVendor} ${record.deviceProduct}`) ||
    /firewall|traffic/i.test(x.cat ?? x.deviceEventCategory ?? '');
  const num = (key: string): number | undefined => {
    const value = x[key];
    if (value === undefined || !/^\d{1,10}$/.test(value)) return undefined;
    return Number(value);
  };
  const action = x.act;
  const outcome = outcomeOf(x.outcome, action);
  const userName = x.duser ?? x.suser;
  return {
    timestamp: cefTime(x.rt ?? x.end ?? x.start, offsetMinutes),
    message: x.msg ?? record.name,
    event: {
      dataset: 'cef',
      module: 'cef',
      code: record.deviceEventClassId,
      action: action?.toLowerCase(),
      outcome,
      severity: severityOf(record.severity),
      category: isFirewall ? ['network'] : undefined,
      type: isFirewall
        ? [
            'connection',
            ...(outcome === 'failure' ? ['denied'] : outcome === 'success' ? ['allowed'] : []),
          ]
        : undefined,
      reason: record.name,
    },
    observer: {
      vendor: record.deviceVendor,
      product: record.deviceProduct,
      version: record.deviceVersion,
      hostname: x.dvchost,
      ip: x.dvc === undefined ? undefined : [x.dvc],
      type: isFirewall ? 'firewall' : undefined,
    },
    host: { name: x.dvchost ?? x.dhost },
    source: {
      ip: x.src,
      port: num('spt'),
      domain: x.shost,
      bytes: num('in'),
      user: x.suser === undefined ? undefined : { name: x.suser },
    },
    destination: {
      ip: x.dst,
      port: num('dpt'),
      domain: x.dhost,
      bytes: num('out'),
      user: x.duser === undefined ? undefined : { name: x.duser },
    },
    user: userName === undefined ? undefined : { name: userName },
    network: { transport: x.proto?.toLowerCase(), protocol: x.app?.toLowerCase() },
    url: { original: x.request },
    http: { request: { method: x.requestMethod } },
    user_agent: { original: x.requestClientApplication },
    file: { name: x.fname, path: x.filePath },
    process: { name: x.sproc, pid: num('spid') },
    rule: { name: x.cs1Label === 'Rule' || x.cs1Label === 'Rule Name' ? x.cs1 : undefined },
    log_source: isFirewall ? { category: 'firewall' } : {},
    fields: {
      cefVersion: record.version,
      deviceVendor: record.deviceVendor,
      deviceProduct: record.deviceProduct,
      deviceVersion: record.deviceVersion,
      deviceEventClassId: record.deviceEventClassId,
      name: record.name,
      severity: record.severity,
      ...x,
      ...(isFirewall
        ? { src_ip: x.src, dst_ip: x.dst, src_port: num('spt'), dst_port: num('dpt'), action }
        : {}),
    },
  };
}

function outcomeOf(
  outcome: string | undefined,
  action: string | undefined,
): EventOutcome | undefined {
  const text = (outcome ?? action ?? '').toLowerCase();
  if (/^(success|succeeded|allow|allowed|accept|accepted|permit|permitted|pass)$/.test(text))
    return 'success';
  if (
    /^(failure|failed|fail|deny|denied|drop|dropped|block|blocked|reject|rejected|reset)/.test(text)
  ) {
    return 'failure';
  }
  return undefined;
}

function severityOf(severity: string): number | undefined {
  const trimmed = severity.trim();
  if (/^\d{1,2}$/.test(trimmed)) return Number(trimmed);
  const named: Record<string, number> = { low: 3, medium: 6, high: 8, 'very-high': 10, unknown: 0 };
  return named[trimmed.toLowerCase()];
}

/** CEF `rt`: epoch ms, or `MMM dd yyyy HH:mm:ss[.SSS][ zone]`, or ISO. */
function cefTime(value: string | undefined, offsetMinutes: UtcOffset): number | undefined {
  if (value === undefined) return undefined;
  const m =
    /^([A-Za-z]{3}) (\d{1,2}) (\d{4}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,3}))?(?: (UTC|GMT|Z))?$/.exec(
      value,
    );
  if (m !== null) {
    const month = MONTHS.indexOf(m[1]!.toLowerCase());
    if (month < 0) return undefined;
    const iso = `${m[3]}-${String(month + 1).padStart(2, '0')}-${m[2]!.padStart(2, '0')}T${m[4]}:${m[5]}:${m[6]}.${(m[7] ?? '0').padEnd(3, '0')}`;
    return parseTimestampValue(m[8] === undefined ? iso : `${iso}Z`, offsetMinutes);
  }
  return parseTimestampValue(value, offsetMinutes);
}
