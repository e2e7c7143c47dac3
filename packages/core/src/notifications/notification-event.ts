/**
 * The events a tenant can route, and the journal entries each is read from. Routing reads the
 * journal, so a service that journals a new kind needs no code here: a rule may name journal
 * kinds directly (`kinds`), and the table below gives the named events of issue 16.
 */
import type { JournalEntry } from '../journal/journal-entry.ts';
import { SEVERITIES } from '../incidents/incident.ts';

export const NOTIFICATION_EVENTS = [
  'incident_opened',
  'severity_raised',
  'approval_needed',
  'sla_at_risk',
  'sla_breached',
  'regulatory_deadline_near',
  'regulatory_deadline_missed',
  'containment_applied',
  'containment_failed',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

/** Journal kinds of each event (as the services journal them). */
export const EVENT_KINDS: { readonly [E in NotificationEvent]: readonly string[] } = {
  incident_opened: ['incident.created'],
  severity_raised: ['incident.updated'],
  // Every requested action is journalled; the router keeps those still waiting for approval.
  approval_needed: ['action.requested', 'action.approval-recorded'],
  sla_at_risk: ['sla.at_risk'],
  sla_breached: ['sla.breached'],
  regulatory_deadline_near: ['regulatory.deadline_near'],
  regulatory_deadline_missed: ['regulatory.deadline_missed'],
  containment_applied: ['action.applied', 'containment.failover-confirmed'],
  containment_failed: ['action.failed', 'action.rolled-back', 'containment.failover-failed'],
};

/** The notification subsystem's own entries are never routed (no loops). */
export const isOwnKind = (kind: string): boolean => kind.startsWith('notification.');

export const severityRank = (severity: unknown): number =>
  (SEVERITIES as readonly unknown[]).indexOf(severity);

/** The severity an `incident.updated` entry set, if it set one. */
export function severitySet(entry: JournalEntry): string | undefined {
  if (entry.kind !== 'incident.updated') return undefined;
  const changes = (entry.payload as { changes?: { severity?: unknown } } | null)?.changes;
  return typeof changes?.severity === 'string' ? changes.severity : undefined;
}

/** The severity an incident had before `entry`, from its earlier entries (oldest first). */
export function severityBefore(entry: JournalEntry, earlier: readonly JournalEntry[]): unknown {
  let severity: unknown;
  for (const e of earlier) {
    if (e.seq >= entry.seq) break;
    if (e.kind === 'incident.created') severity = (e.payload as { severity?: unknown }).severity;
    severity = severitySet(e) ?? severity;
  }
  return severity;
}
