/**
 * The facts identification gathers for an incident, each with where it came from. A fact is
 * keyed by (kind, key) within its incident — the asset id, the technique id, the address —
 * so that inference from a new alert widens the fact it already has rather than adding a
 * second one. An analyst's correction marks the fact `corrected` (or `removed`): inference
 * never changes such a fact again, so the analyst's word wins over every later alert.
 */
import type { Criticality, AssetKind, SegmentZone } from '../assets/asset.ts';
import type { AttackCategory } from './attack-category.ts';

export const FACT_KINDS = [
  'asset',
  'technique',
  'tactic',
  'category',
  'origin',
  'activity',
] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export const ORIGIN_CLASSES = ['internal', 'lab', 'external'] as const;
/**
 * internal: inside one of the tenant's documented segments; lab: a special-purpose or
 * reserved range (loopback, link-local, documentation, benchmarking, private space the
 * tenant has not documented …); external: anything else, the public Internet.
 */
export type OriginClass = (typeof ORIGIN_CLASSES)[number];

/** Where a fact came from. */
export type FactSource =
  | { readonly kind: 'rule'; readonly ruleId: string; readonly alertId: string }
  | {
      readonly kind: 'inventory';
      readonly assetId: string;
      readonly matchedBy: 'hostname' | 'address' | 'agent';
      readonly value: string;
    }
  /** The ATT&CK catalogue the names came from (its content date). */
  | { readonly kind: 'catalogue'; readonly version: string }
  /** The tenant's network documentation or the reserved-range table. */
  | { readonly kind: 'network'; readonly segmentId: string | null; readonly range: string | null }
  /** The offline IP database, as name@version. */
  | { readonly kind: 'geo'; readonly database: string }
  /** The documented technique/tactic/rule → category table (attack-category-mapping.ts). */
  | { readonly kind: 'mapping'; readonly basis: string }
  | {
      readonly kind: 'analyst';
      readonly actor: string;
      readonly at: number;
      readonly reason: string | null;
    };

export interface AssetFact {
  readonly kind: 'asset';
  /** The asset id when the inventory knows it, else `host:<name>`. */
  readonly key: string;
  readonly assetId: string | null;
  readonly name: string;
  readonly assetKind: AssetKind | null;
  readonly criticality: Criticality | null;
  readonly owner: string | null;
  readonly segment: {
    readonly id: string;
    readonly name: string;
    readonly zone: SegmentZone;
  } | null;
  readonly functions: readonly {
    readonly id: string;
    readonly name: string;
    readonly mtdMinutes: number;
    readonly costPerHour: number;
  }[];
  /** The names and addresses in alerts that resolved to this asset. */
  readonly seenAs: readonly string[];
}

export interface TechniqueFact {
  readonly kind: 'technique';
  readonly key: string;
  readonly id: string;
  /** null for an id the shipped catalogue does not know (revoked or newer). */
  readonly name: string | null;
  readonly tactics: readonly string[];
}

export interface TacticFact {
  readonly kind: 'tactic';
  readonly key: string;
  readonly id: string;
  readonly shortname: string;
  readonly name: string;
}

export interface CategoryFact {
  readonly kind: 'category';
  readonly key: 'category';
  readonly category: AttackCategory;
  /** What the category was derived from (technique ids, tactic:…, rule:…), or the analyst. */
  readonly basis: readonly string[];
}

export interface OriginFact {
  readonly kind: 'origin';
  readonly key: string;
  readonly address: string;
  readonly class: OriginClass;
  readonly segment: { readonly id: string; readonly name: string } | null;
  /** The reserved range it falls in, with its purpose, for the lab class. */
  readonly range: string | null;
  /** ISO 3166-1 alpha-2, for external addresses the database knows. */
  readonly country: string | null;
  readonly asn: number | null;
  readonly asOrganisation: string | null;
}

export interface ActivityFact {
  readonly kind: 'activity';
  readonly key: 'first' | 'last';
  /** Epoch ms (event time). */
  readonly at: number;
}

export type IdentificationFactValue =
  AssetFact | TechniqueFact | TacticFact | CategoryFact | OriginFact | ActivityFact;

export const FACT_STATES = ['inferred', 'corrected', 'removed'] as const;
export type FactState = (typeof FACT_STATES)[number];

export interface IdentificationFact {
  readonly tenantId: string;
  readonly incidentId: string;
  readonly kind: FactKind;
  readonly key: string;
  readonly value: IdentificationFactValue;
  /** Bounded: the first sources seen (`MAX_FACT_SOURCES`), then the analyst's. */
  readonly sources: readonly FactSource[];
  readonly state: FactState;
  readonly updatedAt: number;
  readonly updatedBy: string;
}

export const MAX_FACT_SOURCES = 20;

/** Facts in force: everything an analyst did not remove. */
export const presentFacts = (facts: readonly IdentificationFact[]): IdentificationFact[] =>
  facts.filter((f) => f.state !== 'removed');

export function factValues<K extends FactKind>(
  facts: readonly IdentificationFact[],
  kind: K,
): Extract<IdentificationFactValue, { kind: K }>[] {
  return presentFacts(facts)
    .filter((f) => f.kind === kind)
    .map((f) => f.value as Extract<IdentificationFactValue, { kind: K }>);
}
