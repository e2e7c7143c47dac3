/** Whether an origin address is inside the client's networks (private ranges) or outside. */
import type { IpNetwork } from '@cordon/protocol';
import { networkBytes, parseIpAddress, parseIpNetwork, prefixEqual } from '@cordon/protocol';
import type { OriginScope } from '../incidents/incident.ts';

/** The ranges parsed once, with their bytes (this runs for every address seen in telemetry). */
const INTERNAL_RANGES: readonly { network: IpNetwork; bytes: readonly number[] }[] = [
  '10.0.0.0/8',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '100.64.0.0/10',
  '169.254.0.0/16',
  'fc00::/7',
  'fe80::/10',
].map((cidr) => {
  const network = parseIpNetwork(cidr)!;
  return { network, bytes: networkBytes(network)! };
});

export function originScope(address: string): OriginScope {
  const ip = parseIpAddress(address);
  const bytes = ip && networkBytes(ip);
  if (!ip || !bytes) return 'unknown';
  return INTERNAL_RANGES.some(
    ({ network, bytes: range }) =>
      network.family === ip.family && prefixEqual(range, bytes, network.prefix),
  )
    ? 'internal'
    : 'external';
}
