/**
 * What one alert says about its incident: the assets it names (resolved from the inventory
 * by host name, agent and address, with criticality, owner, segment and the business
 * functions they run), the ATT&CK techniques and tactics of its rule's tags, its origin
 * addresses classified (and located, for external ones, by the offline IP database) and its
 * activity times. Pure but for the geo look-up; merging into the stored facts is the
 * service's job.
 */
import type { Asset, AssetRelation, NetworkSegment } from '../assets/asset.ts';
import { assetIndex, shortName } from '../assets/asset-matching.ts';
import { attackCatalogueInfo, attackTechnique } from '../attack/attack-catalogue.ts';
import { sigmaAttackTags } from '../attack/sigma-attack-tags.ts';
import type { AgentRecord } from '../containment/agent-record.ts';
import { assetImpact } from '../continuity/asset-impact.ts';
import type { BusinessFunction } from '../continuity/business-function.ts';
import type { Alert } from '../detection/alert.ts';
import type { GeoIpLookup } from './geo-ip-lookup.ts';
import type {
  AssetFact,
  FactSource,
  IdentificationFactValue,
  OriginFact,
} from './identification-fact.ts';
import { classifyOrigin } from './origin-class.ts';

export interface Inventory {
  readonly assets: readonly Asset[];
  readonly segments: readonly NetworkSegment[];
  readonly relations: readonly AssetRelation[];
  readonly functions: readonly BusinessFunction[];
  readonly agents: readonly AgentRecord[];
}

export interface InferredFact {
  readonly value: IdentificationFactValue;
  readonly sources: readonly FactSource[];
}

export function assetFact(asset: Asset, inventory: Inventory, seenAs: string): AssetFact {
  const segment = asset.segmentId
    ? inventory.segments.find((s) => s.id === asset.segmentId)
    : undefined;
  const impact = assetImpact(asset, inventory);
  return {
    kind: 'asset',
    key: asset.id,
    assetId: asset.id,
    name: asset.name,
    assetKind: asset.kind,
    criticality: asset.criticality,
    owner: asset.owner,
    segment: segment ? { id: segment.id, name: segment.name, zone: segment.zone } : null,
    // The functions the asset runs itself or through the assets that depend on it.
    functions: impact.functions.map(({ function: f }) => ({
      id: f.id,
      name: f.name,
      mtdMinutes: f.mtdMinutes,
      costPerHour: f.costPerHour,
    })),
    seenAs: [seenAs],
  };
}

export function unresolvedAssetFact(host: string): AssetFact {
  return {
    kind: 'asset',
    key: `host:${host.trim().toLowerCase()}`,
    assetId: null,
    name: host.trim(),
    assetKind: null,
    criticality: null,
    owner: null,
    segment: null,
    functions: [],
    seenAs: [host.trim()],
  };
}

/** The documented asset a host string names: by name or alias, else through its agent. */
export function resolveHost(
  host: string,
  inventory: Inventory,
  index = assetIndex(inventory.assets),
): { asset: Asset; matchedBy: 'hostname' | 'agent' } | undefined {
  const byName = index.byName(host);
  if (byName) return { asset: byName, matchedBy: 'hostname' };
  const wanted = host.trim().toLowerCase();
  const agent = inventory.agents.find(
    (a) =>
      a.agentId.toLowerCase() === wanted || shortName(a.identity.hostname) === shortName(wanted),
  );
  if (!agent) return undefined;
  const viaName = index.byName(agent.identity.hostname);
  if (viaName) return { asset: viaName, matchedBy: 'agent' };
  for (const address of [...agent.identity.addresses.v4, ...agent.identity.addresses.v6]) {
    const [asset] = index.byAddress(address);
    if (asset) return { asset, matchedBy: 'agent' };
  }
  return undefined;
}

export async function originFact(
  address: string,
  inventory: Inventory,
  geo: GeoIpLookup | undefined,
): Promise<InferredFact | undefined> {
  const classified = classifyOrigin(address, inventory.segments);
  if (classified.kind === 'not_an_address') return undefined;
  const sources: FactSource[] = [
    { kind: 'network', segmentId: classified.segment?.id ?? null, range: classified.range },
  ];
  let located = {
    country: null as string | null,
    asn: null as number | null,
    asOrganisation: null as string | null,
  };
  if (classified.class === 'external' && geo) {
    const answer = await geo.lookup(address);
    if (answer) {
      located = answer;
      sources.push({ kind: 'geo', database: geo.database });
    }
  }
  const value: OriginFact = {
    kind: 'origin',
    key: address,
    address,
    class: classified.class,
    segment: classified.segment
      ? { id: classified.segment.id, name: classified.segment.name }
      : null,
    range: classified.range,
    ...located,
  };
  return { value, sources };
}

export async function inferFromAlert(
  alert: Alert,
  inventory: Inventory,
  geo: GeoIpLookup | undefined,
): Promise<InferredFact[]> {
  const rule: FactSource = { kind: 'rule', ruleId: alert.ruleId, alertId: alert.id };
  const facts: InferredFact[] = [];
  const index = assetIndex(inventory.assets);

  for (const host of alert.entities.hosts) {
    const resolved = resolveHost(host, inventory, index);
    facts.push(
      resolved
        ? {
            value: assetFact(resolved.asset, inventory, host),
            sources: [
              rule,
              {
                kind: 'inventory',
                assetId: resolved.asset.id,
                matchedBy: resolved.matchedBy,
                value: host,
              },
            ],
          }
        : { value: unresolvedAssetFact(host), sources: [rule] },
    );
  }
  for (const ip of alert.entities.ips) {
    for (const asset of index.byAddress(ip)) {
      facts.push({
        value: assetFact(asset, inventory, ip),
        sources: [rule, { kind: 'inventory', assetId: asset.id, matchedBy: 'address', value: ip }],
      });
    }
  }

  const catalogue: FactSource = { kind: 'catalogue', version: attackCatalogueInfo().version };
  for (const tag of sigmaAttackTags(alert.tags)) {
    switch (tag.kind) {
      case 'technique':
        facts.push({
          value: {
            kind: 'technique',
            key: tag.id,
            id: tag.id,
            name: tag.known ? tag.name : null,
            tactics: attackTechnique(tag.id)?.tactics ?? [],
          },
          sources: tag.known ? [rule, catalogue] : [rule],
        });
        break;
      case 'tactic':
        facts.push({
          value: {
            kind: 'tactic',
            key: tag.shortname,
            id: tag.id,
            shortname: tag.shortname,
            name: tag.name,
          },
          sources: [rule, catalogue],
        });
        break;
    }
  }

  for (const address of alert.entities.sourceIps) {
    const origin = await originFact(address, inventory, geo);
    if (origin) facts.push({ value: origin.value, sources: [rule, ...origin.sources] });
  }

  facts.push(
    { value: { kind: 'activity', key: 'first', at: alert.firstSeen }, sources: [rule] },
    { value: { kind: 'activity', key: 'last', at: alert.lastSeen }, sources: [rule] },
  );
  return facts;
}
