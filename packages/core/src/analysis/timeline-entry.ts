/**
 * One line of an incident's timeline: something that happened at a time — an alert, an event
 * behind an alert, a related event found by pivoting, an agent action's step, a note, a phase
 * transition, a piece of evidence. All kinds share one shape so they sort into one list.
 */

export const TIMELINE_KINDS = [
  'alert',
  'alert-event',
  'related-event',
  'action',
  'note',
  'transition',
  'evidence',
] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

export function isTimelineKind(value: string): value is TimelineKind {
  return (TIMELINE_KINDS as readonly string[]).includes(value);
}

export interface TimelineEntry {
  /** Epoch ms: event time for events, the record's time for the rest. */
  readonly at: number;
  readonly kind: TimelineKind;
  /** What it refers to: an event, alert, action, note, evidence id; the phase for transitions. */
  readonly refId: string;
  readonly title: string;
  readonly host: string | null;
  readonly user: string | null;
  /** Who did it, for records people and agents made. */
  readonly actor: string | null;
  /** A few kind-specific facts (rule, state, sha256, matched pivots …), small JSON. */
  readonly detail: Readonly<Record<string, unknown>>;
}

const KIND_ORDER = new Map(TIMELINE_KINDS.map((kind, index) => [kind, index]));

/** Time order; at the same millisecond, alerts before their events, then by id: stable. */
export function compareTimelineEntries(a: TimelineEntry, b: TimelineEntry): number {
  return (
    a.at - b.at ||
    (KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) ||
    (a.refId < b.refId ? -1 : a.refId > b.refId ? 1 : 0)
  );
}
