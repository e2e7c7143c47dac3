/**
 * Strict parsing of IPv4/IPv6 addresses and CIDR networks. Everything that ends up in an
 * nftables script passes through here first, so the grammar is deliberately narrow: no zone
 * ids, no leading zeros in IPv4 octets, prefixes within range. Host bits are masked off and
 * the text re-rendered (RFC 5952 for IPv6), so equal networks compare equal as strings.
 */
export interface IpNetwork {
  readonly family: 4 | 6;
  /** Network address, canonical text. */
  readonly address: string;
  readonly prefix: number;
  /** `address/prefix`, or just `address` for a single host. */
  readonly cidr: string;
}

export function parseIpNetwork(text: string): IpNetwork | undefined {
  if (typeof text !== 'string' || text.length > 64) return undefined;
  const slash = text.indexOf('/');
  const addressText = slash === -1 ? text : text.slice(0, slash);
  const bytes = parseIpv4(addressText) ?? parseIpv6(addressText);
  if (bytes === undefined) return undefined;
  const family = bytes.length === 4 ? 4 : 6;
  const maxPrefix = bytes.length * 8;
  let prefix = maxPrefix;
  if (slash !== -1) {
    const prefixText = text.slice(slash + 1);
    if (!/^(0|[1-9]\d{0,2})$/.test(prefixText)) return undefined;
    prefix = Number(prefixText);
    if (prefix > maxPrefix) return undefined;
  }
  for (let bit = prefix; bit < maxPrefix; bit += 1) {
    const index = bit >> 3;
    bytes[index] = (bytes[index] ?? 0) & ~(0x80 >> (bit & 7));
  }
  const address = family === 4 ? bytes.join('.') : formatIpv6(bytes);
  return {
    family,
    address,
    prefix,
    cidr: prefix === maxPrefix ? address : `${address}/${prefix}`,
  };
}

/** Parses a single address (no prefix); `undefined` if it is not one. */
export function parseIpAddress(text: string): IpNetwork | undefined {
  const network = parseIpNetwork(text);
  if (network === undefined || text.includes('/')) return undefined;
  return network;
}

export function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes.push(value);
  }
  return bytes;
}

export function parseIpv6(text: string): number[] | undefined {
  if (text.length < 2 || text.length > 45 || !/^[0-9a-fA-F:.]+$/.test(text)) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (part: string): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const groups = part.split(':');
    for (let i = 0; i < groups.length; i += 1) {
      const group = groups[i] ?? '';
      if (i === groups.length - 1 && group.includes('.')) {
        const v4 = parseIpv4(group);
        if (v4 === undefined) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
        out.push(parseInt(group, 16));
      }
    }
    return out;
  };
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (head === undefined || tail === undefined) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...new Array<number>(missing).fill(0), ...tail];
  } else {
    if (head.length !== 8) return undefined;
    groups = head;
  }
  return groups.flatMap((group) => [group >> 8, group & 0xff]);
}

function formatIpv6(bytes: readonly number[]): string {
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  // Longest run of two or more zero groups becomes "::" (first one on ties, RFC 5952 §4.2).
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i += 1;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((group) => group.toString(16));
  if (bestStart === -1) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}

/** Whether `address` (a host or network) lies inside `network`. Different families never do. */
export function networkContains(network: IpNetwork, address: IpNetwork): boolean {
  if (network.family !== address.family || address.prefix < network.prefix) return false;
  const outer = networkBytes(network);
  const inner = networkBytes(address);
  return outer !== undefined && inner !== undefined && prefixEqual(outer, inner, network.prefix);
}

/** The address bytes of a parsed network (4 or 16). */
export function networkBytes(network: IpNetwork): number[] | undefined {
  return network.family === 4 ? parseIpv4(network.address) : parseIpv6(network.address);
}

/** Whether two addresses' bytes agree on their first `prefix` bits. */
export function prefixEqual(a: readonly number[], b: readonly number[], prefix: number): boolean {
  for (let bit = 0; bit < prefix; bit += 1) {
    const mask = 0x80 >> (bit & 7);
    if (((a[bit >> 3] ?? 0) & mask) !== ((b[bit >> 3] ?? 0) & mask)) return false;
  }
  return true;
}
