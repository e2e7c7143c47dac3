/**
 * Releasing an incident's containment (its host isolations) is a return to service, so it has
 * a checklist: the threat was eradicated, every restore succeeded, and something watches for
 * the threat's return. The release actions are queued only when every item holds, or when an
 * incident lead overrides with a written justification; either way the checklist as it stood
 * is kept with the release.
 */
export const RELEASE_CHECKLIST_ITEMS = [
  'eradication_done',
  'restore_verified',
  'monitoring_in_place',
] as const;
export type ReleaseChecklistItem = (typeof RELEASE_CHECKLIST_ITEMS)[number];

export interface ChecklistEntry {
  readonly item: ReleaseChecklistItem;
  readonly holds: boolean;
  readonly detail: string;
}

export interface ContainmentRelease {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly checklist: readonly ChecklistEntry[];
  readonly overrideJustification: string | null;
  /** The release actions queued, one per isolated host. */
  readonly actionIds: readonly string[];
  readonly releasedBy: string;
  readonly createdAt: number;
}

export interface ReleaseChecklistFacts {
  readonly phaseReachedEradicated: boolean;
  readonly openEradicationTasks: number;
  readonly restores: readonly { readonly status: string }[];
  /** Given when no restore is needed, with the reason. */
  readonly noRestoreReason: string | null;
  readonly rehuntChecks: number;
  readonly scheduledRehuntChecks: number;
}

export function releaseChecklist(facts: ReleaseChecklistFacts): ChecklistEntry[] {
  const eradicated = facts.phaseReachedEradicated && facts.openEradicationTasks === 0;
  const failed = facts.restores.filter((r) => r.status === 'failed').length;
  const pending = facts.restores.filter((r) => r.status === 'pending').length;
  const succeeded = facts.restores.filter((r) => r.status === 'succeeded').length;
  let restore: ChecklistEntry;
  if (facts.restores.length === 0) {
    restore = facts.noRestoreReason
      ? { item: 'restore_verified', holds: true, detail: `no restore: ${facts.noRestoreReason}` }
      : {
          item: 'restore_verified',
          holds: false,
          detail: 'no restore recorded (record one, or say why none is needed)',
        };
  } else {
    restore = {
      item: 'restore_verified',
      holds: failed === 0 && pending === 0,
      detail: `${succeeded} restores succeeded, ${failed} failed, ${pending} pending`,
    };
  }
  return [
    {
      item: 'eradication_done',
      holds: eradicated,
      detail: !facts.phaseReachedEradicated
        ? 'the incident has not reached eradicated'
        : facts.openEradicationTasks > 0
          ? `${facts.openEradicationTasks} eradication tasks not done`
          : 'eradicated',
    },
    restore,
    {
      item: 'monitoring_in_place',
      holds: facts.rehuntChecks > 0,
      detail:
        facts.rehuntChecks === 0
          ? 'no re-hunt check watches for the threat (add one)'
          : `${facts.rehuntChecks} re-hunt checks, ${facts.scheduledRehuntChecks} repeated on a schedule`,
    },
  ];
}
