/**
 * Tenant-scoped repositories. Each is built for one tenant and every statement it issues has
 * `tenant_id = <that tenant>` in its WHERE clause (or in the row it inserts): an id from
 * another tenant simply finds nothing.
 */
import type {
  AlertLink,
  AlertLinkRepository,
  ApiToken,
  BoundedPage,
  Evidence,
  EvidenceRepository,
  Incident,
  IncidentChanges,
  IncidentFilter,
  IncidentNote,
  IncidentRepository,
  IncidentTask,
  Membership,
  MembershipRepository,
  NoteRepository,
  Observable,
  ObservableKind,
  ObservableRepository,
  Page,
  PhaseTransition,
  Role,
  TaskRepository,
  TaskStatus,
  TenantTokenRepository,
  TransitionRepository,
} from '@cordon/core';
import { newId } from '@cordon/core';
import type { Kysely } from 'kysely';
import { boundedCount } from './bounded-count.ts';
import type { CordonDatabase } from '../database/schema.ts';
import {
  evidenceFromRow,
  incidentChangesToRow,
  incidentFromRow,
  incidentToRow,
  noteFromRow,
  observableFromRow,
  taskFromRow,
  toJson,
  tokenFromRow,
  transitionFromRow,
} from './row-mappers.ts';

type Db = Kysely<CordonDatabase>;

abstract class TenantScoped {
  protected readonly db: Db;
  protected readonly tenantId: string;
  constructor(db: Db, tenantId: string) {
    this.db = db;
    this.tenantId = tenantId;
  }
}

export class KyselyIncidentRepository extends TenantScoped implements IncidentRepository {
  async nextNumber(): Promise<number> {
    const row = await this.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.max('number').as('n'))
      .where('tenant_id', '=', this.tenantId)
      .executeTakeFirst();
    return Number(row?.n ?? 0) + 1;
  }
  async insert(incident: Incident): Promise<void> {
    await this.db
      .insertInto('incidents')
      .values({ ...incidentToRow(incident), tenant_id: this.tenantId })
      .execute();
  }
  async get(id: string): Promise<Incident | undefined> {
    const row = await this.db
      .selectFrom('incidents')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && incidentFromRow(row);
  }
  async list(filter: IncidentFilter, page: Page): Promise<BoundedPage<Incident>> {
    let query = this.db.selectFrom('incidents').where('tenant_id', '=', this.tenantId);
    if (filter.phase) query = query.where('phase', '=', filter.phase);
    if (filter.severity) query = query.where('severity', '=', filter.severity);
    if (filter.createdFrom !== undefined)
      query = query.where('created_at', '>=', filter.createdFrom);
    if (filter.createdTo !== undefined) query = query.where('created_at', '<', filter.createdTo);
    const counted = await boundedCount(this.db, query);
    const after = page.after;
    if (after) {
      const number = Number(after.tie);
      query = query
        .where('created_at', '<=', after.at)
        .where((eb) =>
          eb.or([
            eb('created_at', '<', after.at),
            eb.and([eb('created_at', '=', after.at), eb('number', '<', number)]),
          ]),
        );
    }
    const rows = await query
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('number', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { ...counted, items: rows.map(incidentFromRow) };
  }
  async update(id: string, changes: IncidentChanges): Promise<void> {
    await this.db
      .updateTable('incidents')
      .set(incidentChangesToRow(changes))
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
}

export class KyselyNoteRepository extends TenantScoped implements NoteRepository {
  async insert(note: IncidentNote): Promise<void> {
    await this.db
      .insertInto('incident_notes')
      .values({
        id: note.id,
        tenant_id: this.tenantId,
        incident_id: note.incidentId,
        author: note.author,
        body: note.body,
        created_at: note.createdAt,
      })
      .execute();
  }
  async list(incidentId: string): Promise<IncidentNote[]> {
    const rows = await this.db
      .selectFrom('incident_notes')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(noteFromRow);
  }
}

export class KyselyObservableRepository extends TenantScoped implements ObservableRepository {
  async upsert(observable: Observable): Promise<Observable> {
    const existing = await this.findByKindValue(
      observable.incidentId,
      observable.kind,
      observable.value,
    );
    if (!existing) {
      await this.db
        .insertInto('observables')
        .values({
          id: observable.id,
          tenant_id: this.tenantId,
          incident_id: observable.incidentId,
          kind: observable.kind,
          value: observable.value,
          first_seen: observable.firstSeen,
          last_seen: observable.lastSeen,
          note: observable.note,
        })
        .execute();
      return observable;
    }
    const merged: Observable = {
      ...existing,
      firstSeen: Math.min(existing.firstSeen, observable.firstSeen),
      lastSeen: Math.max(existing.lastSeen, observable.lastSeen),
      note: observable.note ?? existing.note,
    };
    await this.db
      .updateTable('observables')
      .set({ first_seen: merged.firstSeen, last_seen: merged.lastSeen, note: merged.note })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', existing.id)
      .execute();
    return merged;
  }
  async list(incidentId: string): Promise<Observable[]> {
    const rows = await this.db
      .selectFrom('observables')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('kind')
      .orderBy('value')
      .execute();
    return rows.map(observableFromRow);
  }
  async get(id: string): Promise<Observable | undefined> {
    const row = await this.db
      .selectFrom('observables')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && observableFromRow(row);
  }
  async delete(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('observables')
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
  async findByKindValue(
    incidentId: string,
    kind: ObservableKind,
    value: string,
  ): Promise<Observable | undefined> {
    const row = await this.db
      .selectFrom('observables')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .where('kind', '=', kind)
      .where('value', '=', value)
      .executeTakeFirst();
    return row && observableFromRow(row);
  }
}

export class KyselyAlertLinkRepository extends TenantScoped implements AlertLinkRepository {
  async insert(link: AlertLink): Promise<boolean> {
    const result = await this.db
      .insertInto('alert_links')
      .values({
        tenant_id: this.tenantId,
        incident_id: link.incidentId,
        alert_id: link.alertId,
        linked_at: link.linkedAt,
        linked_by: link.linkedBy,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'incident_id', 'alert_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }
  async list(incidentId: string): Promise<AlertLink[]> {
    const rows = await this.db
      .selectFrom('alert_links')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('linked_at')
      .execute();
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      incidentId: r.incident_id,
      alertId: r.alert_id,
      linkedAt: r.linked_at,
      linkedBy: r.linked_by,
    }));
  }
}

export class KyselyTaskRepository extends TenantScoped implements TaskRepository {
  async insert(task: IncidentTask): Promise<void> {
    await this.db
      .insertInto('incident_tasks')
      .values({
        id: task.id,
        tenant_id: this.tenantId,
        incident_id: task.incidentId,
        phase: task.phase,
        title: task.title,
        status: task.status,
        created_at: task.createdAt,
        completed_at: task.completedAt,
        completed_by: task.completedBy,
        waiver_reason: task.waiverReason ?? null,
      })
      .execute();
  }
  async get(id: string): Promise<IncidentTask | undefined> {
    const row = await this.db
      .selectFrom('incident_tasks')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && taskFromRow(row);
  }
  async list(incidentId: string): Promise<IncidentTask[]> {
    const rows = await this.db
      .selectFrom('incident_tasks')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(taskFromRow);
  }
  async setStatus(
    id: string,
    status: TaskStatus,
    at: number,
    by: string,
    waiverReason?: string,
  ): Promise<void> {
    const done = status !== 'open';
    await this.db
      .updateTable('incident_tasks')
      .set({
        status,
        completed_at: done ? at : null,
        completed_by: done ? by : null,
        waiver_reason: status === 'waived' ? (waiverReason ?? null) : null,
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
}

export class KyselyTransitionRepository extends TenantScoped implements TransitionRepository {
  async insert(t: PhaseTransition): Promise<void> {
    await this.db
      .insertInto('phase_transitions')
      .values({
        id: newId(),
        tenant_id: this.tenantId,
        incident_id: t.incidentId,
        from_phase: t.from,
        to_phase: t.to,
        at: t.at,
        actor: t.actor,
        override_justification: t.overrideJustification,
        unmet_conditions: toJson(t.unmetConditions),
      })
      .execute();
  }
  async list(incidentId: string): Promise<PhaseTransition[]> {
    const rows = await this.db
      .selectFrom('phase_transitions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('at')
      .execute();
    return rows.map(transitionFromRow);
  }
}

export class KyselyEvidenceRepository extends TenantScoped implements EvidenceRepository {
  async insert(e: Evidence): Promise<void> {
    await this.db
      .insertInto('evidence')
      .values({
        id: e.id,
        tenant_id: this.tenantId,
        incident_id: e.incidentId,
        sha256: e.sha256,
        size: e.size,
        filename: e.filename,
        media_type: e.mediaType,
        description: e.description,
        collected_by: e.collectedBy,
        collected_from: e.collectedFrom,
        collected_at: e.collectedAt,
        method: e.method,
        uploaded_by: e.uploadedBy,
        created_at: e.createdAt,
      })
      .execute();
  }
  async get(id: string): Promise<Evidence | undefined> {
    const row = await this.db
      .selectFrom('evidence')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && evidenceFromRow(row);
  }
  async list(
    filter: { incidentId?: string },
    page: Page,
  ): Promise<{ total: number; items: Evidence[] }> {
    let query = this.db.selectFrom('evidence').where('tenant_id', '=', this.tenantId);
    if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
    const total = await query
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const rows = await query
      .selectAll()
      .orderBy('created_at', 'desc')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { total: Number(total.n), items: rows.map(evidenceFromRow) };
  }
}

export class KyselyMembershipRepository extends TenantScoped implements MembershipRepository {
  async upsert(userId: string, role: Role): Promise<void> {
    await this.db
      .insertInto('memberships')
      .values({ user_id: userId, tenant_id: this.tenantId, role })
      .onConflict((oc) => oc.columns(['user_id', 'tenant_id']).doUpdateSet({ role }))
      .execute();
  }
  async list(): Promise<(Membership & { email: string; displayName: string })[]> {
    const rows = await this.db
      .selectFrom('memberships')
      .innerJoin('users', 'users.id', 'memberships.user_id')
      .select(['memberships.user_id', 'memberships.role', 'users.email', 'users.display_name'])
      .where('memberships.tenant_id', '=', this.tenantId)
      .orderBy('users.email')
      .execute();
    return rows.map((r) => ({
      userId: r.user_id,
      tenantId: this.tenantId,
      role: r.role as Role,
      email: r.email,
      displayName: r.display_name,
    }));
  }
}

export class KyselyTenantTokenRepository extends TenantScoped implements TenantTokenRepository {
  async insert(token: ApiToken, tokenHash: string): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        tenant_id: this.tenantId,
        role: token.role,
        name: token.name,
        token_hash: tokenHash,
        created_by: token.createdBy,
        created_at: token.createdAt,
        last_used_at: null,
        revoked_at: null,
      })
      .execute();
  }
  async list(): Promise<ApiToken[]> {
    const rows = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('created_at')
      .execute();
    return rows.map(tokenFromRow);
  }
  async get(id: string): Promise<ApiToken | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && tokenFromRow(row);
  }
  async revoke(id: string, at: number): Promise<boolean> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
