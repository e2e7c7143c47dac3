/**
 * IPv4 and IPv6 network ranges for the `cidr` modifier. Addresses are parsed into 16 bytes
 * (IPv4 as ::ffff:a.b.c.d) so one prefix comparison serves both families.
 */
import { SigmaError } from '../sigma-error.ts';

function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes: number[] = [];
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    bytes.push(n);
  }
  return bytes;
}

/** 16 bytes, or undefined if `text` is not an IP address. */
export function parseIp(text: string): number[] | undefined {
  const trimmed = text.trim();
  const v4 = parseIpv4(trimmed);
  if (v4) return [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, ...v4];
  const unbracketed = trimmed.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!unbracketed.includes(':')) return undefined;
  const halves = unbracketed.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    const items = half.split(':');
    for (let i = 0; i < items.length; i++) {
      const item = items[i]!;
      if (i === items.length - 1 && item.includes('.')) {
        const tail = parseIpv4(item);
        if (!tail) return undefined;
        out.push((tail[0]! << 8) | tail[1]!, (tail[2]! << 8) | tail[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(item)) return undefined;
        out.push(Number.parseInt(item, 16));
      }
    }
    return out;
  };
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  if (!left || !right) return undefined;
  const missing = 8 - left.length - right.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...left, ...new Array<number>(missing).fill(0), ...right];
  return all.flatMap((g) => [g >> 8, g & 0xff]);
}

export type IpTest = (text: string) => boolean;

export function compileCidr(spec: string): IpTest {
  const [address, prefixText] = spec.split('/');
  const network = parseIp(address ?? '');
  if (!network)
    throw new SigmaError('modifier', `cidr value ${JSON.stringify(spec)} is not an IP network`);
  const isV4 = parseIpv4((address ?? '').trim()) !== undefined;
  const max = isV4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) {
    throw new SigmaError('modifier', `cidr value ${JSON.stringify(spec)} has a bad prefix length`);
  }
  const bits = isV4 ? prefix + 96 : prefix;
  return (text) => {
    const ip = parseIp(text);
    if (!ip) return false;
    let remaining = bits;
    for (let i = 0; remaining > 0; i++, remaining -= 8) {
      const mask = remaining >= 8 ? 0xff : (0xff << (8 - remaining)) & 0xff;
      if ((ip[i]! & mask) !== (network[i]! & mask)) return false;
    }
    return true;
  };
}
