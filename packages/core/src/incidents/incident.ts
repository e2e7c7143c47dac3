/**
 * An incident and the facts its phases collect. The phases are the lifecycle of
 * ARCHITECTURE.md, in order; `phaseTimes` keeps when each was entered, from which the
 * response metrics come.
 */
export const PHASES = [
  'detected',
  'identified',
  'contained',
  'analysed',
  'eradicated',
  'recovered',
  'verified',
  'closed',
] as const;
export type Phase = (typeof PHASES)[number];

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CLOSURE_REASONS = ['resolved', 'false_positive', 'duplicate'] as const;
export type ClosureReason = (typeof CLOSURE_REASONS)[number];

export type OriginScope = 'internal' | 'external' | 'unknown';

export interface IncidentOrigin {
  readonly address: string;
  readonly scope: OriginScope;
  readonly note?: string;
}

export interface Incident {
  readonly id: string;
  readonly tenantId: string;
  /** Per-tenant number shown to people (INC-42). */
  readonly number: number;
  readonly title: string;
  readonly summary: string;
  readonly severity: Severity;
  readonly phase: Phase;
  readonly assigneeUserId: string | null;
  /** Host names or asset ids affected. */
  readonly affectedAssets: readonly string[];
  /** MITRE ATT&CK technique or tactic ids, e.g. T1110.001. */
  readonly attackTechniques: readonly string[];
  readonly origins: readonly IncidentOrigin[];
  /** What containment did, or why it was decided not to contain. */
  readonly containmentNote: string | null;
  readonly rootCause: string | null;
  readonly scope: string | null;
  readonly lessonsLearned: string | null;
  readonly closureReason: ClosureReason | null;
  readonly duplicateOf: string | null;
  /** When the malicious activity first happened (earliest event), if known. Epoch ms. */
  readonly firstActivityAt: number | null;
  /** Epoch ms when each phase was entered. */
  readonly phaseTimes: Readonly<Partial<Record<Phase, number>>>;
  readonly acknowledgedAt: number | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

export function isPhase(value: string): value is Phase {
  return (PHASES as readonly string[]).includes(value);
}

export function phaseIndex(phase: Phase): number {
  return PHASES.indexOf(phase);
}

export function formatIncidentNumber(incident: Pick<Incident, 'number'>): string {
  return `INC-${incident.number}`;
}
