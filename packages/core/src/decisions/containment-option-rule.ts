/**
 * The containment policy's word on servers: per asset class, the option it recommends —
 * "a server with a healthy peer: fail over, then isolate"; "a server without one: isolate
 * keeping port 5432 open to the app segment". The first rule that matches the asset's kind and
 * its peer situation names the option; the options endpoint marks it recommended. A rule never
 * acts by itself: a person still decides, with a rationale.
 */
import type { AssetKind } from '../assets/asset.ts';
import type { ContainmentOptionKind } from './containment-option-kind.ts';

/** A segment (by name or id) and the service ports of the host kept open to it. */
export interface KeepOpenRule {
  readonly segment: string;
  readonly ports: readonly number[];
}

export const PEER_CONDITIONS = ['healthy', 'none', 'any'] as const;
export type PeerCondition = (typeof PEER_CONDITIONS)[number];

export interface ContainmentOptionRule {
  readonly assetKind: AssetKind | 'any';
  /** `healthy`: a healthy redundancy peer exists; `none`: no healthy one does. */
  readonly peer: PeerCondition;
  readonly option: ContainmentOptionKind;
  /** For `isolate-with-allow`: what stays open. */
  readonly keepOpen?: readonly KeepOpenRule[];
}

export const DEFAULT_OPTION_RULES: readonly ContainmentOptionRule[] = [
  { assetKind: 'server', peer: 'healthy', option: 'failover-then-isolate' },
];

export interface RecommendedRule {
  readonly rule: ContainmentOptionRule;
  readonly index: number;
}

export function recommendedRule(
  rules: readonly ContainmentOptionRule[],
  asset: { readonly kind: AssetKind; readonly hasHealthyPeer: boolean },
): RecommendedRule | undefined {
  const index = rules.findIndex(
    (rule) =>
      (rule.assetKind === 'any' || rule.assetKind === asset.kind) &&
      (rule.peer === 'any' || (rule.peer === 'healthy') === asset.hasHealthyPeer),
  );
  const rule = rules[index];
  return rule === undefined ? undefined : { rule, index };
}

export function describeRule(rule: ContainmentOptionRule): string {
  const who = rule.assetKind === 'any' ? 'any asset' : `a ${rule.assetKind}`;
  const peer =
    rule.peer === 'healthy'
      ? ' with a healthy peer'
      : rule.peer === 'none'
        ? ' without a healthy peer'
        : '';
  const open =
    rule.keepOpen === undefined || rule.keepOpen.length === 0
      ? ''
      : ` keeping ${rule.keepOpen.map((k) => `${k.ports.join(',')} to ${k.segment}`).join('; ')}`;
  return `${who}${peer}: ${rule.option}${open}`;
}
