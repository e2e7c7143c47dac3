/**
 * Which peers may tell the server a client's address (`X-Forwarded-For`). Sign-in limits,
 * session records and the journal key on the client's address: behind a reverse proxy with
 * no configuration every request comes from the proxy, so the per-address limit becomes one
 * global limit; trusting every peer instead lets anyone forge the header and pick a fresh
 * address per guess. So the trusted proxies are a list — addresses and CIDR networks
 * (`CORDON_TRUSTED_PROXIES=10.0.0.5,192.0.2.0/24`), plus Fastify's names `loopback`,
 * `linklocal` and `uniquelocal` — and never "trust everything".
 */
import { CordonError } from '@cordon/core';
import { isIP } from 'node:net';

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Checks and normalises the list; throws `invalid_input` naming the first bad entry. */
export function parseTrustedProxies(entries: readonly string[]): string[] {
  return entries
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      if (NAMED_RANGES.has(entry) || isNetwork(entry)) return entry;
      throw new CordonError(
        'invalid_input',
        `trusted proxy '${entry}' is not an address, a CIDR network or one of loopback, linklocal, uniquelocal (trusting every peer is not offered: anyone could forge X-Forwarded-For)`,
      );
    });
}

function isNetwork(entry: string): boolean {
  const slash = entry.indexOf('/');
  const address = slash < 0 ? entry : entry.slice(0, slash);
  const version = isIP(address);
  if (version === 0) return false;
  if (slash < 0) return true;
  const bits = entry.slice(slash + 1);
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (version === 4 ? 32 : 128);
}
