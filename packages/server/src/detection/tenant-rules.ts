/**
 * A tenant's own Sigma rules: checked when submitted (every problem listed, nothing stored on
 * error) and compiled into a small engine of their own when the tenant's detection state is
 * built. Their correlations may refer to the server's rules as well as to their own. Both run
 * in worker threads under a time and memory budget (`TenantRuleChecker`, the detection
 * matcher): the text is written by someone who may want the server to stall.
 */
import type { CorrelationRule, RejectedRule, RuleReference } from '@cordon/sigma';
import { CorrelationEngine, loadRules, SigmaEngine, TENANT_RULE_LIMITS } from '@cordon/sigma';

export interface CompiledTenantRules {
  readonly engine: SigmaEngine | undefined;
  readonly correlations: readonly CorrelationRule[];
}

/** The verdict on one rule text: its title and rule ids, or every problem found. */
export type TenantRuleCheck =
  | { readonly ok: true; readonly title: string; readonly ruleIds: readonly string[] }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Checks one text against the rules its correlations may name (`knownRules`). */
export function checkTenantRules(
  knownRules: readonly RuleReference[],
  yaml: string,
): TenantRuleCheck {
  const limits = TENANT_RULE_LIMITS;
  const loaded = loadRules([{ file: 'rule', text: yaml }], { limits });
  const problems: RejectedRule[] = [...loaded.rejected];
  if (loaded.filters.length > 0)
    problems.push({
      file: 'rule',
      id: undefined,
      reason: 'filter documents are not accepted here: add an exclusion instead',
    });
  const engine = new SigmaEngine(loaded.detections, { limits });
  problems.push(...engine.rejected);
  const correlations = new CorrelationEngine(loaded.correlations, [...knownRules, ...engine.rules]);
  problems.push(...correlations.rejected);
  const all = [...loaded.correlations, ...loaded.detections];
  if (problems.length === 0 && all.length === 0)
    problems.push({ file: 'rule', id: undefined, reason: 'the text holds no Sigma rule' });
  const ruleIds = all.map((r) => r.id ?? r.name).filter((id): id is string => id !== undefined);
  if (problems.length === 0 && ruleIds.length !== all.length)
    problems.push({ file: 'rule', id: undefined, reason: 'every rule needs an id or a name' });
  if (problems.length > 0)
    return {
      ok: false,
      problems: problems.map((p) => `${p.title ?? p.id ?? p.file}: ${p.reason}`),
    };
  return { ok: true, title: all[0]!.title, ruleIds };
}

export function compileTenantRules(yamls: readonly string[]): CompiledTenantRules {
  if (yamls.length === 0) return { engine: undefined, correlations: [] };
  const limits = TENANT_RULE_LIMITS;
  const loaded = loadRules(
    yamls.map((text, i) => ({ file: `tenant-rule-${i + 1}`, text })),
    { limits },
  );
  return {
    engine:
      loaded.detections.length > 0 ? new SigmaEngine(loaded.detections, { limits }) : undefined,
    correlations: loaded.correlations,
  };
}
