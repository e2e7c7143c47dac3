/**
 * The host a playbook run's `__affected_host__` names: the host of the incident's opening alert
 * (the first linked), resolved to exactly one documented asset. Not `affectedAssets[0]`: that
 * list holds every asset the incident touched, in whatever order triage, identification and
 * people wrote it, and a containment step must not isolate whichever happens to come first.
 * When the opening alert names no host, names hosts of more than one asset, or a host that is
 * not exactly one live asset, there is no answer and the reason says why: the caller refuses
 * rather than guesses. `__origin_address__` follows the same opening alert.
 */
import type { Asset } from '../assets/asset.ts';
import { ALIAS_TAG_PREFIX, normaliseAddress, shortName } from '../assets/asset-matching.ts';
import type { AgentRecord } from '../containment/agent-record.ts';
import type { Alert } from '../detection/alert.ts';
import type { AlertLink } from '../incidents/incident-records.ts';

export type OpeningHost =
  | { readonly kind: 'host'; readonly asset: Asset; readonly alertIds: readonly string[] }
  | { readonly kind: 'undetermined'; readonly reason: string };

export interface OpeningAlertFacts {
  /** The incident's alert links (any order). */
  readonly links: readonly AlertLink[];
  /** At least the alerts of the links. */
  readonly alerts: readonly Alert[];
  readonly assets: readonly Asset[];
  readonly agents: readonly AgentRecord[];
}

/**
 * The incident's opening alerts: those linked first. Triage links the alerts of one batch at
 * the same instant, so more than one may share that instant; together they are the opening.
 */
export function openingAlerts(facts: Pick<OpeningAlertFacts, 'links' | 'alerts'>): Alert[] {
  if (facts.links.length === 0) return [];
  const first = Math.min(...facts.links.map((l) => l.linkedAt));
  const ids = new Set(facts.links.filter((l) => l.linkedAt === first).map((l) => l.alertId));
  return facts.alerts.filter((a) => ids.has(a.id)).sort((a, b) => a.id.localeCompare(b.id));
}

export function openingHost(facts: OpeningAlertFacts): OpeningHost {
  const opening = openingAlerts(facts);
  if (opening.length === 0) return { kind: 'undetermined', reason: 'the incident has no alert' };
  const hosts = [...new Set(opening.flatMap((a) => a.entities.hosts))];
  const alertIds = opening.map((a) => a.id);
  const which = opening.length === 1 ? 'the opening alert' : 'the opening alerts';
  if (hosts.length === 0)
    return { kind: 'undetermined', reason: `${which} (${alertIds.join(', ')}) name no host` };
  const found = new Map<string, Asset>();
  for (const host of hosts) {
    const candidates = assetsNamedBy(host, facts.assets, facts.agents);
    if (candidates.length === 0)
      return {
        kind: 'undetermined',
        reason: `host ${JSON.stringify(host)} of ${which} is not a documented asset`,
      };
    if (candidates.length > 1)
      return {
        kind: 'undetermined',
        reason: `host ${JSON.stringify(host)} of ${which} matches ${candidates.length} assets (${candidates.map((a) => a.name).join(', ')})`,
      };
    found.set(candidates[0]!.id, candidates[0]!);
  }
  if (found.size > 1)
    return {
      kind: 'undetermined',
      reason: `${which} name hosts of ${found.size} assets (${[...found.values()].map((a) => a.name).join(', ')})`,
    };
  return { kind: 'host', asset: [...found.values()][0]!, alertIds };
}

/** The opening alert's one origin address, or the incident's one recorded origin; else null. */
export function openingOrigin(
  facts: Pick<OpeningAlertFacts, 'links' | 'alerts'>,
  recorded: readonly string[],
): string | null {
  const fromAlerts = [...new Set(openingAlerts(facts).flatMap((a) => a.entities.sourceIps))];
  if (fromAlerts.length > 0) return fromAlerts.length === 1 ? fromAlerts[0]! : null;
  const distinct = [...new Set(recorded)];
  return distinct.length === 1 ? distinct[0]! : null;
}

/**
 * The live assets a host string names, by the strongest kind of match that finds any: its id,
 * name or alias; else an address; else through the agent of that host name. Every match of
 * that kind is returned, so two assets answering to one name are seen as two.
 */
function assetsNamedBy(
  host: string,
  assets: readonly Asset[],
  agents: readonly AgentRecord[],
): Asset[] {
  const live = assets.filter((a) => a.retiredAt === null);
  const wanted = host.trim();
  const short = shortName(wanted);
  const names = (a: Asset): string[] => [
    a.name,
    ...a.tags
      .filter((t) => t.startsWith(ALIAS_TAG_PREFIX))
      .map((t) => t.slice(ALIAS_TAG_PREFIX.length)),
  ];
  const byName = live.filter(
    (a) => a.id === wanted || (short !== '' && names(a).some((n) => shortName(n) === short)),
  );
  if (byName.length > 0) return byName;
  const address = normaliseAddress(wanted);
  const byAddress = live.filter((a) => a.addresses.some((x) => normaliseAddress(x) === address));
  if (byAddress.length > 0) return byAddress;
  const agent = agents.filter(
    (a) => a.agentId === wanted || (short !== '' && shortName(a.identity.hostname) === short),
  );
  const viaAgent = new Map<string, Asset>();
  for (const a of agent) {
    const agentAddresses = [...a.identity.addresses.v4, ...a.identity.addresses.v6].map(
      normaliseAddress,
    );
    for (const asset of live)
      if (
        names(asset).some((n) => shortName(n) === shortName(a.identity.hostname)) ||
        asset.addresses.some((x) => agentAddresses.includes(normaliseAddress(x)))
      )
        viaAgent.set(asset.id, asset);
  }
  return [...viaAgent.values()];
}
