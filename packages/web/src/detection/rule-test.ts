/**
 * Runs a checked rule text over test events in the browser, with the same engine live
 * detection runs. An event with a recorded log source (searched, or pasted as stored) is
 * matched exactly as live detection matches it. A raw record has no log source, so it is also
 * taken to come from each rule's own log source: its detection is what is tested (a pasted
 * `{"CommandLine": …}` meets a process-creation rule). Correlations are fed the detections'
 * matches in the order of the events, at their `@timestamp` (else a second apart), and their
 * alerts are listed; a correlation on a rule outside this text is not run here. Exclusions and
 * suppressions are not applied: they act on alerts at the server.
 */
import type { MatchExplanation, RuleSummary as EngineRule } from '@cordon/sigma';
import {
  CorrelationEngine,
  SigmaEngine,
  TENANT_RULE_LIMITS,
  windowsLogSourceMapping,
} from '@cordon/sigma';
import type { RuleCheck } from './rule-check.ts';
import type { TestEvent } from './test-events.ts';

export interface RuleHit {
  readonly title: string;
  readonly ref: string | undefined;
  readonly selections: readonly string[];
  readonly fields: readonly string[];
}

export interface EventVerdict {
  readonly event: TestEvent;
  readonly hits: readonly RuleHit[];
}

export interface CorrelationHit {
  readonly title: string;
  readonly group: Readonly<Record<string, string>>;
  readonly value: number;
  /** The event that completed it. */
  readonly label: string;
}

export interface RuleTestResult {
  readonly verdicts: readonly EventVerdict[];
  readonly matched: number;
  readonly correlations: readonly CorrelationHit[];
  /** Regex tests that ran out of their budget (they count as no match, as live). */
  readonly regexCutOff: number;
}

/** The same compiled rules, selected by log source alone (no channel mapping). */
function bySourceEngine(check: RuleCheck): SigmaEngine | undefined {
  if (check.detections.length === 0) return undefined;
  return new SigmaEngine(check.detections, {
    limits: TENANT_RULE_LIMITS,
    mapping: { keyFields: windowsLogSourceMapping.keyFields, entries: [] },
  });
}

export function runRuleTest(check: RuleCheck, events: readonly TestEvent[]): RuleTestResult {
  const live = check.engine;
  const bySource = bySourceEngine(check);
  const sources = check.detections.map((d) => d.logsource);
  const correlation =
    check.correlations.length > 0 && live
      ? new CorrelationEngine(check.correlations, live.rules)
      : undefined;
  const verdicts: EventVerdict[] = [];
  const correlations: CorrelationHit[] = [];
  const start = Date.now();
  for (const [i, event] of events.entries()) {
    const found = new Map<string, { rule: EngineRule; explanation: MatchExplanation }>();
    const collect =
      (engine: SigmaEngine) =>
      (index: number, explanation: MatchExplanation): void => {
        // Keyed by the rule, not the index: the two engines may have compiled different sets.
        const rule = engine.rules[index]!;
        const key = rule.id ?? rule.name ?? rule.title;
        if (!found.has(key)) found.set(key, { rule, explanation });
      };
    if (live) live.matchEachExplained(event.view, event.logSource, collect(live));
    if (bySource && event.logSource === undefined)
      for (const source of sources)
        bySource.matchEachExplained(event.view, source, collect(bySource));
    const hits = [...found.values()].map(({ rule, explanation }) => ({
      title: rule.title,
      ref: rule.id ?? rule.name,
      selections: explanation.selections,
      fields: explanation.fields,
    }));
    verdicts.push({ event, hits });
    if (correlation) {
      const timeMs = event.timeMs ?? start + i * 1000;
      for (const { rule } of found.values())
        for (const alert of correlation.observe(rule, event.view, timeMs))
          correlations.push({
            title: alert.correlation.title,
            group: alert.group,
            value: alert.value,
            label: event.label,
          });
    }
  }
  return {
    verdicts,
    matched: verdicts.filter((v) => v.hits.length > 0).length,
    correlations,
    regexCutOff: (live?.regexTestsCutOff ?? 0) + (bySource?.regexTestsCutOff ?? 0),
  };
}
