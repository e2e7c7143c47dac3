/**
 * Kernel packet-log lines of netfilter (iptables `LOG`, nftables `log prefix …`):
 *
 *   kernel: [12.345] nft-drop: IN=eth0 OUT= MAC=… SRC=198.51.100.7 DST=10.0.0.5 LEN=60 …
 *           TTL=52 ID=54321 DF PROTO=TCP SPT=44321 DPT=22 WINDOW=64240 RES=0x00 SYN URGP=0
 *
 * The text before `IN=` is the rule's prefix (`event.action`; a prefix naming drop, reject,
 * deny or block makes the event `denied`, one naming accept or allow `allowed`). `KEY=value`
 * pairs stay in `fields` under the kernel's names (the first of a repeated key wins: ICMP's
 * `ID` after the IP header's is `icmp_ID`), bare flags (`DF`, `SYN`, `ACK` …) in
 * `fields.flags`. ECS: `source/destination.ip/port/mac`, `network.transport`, `network.bytes`
 * (the packet's `LEN`), `observer.ingress/egress.interface.name`.
 */
import type { EventParts } from '../event-builder.ts';

export const MAX_NETFILTER_TOKENS = 128;

const START = /(?:^|\s)IN=(\S*) OUT=(\S*)/;

export function isNetfilterLine(text: string): boolean {
  return START.test(text) && / SRC=\S+ DST=\S+/.test(text);
}

export interface NetfilterFacts {
  readonly prefix: string | undefined;
  readonly fields: Readonly<Record<string, string | number | readonly string[]>>;
  readonly parts: Omit<EventParts, 'timestamp' | 'log_source' | 'fields' | 'event'> & {
    readonly event: Omit<EventParts['event'], 'dataset'>;
  };
}

export function netfilterFacts(text: string): NetfilterFacts | undefined {
  const start = START.exec(text);
  if (start === null) return undefined;
  const prefix = text
    .slice(0, start.index)
    .replace(/^\s*\[\s*\d+\.\d+\]\s*/, '')
    .replace(/[:\s]+$/, '');
  const fields: Record<string, string | number | string[]> = {};
  const flags: string[] = [];
  const tokens = text.slice(start.index).trim().split(/\s+/).slice(0, MAX_NETFILTER_TOKENS);
  for (const token of tokens) {
    const eq = token.indexOf('=');
    if (eq < 0) {
      if (/^[A-Z0-9]{1,8}$/.test(token)) flags.push(token);
      continue;
    }
    const key = token.slice(0, eq);
    const value = token.slice(eq + 1);
    if (!/^[A-Z][A-Z0-9_]{0,15}$/.test(key)) continue;
    const name = key in fields ? `${String(fields.PROTO ?? 'x').toLowerCase()}_${key}` : key;
    if (!(name in fields)) fields[name] = /^\d{1,10}$/.test(value) ? Number(value) : value;
  }
  if (flags.length > 0) fields.flags = flags;
  if (prefix !== '') fields.prefix = prefix;
  return {
    prefix: prefix === '' ? undefined : prefix,
    fields,
    parts: ecsOf(fields, prefix, flags),
  };
}

function ecsOf(
  fields: Readonly<Record<string, string | number | readonly string[]>>,
  prefix: string,
  flags: readonly string[],
): NetfilterFacts['parts'] {
  const text = (key: string): string | undefined => {
    const value = fields[key];
    return typeof value === 'string' && value !== ''
      ? value
      : typeof value === 'number'
        ? String(value)
        : undefined;
  };
  const port = (key: string): number | undefined => {
    const value = fields[key];
    return typeof value === 'number' && value <= 65535 ? value : undefined;
  };
  const mac = text('MAC');
  // MAC= is destination (6 bytes), source (6 bytes), ethertype (2 bytes).
  const octets = mac?.split(':');
  const macOf = (from: number): string | undefined =>
    octets !== undefined && octets.length >= 12
      ? octets
          .slice(from, from + 6)
          .join('-')
          .toUpperCase()
      : undefined;
  const verdict = /drop|reject|deny|block/i.test(prefix)
    ? 'denied'
    : /accept|allow|pass/i.test(prefix)
      ? 'allowed'
      : undefined;
  return {
    event: {
      module: 'netfilter',
      category: ['network'],
      type: verdict === undefined ? ['connection'] : ['connection', verdict],
      action: prefix === '' ? 'packet-logged' : prefix,
      outcome: verdict === 'denied' ? 'failure' : undefined,
    },
    source: { ip: text('SRC'), port: port('SPT'), mac: macOf(6) },
    destination: { ip: text('DST'), port: port('DPT'), mac: macOf(0) },
    network: {
      transport: text('PROTO')?.toLowerCase(),
      bytes: typeof fields.LEN === 'number' ? fields.LEN : undefined,
      packets: 1,
      type: text('SRC')?.includes(':') ? 'ipv6' : 'ipv4',
    },
    observer: {
      type: 'firewall',
      product: 'netfilter',
      ingress: { interface: { name: text('IN') } },
      egress: { interface: { name: text('OUT') } },
    },
    tags: flags.includes('SYN') && !flags.includes('ACK') ? ['tcp_syn'] : undefined,
  };
}
