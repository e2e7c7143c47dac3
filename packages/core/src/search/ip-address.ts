/**
 * IP addresses as fixed-width hex with a family prefix — `4` + 8 digits for IPv4 (IPv4-mapped
 * IPv6 addresses included), `6` + 32 digits for IPv6 — so that storage can compare them as
 * strings: equality is equality and a CIDR block is one range `lo ≤ x ≤ hi`, which an
 * ordinary index answers. The short IPv4 form keeps index entries small, which is most of the
 * cost of writing events. Pure: no `node:net`, core does no I/O.
 */

const V4_MAPPED_PREFIX = '00000000000000000000ffff';

function ipv4Hex(text: string): string | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let hex = '';
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    hex += n.toString(16).padStart(2, '0');
  }
  return hex;
}

function ipv6Hex(text: string): string | undefined {
  let address = text;
  const zone = address.indexOf('%');
  if (zone >= 0) address = address.slice(0, zone);
  let tail = '';
  const lastColon = address.lastIndexOf(':');
  if (address.includes('.', lastColon)) {
    const v4 = ipv4Hex(address.slice(lastColon + 1));
    if (v4 === undefined) return undefined;
    tail = v4;
    address = address.slice(0, lastColon + 1) + '0:0';
  }
  const halves = address.split('::');
  if (halves.length > 2) return undefined;
  const groups = (s: string): string[] | undefined => {
    if (s === '') return [];
    const g = s.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  let hex = all.map((g) => g.toLowerCase().padStart(4, '0')).join('');
  if (tail) hex = hex.slice(0, 24) + tail;
  return hex;
}

/** The prefixed hex form of an IPv4 or IPv6 address, or undefined when it is not one. */
export function ipToHex(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) {
    const v6 = ipv6Hex(trimmed);
    if (v6 === undefined) return undefined;
    return v6.startsWith(V4_MAPPED_PREFIX) ? '4' + v6.slice(24) : '6' + v6;
  }
  const v4 = ipv4Hex(trimmed);
  return v4 === undefined ? undefined : '4' + v4;
}

/** Back from hex to the usual text form (dotted IPv4; IPv6 with the longest zero run as `::`). */
export function hexToIp(prefixed: string): string {
  const hex = prefixed.slice(1);
  if (prefixed.startsWith('4')) {
    return [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
  }
  const groups = Array.from({ length: 8 }, (_, i) => parseInt(hex.slice(i * 4, i * 4 + 4), 16));
  let best = -1;
  let bestLength = 1;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) [best, bestLength] = [i, j - i];
    i = j;
  }
  const text = groups.map((g) => g.toString(16));
  if (best < 0) return text.join(':');
  return `${text.slice(0, best).join(':')}::${text.slice(best + bestLength).join(':')}`;
}

export interface HexRange {
  readonly low: string;
  readonly high: string;
}

/**
 * The hex range of a CIDR block (`10.0.0.0/8`, `2001:db8::/32`), or undefined when the text is
 * not one. A block stays within its family: `0.0.0.0/0` is every IPv4 address.
 */
export function cidrToHexRange(text: string): HexRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const prefixed = ipToHex(address);
  if (prefixed === undefined) return undefined;
  const family = prefixed[0]!;
  const hex = prefixed.slice(1);
  // `::ffff:10.0.0.0/104` is written in IPv6 bits but stored in the IPv4 form.
  const mappedV6 = family === '4' && address.includes(':');
  const bits = Number(bitsText) - (mappedV6 ? 96 : 0);
  if (bits < 0 || bits > hex.length * 4) return undefined;
  let low = family;
  let high = family;
  for (let i = 0; i < hex.length; i++) {
    const digit = parseInt(hex[i] ?? '0', 16);
    const keep = Math.max(0, Math.min(4, bits - i * 4));
    const mask = (0xf << (4 - keep)) & 0xf;
    low += (digit & mask).toString(16);
    high += ((digit & mask) | (~mask & 0xf)).toString(16);
  }
  return { low, high };
}
