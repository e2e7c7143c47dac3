/**
 * One behavioural detector: a small stateful module fed events of one tenant in arrival
 * order, that emits scored findings and can snapshot its state (bounded by fixed caps, so a
 * snapshot is bounded too) and restore it after a restart. Thresholds are plain numbers with
 * documented defaults; a tenant overrides any of them.
 */
import type { AlertEntities, AlertLevel } from '@cordon/core';
import type { DetectorEvent } from './detector-event.ts';

export type ExplanationValue = number | string | readonly string[];

/** What a detector found, before it becomes a detection for triage. */
export interface DetectorFinding {
  /** What was watched (a pair, a host, a user): the allow-list key. */
  readonly key: string;
  readonly title: string;
  readonly level: AlertLevel;
  /** Sigma-style tags: `attack.<tactic>`, `attack.tNNNN`. */
  readonly tags: readonly string[];
  readonly score: number;
  readonly threshold: number;
  readonly summary: string;
  readonly features: Readonly<Record<string, ExplanationValue>>;
  readonly baseline: Readonly<Record<string, ExplanationValue>>;
  readonly entities: AlertEntities;
  readonly firstSeen: number;
  readonly lastSeen: number;
  readonly eventIds: readonly string[];
  readonly eventCount: number;
}

export interface Detector {
  readonly name: string;
  observe(event: DetectorEvent, emit: (finding: DetectorFinding) => void): void;
  /** Plain data (JSON-safe) that `restore` accepts. */
  snapshot(): unknown;
  restore(state: unknown): void;
  /** Entries held now, across its bounded maps. */
  entries(): number;
  /** Entries dropped to stay within the caps, since start. */
  evictions(): number;
}

/** A detector kind: its name, what it watches for, its thresholds and how to build one. */
export interface DetectorKind<T extends Readonly<Record<string, number>>> {
  readonly name: string;
  readonly description: string;
  readonly defaults: T;
  /** One line per threshold, for the API and the README. */
  readonly documentation: Readonly<Record<keyof T & string, string>>;
  create(thresholds: T): Detector;
}

export const entities = (parts: Partial<AlertEntities>): AlertEntities => ({
  hosts: parts.hosts ?? [],
  users: parts.users ?? [],
  sourceIps: parts.sourceIps ?? [],
  ips: parts.ips ?? [],
});

/** Event ids a finding keeps (the alert keeps at most 50 anyway). */
export const FINDING_EVENT_IDS = 20;

/** Appends, dropping the oldest beyond `cap`. */
export function pushBounded<T>(list: T[], value: T, cap = FINDING_EVENT_IDS): void {
  if (list.length >= cap) list.shift();
  list.push(value);
}
