/**
 * A change record: what was changed in systems, hardware or processes so that the incident does
 * not happen again, why, by whom, and the finding it answers (the root cause, an ATT&CK
 * technique of the incident, or one of its observables) — the response's "turn what was learned
 * into real changes", kept with the incident so the *recovered* guard can ask for it.
 */
export const CHANGE_AREAS = ['system', 'hardware', 'process'] as const;
export type ChangeArea = (typeof CHANGE_AREAS)[number];

/** The finding a change answers. */
export type ChangeFinding =
  | { readonly kind: 'root_cause' }
  | { readonly kind: 'technique'; readonly techniqueId: string }
  | { readonly kind: 'observable'; readonly observableId: string };

export interface ChangeRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly area: ChangeArea;
  readonly title: string;
  readonly description: string;
  readonly reason: string;
  /** Who made the change (a person or team; not necessarily a Cordon user). */
  readonly changedBy: string;
  /** When the change was made, epoch ms. */
  readonly changedAt: number;
  readonly finding: ChangeFinding;
  /** The ATT&CK mitigation (Mxxxx) it implements, when it follows a suggestion. */
  readonly mitigationId: string | null;
  readonly recordedBy: string;
  readonly createdAt: number;
}
