/**
 * Classifies an origin address against the tenant's documented segments and the IANA
 * special-purpose registries (RFC 6890 and its successors): internal when a documented
 * segment holds it, lab/reserved when it falls in a range that is not the public Internet —
 * including private space (RFC 1918, ULA) the tenant has not documented, which Cordon cannot
 * place — and external otherwise. 198.18.0.0/15 is also where Cordon's own lab lives.
 */
import type { IpNetwork } from '@cordon/protocol';
import { networkBytes, parseIpAddress, parseIpNetwork, prefixEqual } from '@cordon/protocol';
import type { NetworkSegment } from '../assets/asset.ts';
import type { OriginClass } from './identification-fact.ts';

/** The reserved ranges, most specific first, each with what it is for. */
export const RESERVED_RANGES: readonly { readonly cidr: string; readonly purpose: string }[] = [
  { cidr: '0.0.0.0/8', purpose: '"this network" (RFC 791)' },
  { cidr: '127.0.0.0/8', purpose: 'loopback (RFC 1122)' },
  { cidr: '169.254.0.0/16', purpose: 'link-local (RFC 3927)' },
  { cidr: '100.64.0.0/10', purpose: 'shared address space, carrier-grade NAT (RFC 6598)' },
  { cidr: '192.0.0.0/24', purpose: 'IETF protocol assignments (RFC 6890)' },
  { cidr: '192.0.2.0/24', purpose: 'documentation, TEST-NET-1 (RFC 5737)' },
  { cidr: '198.51.100.0/24', purpose: 'documentation, TEST-NET-2 (RFC 5737)' },
  { cidr: '203.0.113.0/24', purpose: 'documentation, TEST-NET-3 (RFC 5737)' },
  { cidr: '198.18.0.0/15', purpose: 'benchmarking, the Cordon lab (RFC 2544)' },
  { cidr: '10.0.0.0/8', purpose: 'private, not in a documented segment (RFC 1918)' },
  { cidr: '172.16.0.0/12', purpose: 'private, not in a documented segment (RFC 1918)' },
  { cidr: '192.168.0.0/16', purpose: 'private, not in a documented segment (RFC 1918)' },
  { cidr: '224.0.0.0/4', purpose: 'multicast (RFC 5771)' },
  { cidr: '240.0.0.0/4', purpose: 'reserved for future use, broadcast (RFC 1112)' },
  { cidr: '::/128', purpose: 'unspecified (RFC 4291)' },
  { cidr: '::1/128', purpose: 'loopback (RFC 4291)' },
  { cidr: '::ffff:0:0/96', purpose: 'IPv4-mapped (RFC 4291)' },
  { cidr: '100::/64', purpose: 'discard-only (RFC 6666)' },
  { cidr: '2001:db8::/32', purpose: 'documentation (RFC 3849)' },
  { cidr: 'fd00:c0d0::/64', purpose: 'the Cordon lab (unique local)' },
  { cidr: 'fc00::/7', purpose: 'unique local, not in a documented segment (RFC 4193)' },
  { cidr: 'fe80::/10', purpose: 'link-local (RFC 4291)' },
  { cidr: 'ff00::/8', purpose: 'multicast (RFC 4291)' },
];

interface ParsedRange {
  readonly network: IpNetwork;
  readonly bytes: readonly number[];
}

function parsedRange(cidr: string): ParsedRange | undefined {
  const network = parseIpNetwork(cidr);
  const bytes = network && networkBytes(network);
  return network && bytes ? { network, bytes } : undefined;
}

const RESERVED = RESERVED_RANGES.map((r) => ({ ...r, parsed: parsedRange(r.cidr)! }));

export type OriginClassification =
  | {
      readonly kind: 'classified';
      readonly class: OriginClass;
      readonly segment: NetworkSegment | null;
      /** `cidr purpose` of the reserved range, for the lab class. */
      readonly range: string | null;
    }
  | { readonly kind: 'not_an_address' };

function contains(range: ParsedRange, family: 4 | 6, bytes: readonly number[]): boolean {
  return range.network.family === family && prefixEqual(range.bytes, bytes, range.network.prefix);
}

export function classifyOrigin(
  address: string,
  segments: readonly NetworkSegment[],
): OriginClassification {
  const ip = parseIpAddress(address);
  const bytes = ip && networkBytes(ip);
  if (!ip || !bytes) return { kind: 'not_an_address' };
  // The most specific documented segment wins (a /24 inside a documented /16).
  let best: { segment: NetworkSegment; prefix: number } | undefined;
  for (const segment of segments) {
    const range = parsedRange(segment.cidr);
    if (range && contains(range, ip.family, bytes) && (!best || range.network.prefix > best.prefix))
      best = { segment, prefix: range.network.prefix };
  }
  if (best) return { kind: 'classified', class: 'internal', segment: best.segment, range: null };
  const reserved = RESERVED.find((r) => contains(r.parsed, ip.family, bytes));
  if (reserved) {
    return {
      kind: 'classified',
      class: 'lab',
      segment: null,
      range: `${reserved.cidr} ${reserved.purpose}`,
    };
  }
  return { kind: 'classified', class: 'external', segment: null, range: null };
}
