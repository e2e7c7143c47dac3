/**
 * What an incident's threat-intel export is made from, gathered in one read: the incident,
 * its observables, the alerts linked to it, and the tenant it belongs to.
 */
import type { Alert } from '../detection/alert.ts';
import type { Incident } from '../incidents/incident.ts';
import type { Observable } from '../incidents/incident-records.ts';

export interface IncidentIntel {
  readonly tenant: { readonly id: string; readonly name: string };
  readonly incident: Incident;
  readonly observables: readonly Observable[];
  readonly alerts: readonly Alert[];
}

/** The kinds of watchable observables, by the indicator kind their value has. */
export type WatchableKind = 'ipv4' | 'ipv6' | 'domain' | 'url' | 'md5' | 'sha1' | 'sha256';

/** What a recorded observable is as an indicator, or undefined (users, hosts, odd values). */
export function watchableKind(observable: Observable): WatchableKind | undefined {
  const value = observable.value;
  switch (observable.kind) {
    case 'ip':
      return value.includes(':') ? 'ipv6' : /^\d+\.\d+\.\d+\.\d+$/.test(value) ? 'ipv4' : undefined;
    case 'domain':
      return 'domain';
    case 'url':
      return 'url';
    case 'file_hash': {
      const kinds: Record<number, WatchableKind> = { 32: 'md5', 40: 'sha1', 64: 'sha256' };
      return /^[0-9a-f]+$/i.test(value) ? kinds[value.length] : undefined;
    }
    case 'user':
    case 'host':
      return undefined;
  }
}

/** How often the incident's alerts name a value (sightings count them). */
export function sightingCount(alerts: readonly Alert[], value: string): number {
  const key = value.toLowerCase();
  let count = 0;
  for (const alert of alerts) {
    const { hosts, users, sourceIps, ips } = alert.entities;
    if ([hosts, users, sourceIps, ips].some((list) => list.includes(key))) count += alert.count;
  }
  return count;
}
