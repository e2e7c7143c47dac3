/**
 * What live detection hands to triage: one rule (or correlation) firing on one event (or on a
 * window of events), with the entities it concerns and a way to read the event's fields for
 * suppressions.
 */
import type { AlertEntities, AlertExplanation, AlertLevel } from './alert.ts';
import type { FieldLookup } from './field-filter.ts';

export interface Detection {
  /** Sigma id, else name. */
  readonly ruleId: string;
  /** The rule's name, when it has one (suppressions may name it). */
  readonly ruleName: string | undefined;
  readonly ruleTitle: string;
  readonly level: AlertLevel;
  readonly tags: readonly string[];
  readonly source: 'server' | 'tenant';
  readonly entities: AlertEntities;
  /** Event time (epoch ms) of the first and last event. */
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly eventIds: readonly string[];
  /** Events behind it (a correlation counts its whole window). */
  readonly eventCount: number;
  /** Reads a field of the (last) event, for suppression conditions. */
  readonly lookup: FieldLookup;
  /** A behavioural detector's score, features and baseline (none for rules). */
  readonly explanation?: AlertExplanation;
}
