/** Whether an origin address is inside the client's networks (private ranges) or outside. */
import type { IpNetwork } from '@cordon/protocol';
import { networkContains, parseIpAddress, parseIpNetwork } from '@cordon/protocol';
import type { OriginScope } from '../incidents/incident.ts';

const INTERNAL_RANGES: readonly IpNetwork[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
].map((cidr) => parseIpNetwork(cidr)!);

export function originScope(address: string): OriginScope {
  const ip = parseIpAddress(address);
  if (!ip) return 'unknown';
  return INTERNAL_RANGES.some((range) => networkContains(range, ip)) ? 'internal' : 'external';
}
