/**
 * The closed vocabularies the console lists in menus (phases, severities, alert statuses …).
 * The values are the protocol's; `exhaustive` fails to compile if protocol adds or drops one,
 * so the lists cannot drift from the API.
 */
import type {
  ActionState,
  AlertLevelValue,
  AlertStatusValue,
  ObservableKindValue,
  Phase,
  Severity,
} from './api-types.ts';

type Exhaustive<Union, List extends readonly Union[]> = [Exclude<Union, List[number]>] extends [
  never,
]
  ? List
  : { missing: Exclude<Union, List[number]> };

function exhaustive<Union>() {
  return <const List extends readonly Union[]>(list: List & Exhaustive<Union, List>): List => list;
}

export const PHASES = exhaustive<Phase>()([
  'detected',
  'identified',
  'contained',
  'analysed',
  'eradicated',
  'recovered',
  'verified',
  'closed',
]);
export const SEVERITIES = exhaustive<Severity>()(['critical', 'high', 'medium', 'low']);
export const ALERT_STATUSES = exhaustive<AlertStatusValue>()([
  'open',
  'acknowledged',
  'closed',
  'suppressed',
]);
export const ALERT_LEVELS = exhaustive<AlertLevelValue>()([
  'critical',
  'high',
  'medium',
  'low',
  'informational',
]);
export const OBSERVABLE_KINDS = exhaustive<ObservableKindValue>()([
  'ip',
  'domain',
  'url',
  'file_hash',
  'user',
  'host',
]);
export const ACTION_STATES = exhaustive<ActionState>()([
  'requested',
  'approved',
  'sent',
  'applied',
  'failed',
  'rolled-back',
  'reverted',
]);

export function isPhase(value: string | null): value is Phase {
  return value !== null && (PHASES as readonly string[]).includes(value);
}
export function isSeverity(value: string | null): value is Severity {
  return value !== null && (SEVERITIES as readonly string[]).includes(value);
}
export function isAlertStatus(value: string | null): value is AlertStatusValue {
  return value !== null && (ALERT_STATUSES as readonly string[]).includes(value);
}

export const SEVERITY_COLOR: Readonly<Record<Severity | AlertLevelValue, string>> = {
  critical: 'red',
  high: 'orange',
  medium: 'yellow',
  low: 'blue',
  informational: 'gray',
};

export const PHASE_LABEL: Readonly<Record<Phase, string>> = {
  detected: 'Detected',
  identified: 'Identified',
  contained: 'Contained',
  analysed: 'Analysed',
  eradicated: 'Eradicated',
  recovered: 'Recovered',
  verified: 'Verified',
  closed: 'Closed',
};
