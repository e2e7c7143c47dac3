/**
 * Rules after parsing and schema validation, before compilation. The three kinds of Sigma
 * documents (detection rules, correlation rules, filters) share their metadata.
 */
import type { YamlValue } from '../yaml/parse-yaml-documents.ts';

export interface LogSource {
  readonly product?: string;
  readonly category?: string;
  readonly service?: string;
}

export type SigmaLevel = 'informational' | 'low' | 'medium' | 'high' | 'critical';
export const SIGMA_LEVELS: readonly SigmaLevel[] = [
  'informational',
  'low',
  'medium',
  'high',
  'critical',
];

export interface RuleMeta {
  /** Where the rule came from (a path, or whatever name the caller gave the text). */
  readonly file: string;
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly title: string;
  readonly level: SigmaLevel | undefined;
  readonly status: string | undefined;
  readonly tags: readonly string[];
}

export interface DetectionRule extends RuleMeta {
  readonly kind: 'detection';
  readonly logsource: LogSource;
  /** Search identifiers → their definition (map, list of maps, or keyword list). */
  readonly detection: Readonly<Record<string, YamlValue>>;
  /** One or more condition expressions, joined with OR. */
  readonly conditions: readonly string[];
}

export type CorrelationType =
  | 'event_count'
  | 'value_count'
  | 'temporal'
  | 'temporal_ordered'
  | 'value_sum'
  | 'value_avg'
  | 'value_percentile';

export const CORRELATION_TYPES: readonly CorrelationType[] = [
  'event_count',
  'value_count',
  'temporal',
  'temporal_ordered',
  'value_sum',
  'value_avg',
  'value_percentile',
];

export type ConditionOperator = 'gt' | 'gte' | 'lt' | 'lte' | 'eq' | 'neq';

export interface CorrelationRule extends RuleMeta {
  readonly kind: 'correlation';
  readonly type: CorrelationType;
  /** Referenced rules, by id or name. */
  readonly rules: readonly string[];
  readonly groupBy: readonly string[];
  /** Window length in milliseconds. */
  readonly timespanMs: number;
  /** Threshold condition; for temporal types an optional `gte` count of distinct rules. */
  readonly condition: ReadonlyMap<ConditionOperator, number>;
  /** Field counted / summed / averaged (value_* types). */
  readonly field: string | undefined;
  /** Percentile rank for value_percentile (the spec's `condition.percentile`)… */
  readonly percentile: number | undefined;
  /** Alias name → rule reference → field name in that rule's events. */
  readonly aliases: ReadonlyMap<string, ReadonlyMap<string, string>>;
  readonly generate: boolean;
}

export interface FilterRule extends RuleMeta {
  readonly kind: 'filter';
  readonly logsource: LogSource;
  /** Rules the filter applies to, by id or name. */
  readonly rules: readonly string[];
  readonly detection: Readonly<Record<string, YamlValue>>;
  readonly condition: string;
}

export type SigmaDocument = DetectionRule | CorrelationRule | FilterRule;

/** A rule (or document) that could not be used, with the reason a rule author would read. */
export interface RejectedRule {
  readonly file: string;
  readonly id: string | undefined;
  readonly title?: string | undefined;
  readonly reason: string;
}
