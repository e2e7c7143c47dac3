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
  /** Arrival order: breaks ties between equal times, as the window orders them. */
  readonly seq: number;
  /** Index of the referenced rule within the correlation's `rules`. */
  readonly rule: number;
  readonly value: string | undefined;
  /** `Number(value)`: counted by value_sum and value_avg when finite. */
  readonly number: number;
}

/**
 * A group's sliding window with its measures kept up to date as entries come and go, so that
 * each event costs O(log n) whatever the window holds: an attacker flooding one group cannot
 * make detection quadratic.
 */
interface Group {
  readonly correlation: number;
  readonly key: string;
  readonly group: Record<string, string>;
  /** The window: entries[head…] in (time, arrival) order. */
  entries: Entry[];
  head: number;
  /** How many window entries hold each value (value_count, value_percentile). */
  readonly values: Map<string, number>;
  /** value_sum, value_avg: the finite numbers of the window. */
  sum: number;
  numbers: number;
  /** temporal: window entries per referenced rule, and how many rules have some. */
  readonly ruleCounts: Int32Array;
  distinctRules: number;
  /** temporal_ordered: the window's entries per referenced rule, each list from its head. */
  readonly byRule: { entries: Entry[]; head: number }[] | undefined;
}

/** Entries of `list` from `from` are sorted by (time, seq); the first index after `entry`'s place. */
function upperBound(list: readonly Entry[], from: number, time: number, seq: number): number {
  let lo = from;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const e = list[mid]!;
    if (e.time < time || (e.time === time && e.seq <= seq)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Inserts in order (the common case, in time order, is a push). */
function insertSorted(list: Entry[], from: number, entry: Entry): void {
  const last = list[list.length - 1];
  if (list.length === from || last!.time <= entry.time) list.push(entry);
  else list.splice(upperBound(list, from, entry.time, entry.seq), 0, entry);
}

/** Drops list[head…] entries already consumed, once they are the larger part. */
function compact<T extends { entries: Entry[]; head: number }>(holder: T): void {
  if (holder.head > 64 && holder.head * 2 > holder.entries.length) {
    holder.entries = holder.entries.slice(holder.head);
    holder.head = 0;
  }
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

/**
 * A group-by or value field of an event as correlations read it: an own field of that name,
 * else a dotted path into nested objects (`source.ip`).
 */
export function fieldValue(event: SigmaEvent, field: string): string | undefined {
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

function addToMeasures(state: Group, entry: Entry): void {
  if (entry.value !== undefined)
    state.values.set(entry.value, (state.values.get(entry.value) ?? 0) + 1);
  if (Number.isFinite(entry.number)) {
    state.sum += entry.number;
    state.numbers++;
  }
  if (state.ruleCounts[entry.rule]!++ === 0) state.distinctRules++;
}

function removeFromMeasures(state: Group, entry: Entry): void {
  if (entry.value !== undefined) {
    const left = state.values.get(entry.value)! - 1;
    if (left === 0) state.values.delete(entry.value);
    else state.values.set(entry.value, left);
  }
  if (Number.isFinite(entry.number)) {
    state.numbers--;
    // An empty window sums to exactly 0 (no rounding left over from additions and removals).
    state.sum = state.numbers === 0 ? 0 : state.sum - entry.number;
  }
  if (--state.ruleCounts[entry.rule]! === 0) state.distinctRules--;
  if (state.byRule) {
    // The window loses its first entry, which is also the first of its rule's list.
    const list = state.byRule[entry.rule]!;
    list.head++;
    compact(list);
  }
}

/**
 * temporal_ordered: how many of the rules, in their order, occur one after another in the
 * window (rule 0, then a later rule 1, …): greedy, the earliest fitting entry of each rule.
 */
function orderedPrefix(byRule: readonly { entries: Entry[]; head: number }[]): number {
  let time = -Infinity;
  let seq = -1;
  for (let i = 0; i < byRule.length; i++) {
    const list = byRule[i]!;
    const at = upperBound(list.entries, list.head, time, seq);
    if (at >= list.entries.length) return i;
    const e = list.entries[at]!;
    time = e.time;
    seq = e.seq;
  }
  return byRule.length;
}

export class CorrelationEngine {
  readonly correlations: readonly CorrelationRule[];
  /** Correlations whose references cannot be resolved. */
  readonly rejected: readonly RejectedRule[];
  private readonly groups = new Map<string, Group>();
  /** Rule id or name → the correlations that reference it (index, position in `rules`). */
  private readonly byReference = new Map<string, { correlation: number; rule: number }[]>();
  /**
   * Per correlation, the `observe` call in which it last fired: each fires at most once per
   * observed event, so chains that fan out (every correlation of a level counting every one
   * of the level below) cost the number of correlations, not width^depth feeds.
   */
  private firedIn = new Int32Array(0);
  private observation = 0;
  private readonly maxEntries: number;
  private entryCount = 0;
  /** Groups dropped because the memory cap was reached. */
  evictedGroups = 0;
  private seq = 0;

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
    accepted.forEach((c, correlation) => {
      c.rules.forEach((ref, rule) => {
        const list = this.byReference.get(ref) ?? [];
        // the first position of a reference is the one that counts (as findIndex found it)
        if (!list.some((e) => e.correlation === correlation)) list.push({ correlation, rule });
        this.byReference.set(ref, list);
      });
    });
    this.firedIn = new Int32Array(accepted.length);
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
    if (++this.observation === 0x7fffffff) {
      this.observation = 1;
      this.firedIn.fill(0);
    }
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
    const targets = this.referencing(rule);
    for (const { correlation: ci, rule: ruleIndex } of targets) {
      const c = this.correlations[ci]!;
      if (this.firedIn[ci] === this.observation) continue;
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
      else {
        state = {
          correlation: ci,
          key,
          group,
          entries: [],
          head: 0,
          values: new Map(),
          sum: 0,
          numbers: 0,
          ruleCounts: new Int32Array(c.rules.length),
          distinctRules: 0,
          byRule:
            c.type === 'temporal_ordered'
              ? c.rules.map(() => ({ entries: [] as Entry[], head: 0 }))
              : undefined,
        };
      }
      this.groups.set(key, state);
      const value = c.field ? fieldValue(event, c.field) : undefined;
      const entry: Entry = {
        time: timeMs,
        seq: this.seq++,
        rule: ruleIndex,
        value,
        number: value === undefined ? NaN : Number(value),
      };
      // Kept ordered by time even when events arrive out of order.
      insertSorted(state.entries, state.head, entry);
      if (state.byRule) {
        const list = state.byRule[ruleIndex]!;
        insertSorted(list.entries, list.head, entry);
      }
      this.entryCount++;
      addToMeasures(state, entry);
      const entries = state.entries;
      const latest = entries[entries.length - 1]!.time;
      while (state.head < entries.length && latest - entries[state.head]!.time > c.timespanMs) {
        const old = entries[state.head]!;
        state.head++;
        this.entryCount--;
        removeFromMeasures(state, old);
      }
      compact(state);
      const measured = this.measure(c, state, value);
      if (measured !== undefined) {
        const size = state.entries.length - state.head;
        alerts.push({
          correlation: c,
          group: { ...group },
          value: measured,
          firstMs: state.entries[state.head]!.time,
          lastMs: state.entries[state.entries.length - 1]!.time,
          events: size,
        });
        this.entryCount -= size;
        this.groups.delete(key);
        this.firedIn[ci] = this.observation;
        // chained correlations see this one as a matching rule on an event of its group fields
        this.feed({ id: c.id, name: c.name }, group, timeMs, alerts, depth + 1);
      }
    }
    this.enforceCap();
  }

  /** The correlations referencing `rule` (by id or name), in the order they were given. */
  private referencing(rule: RuleReference): readonly { correlation: number; rule: number }[] {
    const byId = rule.id === undefined ? undefined : this.byReference.get(rule.id);
    const byName = rule.name === undefined ? undefined : this.byReference.get(rule.name);
    if (!byName || byName === byId) return byId ?? [];
    if (!byId) return byName;
    // referenced both ways: once each, in correlation order, at the first position either names
    const merged = new Map<number, number>();
    for (const e of [...byId, ...byName]) {
      const seen = merged.get(e.correlation);
      if (seen === undefined || e.rule < seen) merged.set(e.correlation, e.rule);
    }
    return [...merged]
      .sort((a, b) => a[0] - b[0])
      .map(([correlation, r]) => ({ correlation, rule: r }));
  }

  /** The value that meets the condition, or undefined when it does not hold. O(k log n). */
  private measure(
    c: CorrelationRule,
    state: Group,
    current: string | undefined,
  ): number | undefined {
    const size = state.entries.length - state.head;
    let value: number;
    switch (c.type) {
      case 'event_count':
        value = size;
        break;
      case 'value_count':
        value = state.values.size;
        break;
      case 'value_sum':
      case 'value_avg': {
        if (state.numbers === 0) return undefined;
        value = c.type === 'value_sum' ? state.sum : state.sum / state.numbers;
        break;
      }
      case 'value_percentile': {
        if (current === undefined) return undefined;
        value = (100 * (state.values.get(current) ?? 0)) / size;
        break;
      }
      case 'temporal': {
        value = state.distinctRules;
        if (c.condition.size === 0) return value === c.rules.length ? value : undefined;
        break;
      }
      case 'temporal_ordered': {
        value = orderedPrefix(state.byRule!);
        if (c.condition.size === 0) return value === c.rules.length ? value : undefined;
        break;
      }
    }
    return holds(c.condition, value) ? value : undefined;
  }

  private enforceCap(): void {
    while (this.entryCount > this.maxEntries && this.groups.size > 0) {
      const oldest = this.groups.keys().next().value!;
      const dropped = this.groups.get(oldest)!;
      this.entryCount -= dropped.entries.length - dropped.head;
      this.groups.delete(oldest);
      this.evictedGroups++;
    }
  }
}
