/**
 * Auto-containment: per tenant, rules that turn a raised incident into a containment action —
 * "high or critical on a workstation → isolate at once; on a server → request approval from
 * an incident lead". The first matching rule wins; no rule, no action. Deciding is pure.
 * What the rules decide is the policy's *intent*: whether it may be carried out without a person
 * is `autoContainmentDecision`'s to say (provenance of the evidence, the rate limit).
 */
import type { OptionDurations } from '../decisions/containment-option-kind.ts';
import type { ContainmentOptionRule } from '../decisions/containment-option-rule.ts';
import type { Severity } from '../incidents/incident.ts';
import { SEVERITIES } from '../incidents/incident.ts';

export const ASSET_ROLES = ['workstation', 'server'] as const;
export type AssetRole = (typeof ASSET_ROLES)[number];

export interface ContainmentRule {
  readonly minSeverity: Severity;
  readonly assetRole: AssetRole | 'any';
  readonly response: 'isolate' | 'request-approval';
}

/** At most `maxIsolations` automatic isolations per tenant in any `windowMinutes`; beyond, ask. */
export interface AutoIsolationLimit {
  readonly maxIsolations: number;
  readonly windowMinutes: number;
}

export const DEFAULT_AUTO_ISOLATION_LIMIT: AutoIsolationLimit = Object.freeze({
  maxIsolations: 5,
  windowMinutes: 10,
});

export interface ContainmentPolicy {
  readonly tenantId: string;
  readonly rules: readonly ContainmentRule[];
  readonly autoIsolationLimit: AutoIsolationLimit;
  /** The options it recommends for servers on an incident (`decisions/`), first match wins. */
  readonly optionRules: readonly ContainmentOptionRule[];
  /** The tenant's expected durations per option, minutes; unset ones take the defaults. */
  readonly optionDurations: OptionDurations;
  /** Epoch ms; null while the tenant runs on the default. */
  readonly updatedAt: number | null;
  readonly updatedBy: string | null;
}

export type ContainmentDecision =
  | { readonly kind: 'isolate'; readonly rule: ContainmentRule }
  | { readonly kind: 'request-approval'; readonly rule: ContainmentRule }
  | { readonly kind: 'none' };

export const DEFAULT_CONTAINMENT_RULES: readonly ContainmentRule[] = [
  { minSeverity: 'high', assetRole: 'workstation', response: 'isolate' },
  { minSeverity: 'high', assetRole: 'server', response: 'request-approval' },
];

export function containmentDecision(
  policy: Pick<ContainmentPolicy, 'rules'>,
  incident: { readonly severity: Severity; readonly assetRole: AssetRole },
): ContainmentDecision {
  const rank = (severity: Severity): number => SEVERITIES.indexOf(severity);
  const rule = policy.rules.find(
    (candidate) =>
      rank(incident.severity) >= rank(candidate.minSeverity) &&
      (candidate.assetRole === 'any' || candidate.assetRole === incident.assetRole),
  );
  if (rule === undefined) return { kind: 'none' };
  return { kind: rule.response, rule };
}
