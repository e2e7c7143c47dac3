/**
 * Correlation rules (Sigma correlation spec v2.1): event_count, value_count, temporal,
 * temporal_ordered, value_sum, value_avg, value_percentile, with group-by, aliases, sliding
 * windows, rules referenced by id or name, and chaining (a correlation may reference another).
 *
 * Semantics chosen where the spec leaves room:
 * - The window slides with event time: an entry stays while `now - entry.time <= timespan`,
 *   so two events exactly one timespan apart are in the same window.
 * - When a group's condition holds, one alert is emitted and that group's window is cleared,
 *   so a burst raises one alert rather than one per further event.
 * - value_percentile: the share (in percent) of the group's window whose `field` equals the
 *   current event's value, compared with the condition (`lte: 1` = "rarer than 1 %").
 * - A missing group-by field groups as the empty value.
 *
 * State is bounded: each entry is evicted when it leaves its window, and when the total number
 * of entries exceeds `maxEntries` the least recently updated groups are dropped first
 * (`stateSize` and `evictedGroups` make this observable).
 */
import type { SigmaEvent } from '../event/match-context.ts';
import { scalarText } from '../event/match-context.ts';
import type { ConditionOperator, CorrelationRule, RejectedRule } from '../rule/sigma-rule.ts';

export interface CorrelationOptions {
  /** Upper bound on stored window entries across all groups (default 1,000,000). */
  readonly maxEntries?: number;
}

/** A rule as correlations reference it. */
export interface RuleReference {
  readonly id: string | undefined;
  readonly name: string | undefined;
}

export interface CorrelationAlert {
  readonly correlation: CorrelationRule;
  /** Group-by field (or alias) → value. */
  readonly group: Readonly<Record<string, string>>;
  /** The measured value that met the condition (count, distinct count, sum, average, %). */
  readonly value: number;
  readonly firstMs: number;
  readonly lastMs: number;
  /** Entries in the window when it fired. */
  readonly events: number;
}

interface Entry {
  readonly time: number;
  /** Index of the referenced rule within the correlation's `rules`. */
  readonly rule: number;
  readonly value: string | undefined;
}

interface Group {
  readonly correlation: number;
  readonly key: string;
  readonly group: Record<string, string>;
  entries: Entry[];
  /** value_count: how many window entries hold each value, kept as entries come and go. */
  readonly values: Map<string, number>;
}

function holds(condition: ReadonlyMap<ConditionOperator, number>, value: number): boolean {
  for (const [op, limit] of condition) {
    switch (op) {
      case 'gt':
        if (!(value > limit)) return false;
        break;
      case 'gte':
        if (!(value >= limit)) return false;
        break;
      case 'lt':
        if (!(value < limit)) return false;
        break;
      case 'lte':
        if (!(value <= limit)) return false;
        break;
      case 'eq':
        if (value !== limit) return false;
        break;
      case 'neq':
        if (value === limit) return false;
        break;
    }
  }
  return true;
}

function fieldValue(event: SigmaEvent, field: string): string | undefined {
  let value: unknown = Object.hasOwn(event, field) ? event[field] : undefined;
  if (value === undefined && field.includes('.')) {
    value = event;
    for (const part of field.split('.')) {
      value =
        typeof value === 'object' && value !== null
          ? (value as Record<string, unknown>)[part]
          : undefined;
    }
  }
  return scalarText(value);
}

export class CorrelationEngine {
  readonly correlations: readonly CorrelationRule[];
  /** Correlations whose references cannot be resolved. */
  readonly rejected: readonly RejectedRule[];
  private readonly groups = new Map<string, Group>();
  private readonly maxEntries: number;
  private entryCount = 0;
  /** Groups dropped because the memory cap was reached. */
  evictedGroups = 0;

  constructor(
    correlations: readonly CorrelationRule[],
    knownRules: readonly RuleReference[],
    options: CorrelationOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 1_000_000;
    const known = new Set<string>();
    for (const r of knownRules) {
      if (r.id) known.add(r.id);
      if (r.name) known.add(r.name);
    }
    for (const c of correlations) {
      if (c.id) known.add(c.id);
      if (c.name) known.add(c.name);
    }
    const accepted: CorrelationRule[] = [];
    const rejected: RejectedRule[] = [];
    for (const c of correlations) {
      const missing = c.rules.filter((r) => !known.has(r));
      if (missing.length > 0) {
        rejected.push({
          file: c.file,
          id: c.id,
          title: c.title,
          reason: `correlation references unknown rule(s): ${missing.join(', ')}`,
        });
      } else accepted.push(c);
    }
    this.correlations = accepted;
    this.rejected = rejected;
  }

  /** Number of window entries held (the engine's memory, observable). */
  get stateSize(): number {
    return this.entryCount;
  }

  /**
   * Feeds one match of `rule` on `event` at `timeMs` (event time). Returns the alerts it
   * completes, including those of correlations chained on top of them.
   */
  observe(rule: RuleReference, event: SigmaEvent, timeMs: number): CorrelationAlert[] {
    const alerts: CorrelationAlert[] = [];
    this.feed(rule, event, timeMs, alerts, 0);
    return alerts;
  }

  private feed(
    rule: RuleReference,
    event: SigmaEvent,
    timeMs: number,
    alerts: CorrelationAlert[],
    depth: number,
  ): void {
    if (depth > 16) return; // a reference cycle cannot loop forever
    this.correlations.forEach((c, ci) => {
      const ruleIndex = c.rules.findIndex((r) => r === rule.id || r === rule.name);
      if (ruleIndex < 0) return;
      const group: Record<string, string> = {};
      for (const g of c.groupBy) {
        const alias = c.aliases.get(g);
        const field = alias ? (alias.get(rule.name ?? '') ?? alias.get(rule.id ?? '') ?? g) : g;
        group[g] = fieldValue(event, field) ?? '';
      }
      const key = ci + '\u0001' + c.groupBy.map((g) => group[g]).join('\u0001');
      let state = this.groups.get(key);
      if (state)
        this.groups.delete(key); // re-insert: Map order is least recently updated first
      else state = { correlation: ci, key, group, entries: [], values: new Map() };
      this.groups.set(key, state);
      const value = c.field ? fieldValue(event, c.field) : undefined;
      // keep entries ordered by time even when events arrive out of order
      let at = state.entries.length;
      while (at > 0 && state.entries[at - 1]!.time > timeMs) at--;
      state.entries.splice(at, 0, { time: timeMs, rule: ruleIndex, value });
      this.entryCount++;
      if (value !== undefined) state.values.set(value, (state.values.get(value) ?? 0) + 1);
      const latest = state.entries[state.entries.length - 1]!.time;
      let drop = 0;
      while (drop < state.entries.length && latest - state.entries[drop]!.time > c.timespanMs)
        drop++;
      if (drop > 0) {
        for (let i = 0; i < drop; i++) {
          const old = state.entries[i]!.value;
          if (old === undefined) continue;
          const left = state.values.get(old)! - 1;
          if (left === 0) state.values.delete(old);
          else state.values.set(old, left);
        }
        state.entries.splice(0, drop);
        this.entryCount -= drop;
      }
      const measured = this.measure(c, state, value);
      if (measured !== undefined) {
        const entries = state.entries;
        alerts.push({
          correlation: c,
          group: { ...group },
          value: measured,
          firstMs: entries[0]!.time,
          lastMs: entries[entries.length - 1]!.time,
          events: entries.length,
        });
        this.entryCount -= entries.length;
        this.groups.delete(key);
        // chained correlations see this one as a matching rule on an event of its group fields
        this.feed({ id: c.id, name: c.name }, group, timeMs, alerts, depth + 1);
      }
    });
    this.enforceCap();
  }

  /** The value that meets the condition, or undefined when it does not hold. */
  private measure(
    c: CorrelationRule,
    state: Group,
    current: string | undefined,
  ): number | undefined {
    const entries = state.entries;
    let value: number;
    switch (c.type) {
      case 'event_count':
        value = entries.length;
        break;
      case 'value_count':
        // O(1): counted incrementally, so a long window from one noisy source costs nothing more
        value = state.values.size;
        break;
      case 'value_sum':
      case 'value_avg': {
        const numbers = entries.map((e) => Number(e.value)).filter((n) => Number.isFinite(n));
        if (numbers.length === 0) return undefined;
        const sum = numbers.reduce((a, b) => a + b, 0);
        value = c.type === 'value_sum' ? sum : sum / numbers.length;
        break;
      }
      case 'value_percentile': {
        if (current === undefined) return undefined;
        const same = entries.filter((e) => e.value === current).length;
        value = (100 * same) / entries.length;
        break;
      }
      case 'temporal': {
        value = new Set(entries.map((e) => e.rule)).size;
        if (c.condition.size === 0) return value === c.rules.length ? value : undefined;
        break;
      }
      case 'temporal_ordered': {
        let next = 0;
        for (const e of entries) if (e.rule === next) next++;
        value = next;
        if (c.condition.size === 0) return value === c.rules.length ? value : undefined;
        break;
      }
    }
    return holds(c.condition, value) ? value : undefined;
  }

  private enforceCap(): void {
    while (this.entryCount > this.maxEntries && this.groups.size > 0) {
      const oldest = this.groups.keys().next().value!;
      this.entryCount -= this.groups.get(oldest)!.entries.length;
      this.groups.delete(oldest);
      this.evictedGroups++;
    }
  }
}
