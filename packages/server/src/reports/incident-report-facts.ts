/**
 * Everything an incident report says, read in one transaction so the report is one consistent
 * snapshot: the incident, its identification facts, containment decisions and actions, tasks,
 * notes, evidence with the journal entries that are its custody, recovery changes and restores,
 * verification checks and runs, the closing review, and the incident's journal entries. Sizes
 * are bounded; a list cut short says so in the report.
 */
import type {
  ChangeRecord,
  ClosingReview,
  ContainmentAction,
  ContainmentDecisionRecord,
  Evidence,
  IdentificationFact,
  Incident,
  IncidentNote,
  IncidentTask,
  JournalCheckpoint,
  JournalEntry,
  RestoreRecord,
  Store,
  VerificationCheck,
  VerificationRun,
} from '@cordon/core';
import { notFound } from '@cordon/core';

export const REPORT_LIST_LIMIT = 2_000;

export interface IncidentReportFacts {
  readonly tenantName: string;
  readonly incident: Incident;
  readonly identification: readonly IdentificationFact[];
  readonly decisions: readonly ContainmentDecisionRecord[];
  readonly actions: readonly ContainmentAction[];
  readonly tasks: readonly IncidentTask[];
  readonly notes: readonly IncidentNote[];
  readonly evidence: readonly Evidence[];
  readonly changes: readonly ChangeRecord[];
  readonly restores: readonly RestoreRecord[];
  readonly checks: readonly VerificationCheck[];
  readonly runs: readonly VerificationRun[];
  readonly review: ClosingReview | null;
  /** The incident's journal entries, oldest first (at most REPORT_LIST_LIMIT). */
  readonly journal: readonly JournalEntry[];
  readonly journalTruncated: boolean;
  readonly head: { readonly seq: number; readonly hash: string } | null;
  readonly checkpoint: JournalCheckpoint | null;
}

export async function readIncidentReportFacts(
  store: Store,
  tenantId: string,
  incidentId: string,
): Promise<IncidentReportFacts> {
  return store.transaction(async (uow) => {
    const scope = uow.forTenant(tenantId);
    const incident = await scope.incidents.get(incidentId);
    const tenant = await uow.tenants.get(tenantId);
    if (!incident || !tenant) throw notFound('incident');
    const journal = await scope.journal.list({ incidentId }, REPORT_LIST_LIMIT + 1);
    const evidence = await scope.evidence.list({ incidentId }, { limit: 500, offset: 0 });
    return {
      tenantName: tenant.name,
      incident,
      identification: await scope.identification.list(incidentId),
      decisions: await scope.containment.decisions.list(incidentId),
      actions: (await scope.containment.actions.list({ incidentId }, 500)).reverse(),
      tasks: await scope.tasks.list(incidentId),
      notes: await scope.notes.list(incidentId),
      evidence: evidence.items,
      changes: await scope.recovery.changes.list(incidentId),
      restores: await scope.recovery.restores.list(incidentId),
      checks: await scope.recovery.checks.list(incidentId),
      runs: await scope.recovery.runs.list({ incidentId }, 200),
      review: (await scope.recovery.reviews.get(incidentId)) ?? null,
      journal: journal.slice(0, REPORT_LIST_LIMIT),
      journalTruncated: journal.length > REPORT_LIST_LIMIT,
      head: (await scope.journal.head()) ?? null,
      checkpoint: (await scope.journal.latestCheckpoint()) ?? null,
    };
  });
}
