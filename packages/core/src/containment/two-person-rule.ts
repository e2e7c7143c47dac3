/**
 * The two-person rule: an action that takes a critical asset's service down or cuts it off
 * (isolation, a block, disabling an account, killing a process) is released to its agent only
 * once two different incident leads approved it. It holds however the action was asked for —
 * a containment decision, the auto-containment policy, a responder's request, a playbook step —
 * because the action queue asks this module when an action is requested and again when it is
 * approved (the inventory may have marked the asset critical meanwhile).
 *
 * An agent's asset is every live inventory asset that names it, by host name (or an alias, with
 * or without the domain) or by one of its enrolled addresses; if any of them is critical the
 * rule applies, so an inventory that disagrees with itself errs towards two people.
 */
import type { Asset } from '../assets/asset.ts';
import { ALIAS_TAG_PREFIX, normaliseAddress, shortName } from '../assets/asset-matching.ts';
import type { AgentRecord } from './agent-record.ts';

/** Action kinds with business impact on the host they run on. */
export const TWO_PERSON_ACTION_KINDS: readonly string[] = [
  'isolate',
  'block',
  'disable-account',
  'kill-process',
];

/** Distinct approvers the two-person rule asks for. */
export const TWO_PERSON_APPROVALS = 2;

/** The live assets of the inventory that name this agent's host. */
export function assetsOfAgent(
  agent: Pick<AgentRecord, 'identity'>,
  assets: readonly Asset[],
): Asset[] {
  const host = shortName(agent.identity.hostname);
  const addresses = new Set(
    [...agent.identity.addresses.v4, ...agent.identity.addresses.v6].map(normaliseAddress),
  );
  return assets.filter((asset) => {
    if (asset.retiredAt !== null) return false;
    const names = [
      asset.name,
      ...asset.tags
        .filter((t) => t.startsWith(ALIAS_TAG_PREFIX))
        .map((t) => t.slice(ALIAS_TAG_PREFIX.length)),
    ];
    return (
      (host !== '' && names.some((name) => shortName(name) === host)) ||
      asset.addresses.some((address) => addresses.has(normaliseAddress(address)))
    );
  });
}

/**
 * The approvals the two-person rule asks of `actionKind` on `agent`'s host: 2 for an action with
 * business impact on a critical asset, else 1 (an unknown agent has no asset to protect, and
 * cannot be sent anything either).
 */
export function ruleApprovals(
  actionKind: string,
  agent: Pick<AgentRecord, 'identity'> | undefined,
  assets: readonly Asset[],
): number {
  if (agent === undefined || !TWO_PERSON_ACTION_KINDS.includes(actionKind)) return 1;
  return assetsOfAgent(agent, assets).some((a) => a.criticality === 'critical')
    ? TWO_PERSON_APPROVALS
    : 1;
}
