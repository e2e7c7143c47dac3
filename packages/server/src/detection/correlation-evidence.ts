/**
 * Which events stand behind a correlation alert. The correlation engine counts window entries
 * but does not keep event ids; this remembers the ids of recent base-rule matches per
 * (correlation, group), bounded in ids per group and in groups (least recently fed dropped
 * first), so an alert can refer to the events that made it.
 */
import type { CorrelationAlert, CorrelationRule, RuleReference, SigmaEvent } from '@cordon/sigma';
import { correlationFieldValue } from '@cordon/sigma';
import { ALERT_EVENT_ID_LIMIT } from '@cordon/core';

export class CorrelationEvidence {
  readonly #correlations: readonly CorrelationRule[];
  readonly #groups = new Map<string, string[]>();
  readonly #maxGroups: number;

  constructor(correlations: readonly CorrelationRule[], maxGroups = 20_000) {
    this.#correlations = correlations;
    this.#maxGroups = maxGroups;
  }

  record(rule: RuleReference, event: SigmaEvent, eventId: string): void {
    this.#correlations.forEach((c, index) => {
      if (!c.rules.some((r) => r === rule.id || r === rule.name)) return;
      const values = c.groupBy.map((g) => {
        const alias = c.aliases.get(g);
        const field = alias ? (alias.get(rule.name ?? '') ?? alias.get(rule.id ?? '') ?? g) : g;
        // Read as the correlation engine reads it, so the keys meet.
        return correlationFieldValue(event, field) ?? '';
      });
      const key = `${index}\u0001${values.join('\u0001')}`;
      const ids = this.#groups.get(key) ?? [];
      this.#groups.delete(key);
      ids.push(eventId);
      if (ids.length > ALERT_EVENT_ID_LIMIT) ids.shift();
      this.#groups.set(key, ids);
      if (this.#groups.size > this.#maxGroups)
        this.#groups.delete(this.#groups.keys().next().value!);
    });
  }

  /** The event ids behind `alert` (and forgets them: the engine has cleared that window). */
  take(alert: CorrelationAlert): string[] {
    const index = this.#correlations.indexOf(alert.correlation);
    if (index < 0) return [];
    const key = `${index}\u0001${alert.correlation.groupBy.map((g) => alert.group[g] ?? '').join('\u0001')}`;
    const ids = this.#groups.get(key) ?? [];
    this.#groups.delete(key);
    return ids;
  }

  get size(): number {
    return this.#groups.size;
  }
}
