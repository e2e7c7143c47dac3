/**
 * The entities an event mentions, for asset discovery (hosts and their addresses seen in
 * telemetry) and for grouping alerts into incidents (same host, user or address). Each entity
 * has a `key` to compare by: host names and users lower-cased, IPv4-mapped IPv6 addresses
 * unwrapped, IPv6 lower-cased. Values that name nobody are left out: `-`, empty, loopback and
 * unspecified addresses, and the built-in Windows principals (SYSTEM, LOCAL SERVICE,
 * ANONYMOUS LOGON …) and machine accounts (`NAME$`), which would tie unrelated alerts together.
 */
import type { IngestEvent } from '../ingest-event.ts';

export type HostRole = 'reporter' | 'source' | 'destination' | 'observer';
export type IpRole = 'host' | 'source' | 'destination' | 'observer';
export type UserRole = 'actor' | 'target' | 'source' | 'destination';

export type EventEntity =
  | {
      readonly kind: 'host';
      readonly role: HostRole;
      readonly name: string;
      readonly key: string;
      readonly ips: readonly string[];
    }
  | { readonly kind: 'ip'; readonly role: IpRole; readonly address: string; readonly key: string }
  | {
      readonly kind: 'user';
      readonly role: UserRole;
      readonly name: string;
      readonly domain?: string;
      readonly key: string;
    };

const BUILTIN_PRINCIPALS = new Set([
  'system',
  'local service',
  'network service',
  'anonymous logon',
  'localsystem',
  'dwm-1',
  'umfd-0',
  'umfd-1',
]);

export function eventEntities(event: IngestEvent): EventEntity[] {
  const entities: EventEntity[] = [];
  const seen = new Set<string>();
  const add = (entity: EventEntity): void => {
    const id = `${entity.kind}|${entity.role}|${entity.key}`;
    if (seen.has(id)) return;
    seen.add(id);
    entities.push(entity);
  };

  const hostIps = (event.host?.ip ?? [])
    .map(normaliseIp)
    .filter((ip): ip is string => ip !== undefined);
  const hostName = cleanName(event.host?.name);
  if (hostName !== undefined)
    add({
      kind: 'host',
      role: 'reporter',
      name: hostName,
      key: hostName.toLowerCase(),
      ips: hostIps,
    });
  for (const ip of hostIps) add({ kind: 'ip', role: 'host', address: ip, key: ip });

  for (const [role, endpoint] of [
    ['source', event.source],
    ['destination', event.destination],
  ] as const) {
    if (endpoint === undefined) continue;
    const ip = normaliseIp(endpoint.ip);
    const domain = cleanName(endpoint.domain);
    if (domain !== undefined && !looksLikeIp(domain)) {
      add({
        kind: 'host',
        role,
        name: domain,
        key: domain.toLowerCase(),
        ips: ip === undefined ? [] : [ip],
      });
    }
    if (ip !== undefined) add({ kind: 'ip', role, address: ip, key: ip });
    const user = userEntity(endpoint.user?.name, endpoint.user?.domain, role);
    if (user !== undefined) add(user);
  }

  const observerName = cleanName(event.observer?.hostname);
  const observerIps = (event.observer?.ip ?? [])
    .map(normaliseIp)
    .filter((ip): ip is string => ip !== undefined);
  if (observerName !== undefined && observerName.toLowerCase() !== hostName?.toLowerCase()) {
    add({
      kind: 'host',
      role: 'observer',
      name: observerName,
      key: observerName.toLowerCase(),
      ips: observerIps,
    });
  }
  for (const ip of observerIps) add({ kind: 'ip', role: 'observer', address: ip, key: ip });

  const actor = userEntity(event.user?.name, event.user?.domain, 'actor');
  if (actor !== undefined) add(actor);
  const target = userEntity(event.user?.target?.name, event.user?.target?.domain, 'target');
  if (target !== undefined) add(target);
  return entities;
}

function userEntity(
  name: string | undefined,
  domain: string | undefined,
  role: UserRole,
): EventEntity | undefined {
  const clean = cleanName(name);
  if (clean === undefined) return undefined;
  const lower = clean.toLowerCase();
  if (BUILTIN_PRINCIPALS.has(lower) || clean.endsWith('$')) return undefined;
  const cleanDomain = cleanName(domain);
  return {
    kind: 'user',
    role,
    name: clean,
    ...(cleanDomain === undefined ? {} : { domain: cleanDomain }),
    key: lower,
  };
}

function cleanName(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  return trimmed === '' || trimmed === '-' || trimmed.length > 255 ? undefined : trimmed;
}

/** A usable address in canonical text, or undefined (not an IP, loopback, unspecified). */
export function normaliseIp(value: string | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  let ip = value.trim().toLowerCase();
  if (ip.startsWith('::ffff:') && ip.includes('.')) ip = ip.slice(7);
  if (ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  const zone = ip.indexOf('%');
  if (zone > 0) ip = ip.slice(0, zone);
  if (!looksLikeIp(ip)) return undefined;
  if (ip === '0.0.0.0' || ip === '::' || ip === '::1' || ip.startsWith('127.')) return undefined;
  return ip;
}

function looksLikeIp(text: string): boolean {
  if (/^\d{1,3}(?:\.\d{1,3}){3}$/.test(text))
    return text.split('.').every((part) => Number(part) <= 255);
  return (
    text.includes(':') && /^[0-9a-f:.]{2,45}$/i.test(text) && (text.match(/::/g) ?? []).length <= 1
  );
}
