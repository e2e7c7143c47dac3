/**
 * The entities an alert is about, from the entities of its event (@cordon/ingest's
 * `eventEntities`): affected hosts are the reporting and destination hosts, origins the source
 * addresses. A correlation alert keeps only what its group-by fields name (the SSH brute-force
 * rule groups by source and host; spraying by source alone), so repeats of the same attack
 * merge even when their last events differ in other details.
 */
import type { AlertEntities } from '@cordon/core';
import type { EventEntity } from '@cordon/ingest';
import { normaliseIp } from '@cordon/ingest';

export function alertEntitiesOf(entities: readonly EventEntity[]): AlertEntities {
  const hosts = new Set<string>();
  const users = new Set<string>();
  const sourceIps = new Set<string>();
  const ips = new Set<string>();
  for (const entity of entities) {
    switch (entity.kind) {
      case 'host':
        if (entity.role === 'reporter' || entity.role === 'destination') hosts.add(entity.key);
        break;
      case 'user':
        users.add(entity.key);
        break;
      case 'ip':
        if (entity.role === 'source') sourceIps.add(entity.key);
        else if (entity.role !== 'observer') ips.add(entity.key);
        break;
    }
  }
  for (const ip of sourceIps) ips.delete(ip);
  return { hosts: [...hosts], users: [...users], sourceIps: [...sourceIps], ips: [...ips] };
}

/** Narrows entities to the values a correlation grouped by. */
export function groupedEntities(
  entities: AlertEntities,
  group: Readonly<Record<string, string>>,
): AlertEntities {
  const values = new Set<string>();
  for (const value of Object.values(group)) {
    if (value === '') continue;
    values.add(value.toLowerCase());
    const ip = normaliseIp(value);
    if (ip) values.add(ip);
  }
  const keep = (list: readonly string[]): string[] => list.filter((v) => values.has(v));
  return {
    hosts: keep(entities.hosts),
    users: keep(entities.users),
    sourceIps: keep(entities.sourceIps),
    ips: keep(entities.ips),
  };
}
