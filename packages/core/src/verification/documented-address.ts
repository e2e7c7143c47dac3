/**
 * Whether an address is one the tenant documents: an address of one of its assets, or inside
 * one of its network segments. A reachability test sends traffic, so it goes only there —
 * never to an address an attacker (or a mistaken analyst) typed in.
 */
import type { Asset, NetworkSegment } from '../assets/asset.ts';
import { cidrToHexRange, ipToHex } from '../search/ip-address.ts';

export function documentedAddress(
  address: string,
  inventory: { readonly assets: readonly Asset[]; readonly segments: readonly NetworkSegment[] },
): { readonly documented: boolean; readonly by: string | null } {
  const hex = ipToHex(address);
  if (hex === undefined) return { documented: false, by: null };
  for (const asset of inventory.assets) {
    if (asset.retiredAt !== null) continue;
    if (asset.addresses.some((a) => ipToHex(a) === hex))
      return { documented: true, by: `asset ${asset.name}` };
  }
  for (const segment of inventory.segments) {
    const range = cidrToHexRange(segment.cidr);
    if (range && hex.length === range.low.length && hex >= range.low && hex <= range.high)
      return { documented: true, by: `segment ${segment.name} (${segment.cidr})` };
  }
  return { documented: false, by: null };
}
