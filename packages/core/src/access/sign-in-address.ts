/**
 * The key that per-address sign-in limits count under. An IPv4 address is itself; an IPv6
 * address counts as its /64, because one subscriber or host is handed a whole /64 and could
 * otherwise take a fresh address for every guess; an IPv4-mapped IPv6 address (a dual-stack
 * listener's view of an IPv4 client) counts as the IPv4 address.
 */
import { parseIpNetwork } from '@cordon/protocol';

const MAPPED_V4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

export function signInAddressKey(address: string): string {
  const mapped = MAPPED_V4.exec(address)?.[1];
  if (mapped !== undefined) return mapped;
  if (!address.includes(':')) return address;
  return parseIpNetwork(`${address}/64`)?.cidr ?? address;
}
