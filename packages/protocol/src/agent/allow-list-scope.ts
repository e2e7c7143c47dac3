/**
 * How much of the network an isolation's allow-list may leave open. An isolation whose
 * allow-list contains `0.0.0.0/0` or `::/0` is no isolation, and neither is one that says the
 * same in other words, so the rule is on the address space, not on two strings:
 *
 * - one entry: IPv4 prefix at least /8, IPv6 at least /32 (an organisation's allocation);
 *   inside the IPv4-mapped (`::ffff:0:0/96`) and NAT64 (`64:ff9b::/96`) ranges, where IPv6
 *   addresses stand for IPv4 ones, at least /104 — the same /8 of IPv4 space;
 * - the whole list (entries contained in another counted once): at most the space of one
 *   IPv4 /8 (mapped and NAT64 entries count as IPv4) and of one IPv6 /32, so
 *   `0.0.0.0/1` + `128.0.0.0/1`, or 256 /8s, are refused too.
 *
 * Ports do not change the answer: "anywhere on port 53" is still a way out. Parsing
 * (`parseAllowRule`, `parseCommandAction`) applies these limits, so the server's API and the
 * agent refuse the same lists.
 */
import { networkBytes, networkContains, parseIpNetwork } from './ip-network.ts';
import type { IpNetwork } from './ip-network.ts';
import { WireFormatError } from './wire-reader.ts';

export const MIN_ALLOW_PREFIX_V4 = 8;
export const MIN_ALLOW_PREFIX_V6 = 32;
const IPV4_IN_IPV6 = ['::ffff:0:0/96', '64:ff9b::/96'].map((text) => parseIpNetwork(text)!);
const MAX_ALLOWED_V4_ADDRESSES = 2 ** (32 - MIN_ALLOW_PREFIX_V4);
const MAX_ALLOWED_V6_ADDRESSES = 2 ** (128 - MIN_ALLOW_PREFIX_V6);

/** The IPv4 prefix an IPv6 network in a translation range stands for, if it is in one. */
function embeddedIpv4Prefix(network: IpNetwork): number | undefined {
  if (network.family !== 6) return undefined;
  const range = IPV4_IN_IPV6.find(
    (candidate) => network.prefix >= 96 && networkContains(candidate, network),
  );
  // A network shorter than /96 that covers a translation range covers all of IPv4.
  if (range === undefined) {
    return IPV4_IN_IPV6.some((candidate) => networkContains(network, candidate)) ? 0 : undefined;
  }
  return network.prefix - 96;
}

/** Throws `WireFormatError` when one allow-list entry opens too much by itself. */
export function checkAllowNetwork(network: IpNetwork): void {
  const embedded = embeddedIpv4Prefix(network);
  const tooWide =
    network.family === 4
      ? network.prefix < MIN_ALLOW_PREFIX_V4
      : network.prefix < MIN_ALLOW_PREFIX_V6 ||
        (embedded !== undefined && embedded < MIN_ALLOW_PREFIX_V4);
  if (tooWide) {
    throw new WireFormatError(
      `allow-list entry ${network.cidr} opens too much for an isolation (at most an IPv4 /${MIN_ALLOW_PREFIX_V4} or an IPv6 /${MIN_ALLOW_PREFIX_V6} per entry)`,
    );
  }
}

/** Throws `WireFormatError` when the entries together open more than the limits above. */
export function checkAllowListScope(networks: readonly IpNetwork[]): void {
  const distinct = networks.filter(
    (network, index) =>
      !networks.some(
        (other, otherIndex) =>
          otherIndex !== index &&
          networkContains(other, network) &&
          // Of two equal networks, keep the first.
          (other.prefix < network.prefix || otherIndex < index),
      ),
  );
  let v4 = 0;
  let v6 = 0;
  for (const network of distinct) {
    if (networkBytes(network) === undefined) continue;
    const embedded = embeddedIpv4Prefix(network);
    if (network.family === 4) v4 += 2 ** (32 - network.prefix);
    else if (embedded !== undefined) v4 += 2 ** (32 - embedded);
    else v6 += 2 ** (128 - network.prefix);
  }
  if (v4 > MAX_ALLOWED_V4_ADDRESSES || v6 > MAX_ALLOWED_V6_ADDRESSES) {
    throw new WireFormatError(
      `the allow-list together opens more than an IPv4 /${MIN_ALLOW_PREFIX_V4} or an IPv6 /${MIN_ALLOW_PREFIX_V6}: that is no isolation`,
    );
  }
}
