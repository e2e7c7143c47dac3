/**
 * The incident changes that other use cases make inside their own transaction (live detection
 * opens incidents, records observables and links alerts while it stores the alerts), written
 * once so that `IncidentService` and they produce the same records and journal entries.
 */
import type { Incident, Severity } from '../incidents/incident.ts';
import type { Observable, ObservableKind } from '../incidents/incident-records.ts';
import { newId } from '../ports/id-generator.ts';
import type { TenantScope } from '../ports/store.ts';
import { requireTenantReferences } from '../tenants/tenant-references.ts';

export interface IncidentDraft {
  readonly title: string;
  readonly summary?: string;
  readonly severity: Severity;
  readonly assigneeUserId?: string | null;
  readonly firstActivityAt?: number | null;
  readonly affectedAssets?: readonly string[];
  readonly attackTechniques?: readonly string[];
  readonly origins?: Incident['origins'];
}

/** Inserts a new incident in the detected phase and journals `incident.created`. */
export async function openIncident(
  scope: TenantScope,
  draft: IncidentDraft,
  actor: string,
  now: number,
): Promise<Incident> {
  const incident: Incident = {
    id: newId(),
    tenantId: scope.tenantId,
    number: await scope.incidents.nextNumber(),
    title: draft.title,
    summary: draft.summary ?? '',
    severity: draft.severity,
    phase: 'detected',
    assigneeUserId: draft.assigneeUserId ?? null,
    affectedAssets: draft.affectedAssets ?? [],
    attackTechniques: draft.attackTechniques ?? [],
    origins: draft.origins ?? [],
    containmentNote: null,
    rootCause: null,
    scope: null,
    lessonsLearned: null,
    closureReason: null,
    duplicateOf: null,
    firstActivityAt: draft.firstActivityAt ?? null,
    phaseTimes: { detected: now },
    acknowledgedAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await scope.incidents.insert(incident);
  await scope.journal.append({
    actor,
    kind: 'incident.created',
    incidentId: incident.id,
    payload: { number: incident.number, title: incident.title, severity: incident.severity },
  });
  return incident;
}

/** Records (or widens) an observable on the incident and journals it. */
export async function recordObservable(
  scope: TenantScope,
  input: {
    readonly incidentId: string;
    readonly kind: ObservableKind;
    readonly value: string;
    readonly firstSeen: number;
    readonly lastSeen: number;
    readonly note?: string | null;
  },
  actor: string,
): Promise<Observable> {
  const observable = await scope.observables.upsert({
    id: newId(),
    tenantId: scope.tenantId,
    incidentId: input.incidentId,
    kind: input.kind,
    value: input.value,
    firstSeen: input.firstSeen,
    lastSeen: input.lastSeen,
    note: input.note ?? null,
  });
  await scope.journal.append({
    actor,
    kind: 'incident.observable_recorded',
    incidentId: input.incidentId,
    payload: { observableId: observable.id, kind: observable.kind, value: observable.value },
  });
  return observable;
}

/** Links an alert to the incident; journals it when the link is new. */
export async function recordAlertLink(
  scope: TenantScope,
  input: { readonly incidentId: string; readonly alertId: string },
  actor: string,
  now: number,
): Promise<boolean> {
  // issue 13 item 11: an incident could be linked to another tenant's alert, or to none.
  await requireTenantReferences(scope, { alertIds: [input.alertId] });
  const inserted = await scope.alertLinks.insert({
    tenantId: scope.tenantId,
    incidentId: input.incidentId,
    alertId: input.alertId,
    linkedAt: now,
    linkedBy: actor,
  });
  if (inserted) {
    await scope.journal.append({
      actor,
      kind: 'incident.alert_linked',
      incidentId: input.incidentId,
      payload: { alertId: input.alertId },
    });
  }
  return inserted;
}
