/** Rows ↔ domain objects. JSON columns are parsed here and nowhere else. */
import type {
  ApiToken,
  ClosureReason,
  Evidence,
  Incident,
  IncidentNote,
  IncidentTask,
  JournalCheckpoint,
  JournalEntry,
  Observable,
  ObservableKind,
  Phase,
  PhaseTransition,
  Role,
  Severity,
  TaskStatus,
  User,
} from '@cordon/core';
import type { Selectable } from 'kysely';
import type {
  ApiTokensTable,
  EvidenceTable,
  IncidentNotesTable,
  IncidentsTable,
  IncidentTasksTable,
  JournalCheckpointsTable,
  JournalEntriesTable,
  ObservablesTable,
  PhaseTransitionsTable,
  UsersTable,
} from '../database/schema.ts';

export const toJson = (value: unknown): string => JSON.stringify(value ?? null);
const fromJson = <T>(text: string): T => JSON.parse(text) as T;

export function userFromRow(row: Selectable<UsersTable>): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    platformAdmin: row.platform_admin === 1,
    disabled: row.disabled === 1,
    createdAt: row.created_at,
  };
}

export function tokenFromRow(row: Selectable<ApiTokensTable>): ApiToken {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    role: row.role as Role,
    name: row.name,
    createdBy: row.created_by,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

export function incidentFromRow(row: Selectable<IncidentsTable>): Incident {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    number: row.number,
    title: row.title,
    summary: row.summary,
    severity: row.severity as Severity,
    phase: row.phase as Phase,
    assigneeUserId: row.assignee_user_id,
    affectedAssets: fromJson(row.affected_assets),
    attackTechniques: fromJson(row.attack_techniques),
    origins: fromJson(row.origins),
    containmentNote: row.containment_note,
    rootCause: row.root_cause,
    scope: row.scope,
    lessonsLearned: row.lessons_learned,
    closureReason: row.closure_reason as ClosureReason | null,
    duplicateOf: row.duplicate_of,
    firstActivityAt: row.first_activity_at,
    phaseTimes: fromJson(row.phase_times),
    acknowledgedAt: row.acknowledged_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function incidentToRow(incident: Incident): Selectable<IncidentsTable> {
  return {
    id: incident.id,
    tenant_id: incident.tenantId,
    number: incident.number,
    ...incidentChangesToRow(incident),
    created_at: incident.createdAt,
  } as Selectable<IncidentsTable>;
}

const incidentColumns: Record<string, [keyof IncidentsTable, boolean]> = {
  title: ['title', false],
  summary: ['summary', false],
  severity: ['severity', false],
  phase: ['phase', false],
  assigneeUserId: ['assignee_user_id', false],
  affectedAssets: ['affected_assets', true],
  attackTechniques: ['attack_techniques', true],
  origins: ['origins', true],
  containmentNote: ['containment_note', false],
  rootCause: ['root_cause', false],
  scope: ['scope', false],
  lessonsLearned: ['lessons_learned', false],
  closureReason: ['closure_reason', false],
  duplicateOf: ['duplicate_of', false],
  firstActivityAt: ['first_activity_at', false],
  phaseTimes: ['phase_times', true],
  acknowledgedAt: ['acknowledged_at', false],
  updatedAt: ['updated_at', false],
};

export function incidentChangesToRow(
  changes: Partial<Incident>,
): Partial<Selectable<IncidentsTable>> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(changes)) {
    const column = incidentColumns[key];
    if (!column || value === undefined) continue;
    row[column[0]] = column[1] ? toJson(value) : value;
  }
  return row;
}

export function noteFromRow(row: Selectable<IncidentNotesTable>): IncidentNote {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    incidentId: row.incident_id,
    author: row.author,
    body: row.body,
    createdAt: row.created_at,
  };
}

export function observableFromRow(row: Selectable<ObservablesTable>): Observable {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    incidentId: row.incident_id,
    kind: row.kind as ObservableKind,
    value: row.value,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    note: row.note,
  };
}

export function taskFromRow(row: Selectable<IncidentTasksTable>): IncidentTask {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    incidentId: row.incident_id,
    phase: row.phase as Phase,
    title: row.title,
    status: row.status as TaskStatus,
    createdAt: row.created_at,
    completedAt: row.completed_at,
    completedBy: row.completed_by,
    waiverReason: row.waiver_reason ?? null,
  };
}

export function transitionFromRow(row: Selectable<PhaseTransitionsTable>): PhaseTransition {
  return {
    tenantId: row.tenant_id,
    incidentId: row.incident_id,
    from: row.from_phase,
    to: row.to_phase,
    at: row.at,
    actor: row.actor,
    overrideJustification: row.override_justification,
    unmetConditions: fromJson(row.unmet_conditions),
  };
}

export function evidenceFromRow(row: Selectable<EvidenceTable>): Evidence {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    incidentId: row.incident_id,
    sha256: row.sha256,
    size: row.size,
    filename: row.filename,
    mediaType: row.media_type,
    description: row.description,
    collectedBy: row.collected_by,
    collectedFrom: row.collected_from,
    collectedAt: row.collected_at,
    method: row.method,
    uploadedBy: row.uploaded_by,
    createdAt: row.created_at,
  };
}

export function journalEntryFromRow(row: Selectable<JournalEntriesTable>): JournalEntry {
  return {
    tenantId: row.tenant_id,
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    kind: row.kind,
    incidentId: row.incident_id,
    payload: fromJson(row.payload),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

export function checkpointFromRow(row: Selectable<JournalCheckpointsTable>): JournalCheckpoint {
  return {
    tenantId: row.tenant_id,
    seq: row.seq,
    hash: row.hash,
    at: row.at,
    keyId: row.key_id,
    signature: row.signature,
    chain:
      row.number === null || row.entries === null || row.prev_checkpoint_hash === null
        ? null
        : { number: row.number, entries: row.entries, prevHash: row.prev_checkpoint_hash },
  };
}
