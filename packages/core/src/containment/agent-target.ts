/**
 * Which agent a containment target names. A target that names no agent, or more than one, is
 * not guessed at: the caller refuses it and lists the candidates (issue 13 item 7). An exact
 * match (id, full host name, address) beats a match on the host name without its domain.
 * Then the asset inventory is asked: a target whose name or address the inventory gives to a
 * host other than the one the agent enrolled as is refused too, since containing it would
 * contain the wrong machine.
 */
import type { Asset } from '../assets/asset.ts';
import type { AgentRecord } from './agent-record.ts';
import { agentMatch } from './agent-record.ts';

export type AgentTarget =
  | { readonly kind: 'agent'; readonly agent: AgentRecord }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly candidates: readonly AgentRecord[] }
  | {
      readonly kind: 'inventory-mismatch';
      readonly agent: AgentRecord;
      readonly asset: Asset;
      readonly reason: string;
    };

const shortName = (name: string): string => name.trim().toLowerCase().split('.')[0] ?? '';

export function resolveAgentTarget(
  agents: readonly AgentRecord[],
  host: string,
  assets: readonly Asset[] = [],
): AgentTarget {
  const byId = agents.find((a) => a.agentId === host.trim());
  if (byId !== undefined) return { kind: 'agent', agent: byId };
  const exact = agents.filter((a) => agentMatch(a, host) === 'exact');
  const matches = exact.length > 0 ? exact : agents.filter((a) => agentMatch(a, host) === 'short');
  const [only, ...others] = matches;
  if (only === undefined) return { kind: 'none' };
  if (others.length > 0) return { kind: 'ambiguous', candidates: matches };
  const mismatch = inventoryMismatch(only, host, assets);
  return mismatch ?? { kind: 'agent', agent: only };
}

function inventoryMismatch(
  agent: AgentRecord,
  host: string,
  assets: readonly Asset[],
): AgentTarget | undefined {
  const live = assets.filter((a) => a.retiredAt === null);
  const agentAddresses = new Set(
    [...agent.identity.addresses.v4, ...agent.identity.addresses.v6].map((a) => a.toLowerCase()),
  );
  const wanted = host.trim().toLowerCase();
  // The inventory's host of that name has addresses, and the agent enrolled with none of them.
  const named = live.find((a) => shortName(a.name) === shortName(agent.identity.hostname));
  if (
    named !== undefined &&
    named.addresses.length > 0 &&
    !named.addresses.some((address) => agentAddresses.has(address.trim().toLowerCase()))
  )
    return {
      kind: 'inventory-mismatch',
      agent,
      asset: named,
      reason: `the inventory's ${named.name} has addresses ${named.addresses.join(', ')}, none of which agent ${agent.agentId} enrolled with`,
    };
  // The target is an address the inventory gives to a host of another name.
  const owner = live.find((a) => a.addresses.some((x) => x.trim().toLowerCase() === wanted));
  if (owner !== undefined && shortName(owner.name) !== shortName(agent.identity.hostname))
    return {
      kind: 'inventory-mismatch',
      agent,
      asset: owner,
      reason: `the inventory gives ${host} to ${owner.name}, but agent ${agent.agentId} enrolled as ${agent.identity.hostname}`,
    };
  return undefined;
}
