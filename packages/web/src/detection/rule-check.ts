/**
 * A rule text checked in the browser the way the server checks it when it is saved (the
 * server's `checkTenantRules`): the same loader under the same `TENANT_RULE_LIMITS`, filter
 * documents refused, every detection compiled, correlations resolved, an id or a name on every
 * rule. What fails here fails there, with the loader's own words; a YAML problem also names its
 * line and column, which the editor marks.
 *
 * One difference: the browser does not know the server's own rules, so a correlation that
 * refers to a rule outside this text is a warning here (the server resolves it on save).
 */
import type { CorrelationRule, DetectionRule, RejectedRule, SigmaLevel } from '@cordon/sigma';
import { CorrelationEngine, SigmaEngine, TENANT_RULE_LIMITS, loadRules } from '@cordon/sigma';

export interface RuleProblem {
  readonly message: string;
  /** 1-based, when the loader named a place in the text. */
  readonly line: number | undefined;
  readonly column: number | undefined;
}

export interface RuleSummary {
  readonly kind: 'detection' | 'correlation';
  readonly ref: string | undefined;
  readonly title: string;
  readonly level: SigmaLevel | undefined;
  readonly status: string | undefined;
  readonly tags: readonly string[];
  readonly logsource: string | undefined;
}

export interface RuleCheck {
  readonly problems: readonly RuleProblem[];
  readonly warnings: readonly string[];
  readonly rules: readonly RuleSummary[];
  readonly detections: readonly DetectionRule[];
  readonly correlations: readonly CorrelationRule[];
  /** The text's detections compiled with the live mapping (Windows channels by SigmaHQ's). */
  readonly engine: SigmaEngine | undefined;
}

const PLACE = /at line (\d+), column (\d+)/;

export function problemOf(message: string): RuleProblem {
  const place = PLACE.exec(message);
  return {
    message,
    line: place ? Number(place[1]) : undefined,
    column: place ? Number(place[2]) : undefined,
  };
}

const describe = (p: RejectedRule): string => `${p.title ?? p.id ?? p.file}: ${p.reason}`;

function logsourceText(rule: DetectionRule): string | undefined {
  const { product, category, service } = rule.logsource;
  const parts = [product, category, service].filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join(' / ') : undefined;
}

const summary = (rule: DetectionRule | CorrelationRule): RuleSummary => ({
  kind: rule.kind,
  ref: rule.id ?? rule.name,
  title: rule.title,
  level: rule.level,
  status: rule.status,
  tags: rule.tags,
  logsource: rule.kind === 'detection' ? logsourceText(rule) : undefined,
});

const failed = (message: string): RuleCheck => ({
  problems: [problemOf(message)],
  warnings: [],
  rules: [],
  detections: [],
  correlations: [],
  engine: undefined,
});

export function checkRuleText(yaml: string): RuleCheck {
  if (yaml.trim() === '') return failed('rule: the text holds no Sigma rule');
  try {
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
    const correlations = new CorrelationEngine(loaded.correlations, engine.rules);
    const all = [...loaded.correlations, ...loaded.detections];
    if (problems.length === 0 && all.length === 0)
      problems.push({ file: 'rule', id: undefined, reason: 'the text holds no Sigma rule' });
    if (problems.length === 0 && all.some((r) => (r.id ?? r.name) === undefined))
      problems.push({ file: 'rule', id: undefined, reason: 'every rule needs an id or a name' });
    return {
      problems: problems.map((p) => problemOf(describe(p))),
      warnings: correlations.rejected.map(
        (p) =>
          `${describe(p)} — not in this text; the server looks for it among its own rules when you save`,
      ),
      rules: all.map(summary),
      detections: loaded.detections,
      correlations: correlations.correlations,
      engine: loaded.detections.length > 0 ? engine : undefined,
    };
  } catch (error) {
    // A parser that gives up by throwing (nesting deep enough to overflow the stack) still
    // means "invalid", as the server's checker reports it.
    return failed(`rule: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** What a stored rule text says of itself (level, status, tags), without compiling it. */
export function ruleFacts(yaml: string): readonly RuleSummary[] {
  try {
    const loaded = loadRules([{ file: 'rule', text: yaml }], { limits: TENANT_RULE_LIMITS });
    return [...loaded.correlations, ...loaded.detections].map(summary);
  } catch {
    return [];
  }
}
