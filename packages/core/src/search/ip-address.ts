/**
 * IP addresses as fixed-width hex (32 digits, IPv4 as IPv4-mapped IPv6), so that storage can
 * compare them as strings: equality is equality and a CIDR block is one range `lo ≤ x ≤ hi`,
 * which an ordinary index answers. Pure: no `node:net`, core does no I/O.
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

/** The 32-digit hex form of an IPv4 or IPv6 address, or undefined when it is not one. */
export function ipToHex(text: string): string | undefined {
  const trimmed = text.trim();
  if (trimmed.includes(':')) return ipv6Hex(trimmed);
  const v4 = ipv4Hex(trimmed);
  return v4 === undefined ? undefined : V4_MAPPED_PREFIX + v4;
}

/** Back from hex to the usual text form (dotted IPv4; IPv6 with the longest zero run as `::`). */
export function hexToIp(hex: string): string {
  if (hex.startsWith(V4_MAPPED_PREFIX)) {
    const v4 = hex.slice(24);
    return [0, 2, 4, 6].map((i) => parseInt(v4.slice(i, i + 2), 16)).join('.');
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
 * not one. IPv4 prefixes count within the IPv4-mapped space.
 */
export function cidrToHexRange(text: string): HexRange | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const address = text.slice(0, slash);
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const hex = ipToHex(address);
  if (hex === undefined) return undefined;
  const v4 = !address.includes(':');
  const bits = Number(bitsText) + (v4 ? 96 : 0);
  if (bits > 128) return undefined;
  let low = '';
  let high = '';
  for (let i = 0; i < 32; i++) {
    const digit = parseInt(hex[i] ?? '0', 16);
    const keep = Math.max(0, Math.min(4, bits - i * 4));
    const mask = (0xf << (4 - keep)) & 0xf;
    low += (digit & mask).toString(16);
    high += ((digit & mask) | (~mask & 0xf)).toString(16);
  }
  return { low, high };
}
