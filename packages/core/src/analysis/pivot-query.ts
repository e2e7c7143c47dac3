/**
 * Pivoting from an incident's own events to related ones: the hosts, users, addresses and
 * process images its alerts' events name become one `or` query over the event store, bounded
 * to a time window around the incident's activity. Each value list is bounded, so an incident
 * with thousands of addresses does not become a query with thousands of terms.
 */
import type { QueryNode } from '../search/query-node.ts';
import type { EventDocument } from '../ports/event-store.ts';
import { textAt } from './event-summary.ts';

export interface PivotValues {
  readonly hosts: readonly string[];
  readonly users: readonly string[];
  readonly addresses: readonly string[];
  readonly processes: readonly string[];
}

/** At most this many values of each kind take part in a pivot. */
export const MAX_PIVOT_VALUES = 20;

/** Accounts that every Windows host logs as: pivoting on them finds everything. */
const NOISY_USERS = new Set(['system', 'local service', 'network service', '-', 'n/a']);

export function pivotValues(
  events: readonly EventDocument[],
  extra: { readonly hosts?: readonly string[] } = {},
): PivotValues {
  const hosts = new Set<string>(extra.hosts ?? []);
  const users = new Set<string>();
  const addresses = new Set<string>();
  const processes = new Set<string>();
  for (const event of events) {
    const host = textAt(event, ['host', 'name']);
    if (host !== undefined) hosts.add(host);
    const user = textAt(event, ['user', 'name']);
    if (user !== undefined && !NOISY_USERS.has(user.toLowerCase())) users.add(user);
    for (const path of [
      ['source', 'ip'],
      ['destination', 'ip'],
    ]) {
      const address = textAt(event, path);
      if (address !== undefined) addresses.add(address);
    }
    const image = textAt(event, ['process', 'executable']);
    if (image !== undefined) processes.add(image);
  }
  const bounded = (set: Set<string>) => [...set].sort().slice(0, MAX_PIVOT_VALUES);
  return {
    hosts: bounded(hosts),
    users: bounded(users),
    addresses: bounded(addresses),
    processes: bounded(processes),
  };
}

const match = (field: string, text: string): QueryNode => ({
  kind: 'match',
  field,
  value: { text },
  position: 1,
});

/** The query for events sharing any pivot value; undefined when there is nothing to pivot on. */
export function pivotQuery(values: PivotValues): QueryNode | undefined {
  const children: QueryNode[] = [
    ...values.hosts.map((host) => match('host.name', host)),
    ...values.users.map((user) => match('user.name', user)),
    ...values.addresses.flatMap((address) => [
      match('source.ip', address),
      match('destination.ip', address),
    ]),
    ...values.processes.map((image) => match('process.executable', image)),
  ];
  return children.length === 0 ? undefined : { kind: 'or', children };
}

/** Which pivot values an event shares (shown on each related event). */
export function sharedPivots(event: EventDocument, values: PivotValues): string[] {
  const shared: string[] = [];
  const host = textAt(event, ['host', 'name']);
  if (host !== undefined && values.hosts.includes(host)) shared.push(`host:${host}`);
  const user = textAt(event, ['user', 'name']);
  if (user !== undefined && values.users.includes(user)) shared.push(`user:${user}`);
  for (const path of [
    ['source', 'ip'],
    ['destination', 'ip'],
  ]) {
    const address = textAt(event, path);
    if (address !== undefined && values.addresses.includes(address))
      shared.push(`address:${address}`);
  }
  const image = textAt(event, ['process', 'executable']);
  if (image !== undefined && values.processes.includes(image)) shared.push(`process:${image}`);
  return [...new Set(shared)];
}
