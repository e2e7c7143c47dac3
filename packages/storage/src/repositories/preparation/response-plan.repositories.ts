/** Plan documents and versions, role assignments, external contacts and exercises. */
import type {
  Exercise,
  ExerciseKind,
  ExerciseRepository,
  ExternalContact,
  ExternalContactKind,
  ExternalContactRepository,
  OnCallLevel,
  OnCallRepository,
  OnCallShift,
  Person,
  PlanDocument,
  PlanDocumentRepository,
  PlanVersion,
  ReadinessCheck,
  ReadinessSnapshot,
  ReadinessSnapshotRepository,
  ResponseRole,
  RoleAssignment,
  RoleAssignmentRepository,
} from '@cordon/core';
import type { Insertable, Selectable } from 'kysely';
import type {
  OnCallShiftsTable,
  PlanDocumentsTable,
  RoleAssignmentsTable,
} from '../../database/schema.ts';
import { TenantBound, fromJson, toJson } from './tenant-bound.ts';

type PlanChanges = Partial<Omit<PlanDocument, 'id' | 'tenantId' | 'createdAt'>>;

function planChangesToRow(c: PlanChanges): Partial<Insertable<PlanDocumentsTable>> {
  const row: Partial<Insertable<PlanDocumentsTable>> = {};
  if (c.title !== undefined) row.title = c.title;
  if (c.owner !== undefined) row.owner = c.owner;
  if (c.currentVersion !== undefined) row.current_version = c.currentVersion;
  if (c.approvedBy !== undefined) row.approved_by = c.approvedBy;
  if (c.approvedAt !== undefined) row.approved_at = c.approvedAt;
  if (c.lastReviewedAt !== undefined) row.last_reviewed_at = c.lastReviewedAt;
  if (c.nextReviewAt !== undefined) row.next_review_at = c.nextReviewAt;
  if (c.updatedAt !== undefined) row.updated_at = c.updatedAt;
  return row;
}

const planFromRow = (r: Selectable<PlanDocumentsTable>): PlanDocument => ({
  id: r.id,
  tenantId: r.tenant_id,
  title: r.title,
  owner: r.owner,
  currentVersion: r.current_version,
  approvedBy: r.approved_by,
  approvedAt: r.approved_at,
  lastReviewedAt: r.last_reviewed_at,
  nextReviewAt: r.next_review_at,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class KyselyPlanDocumentRepository extends TenantBound implements PlanDocumentRepository {
  async insert(d: PlanDocument, first: PlanVersion): Promise<void> {
    await this.db
      .insertInto('plan_documents')
      .values({
        id: d.id,
        tenant_id: this.tenantId,
        created_at: d.createdAt,
        ...planChangesToRow(d),
      } as Insertable<PlanDocumentsTable>)
      .execute();
    await this.insertVersion(first);
  }
  async get(id: string): Promise<PlanDocument | undefined> {
    const row = await this.db
      .selectFrom('plan_documents')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && planFromRow(row);
  }
  async list(): Promise<PlanDocument[]> {
    const rows = await this.db
      .selectFrom('plan_documents')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('title')
      .execute();
    return rows.map(planFromRow);
  }
  async update(id: string, changes: PlanChanges): Promise<void> {
    await this.db
      .updateTable('plan_documents')
      .set(planChangesToRow(changes))
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
  async insertVersion(v: PlanVersion): Promise<void> {
    await this.db
      .insertInto('plan_versions')
      .values({
        tenant_id: this.tenantId,
        document_id: v.documentId,
        version: v.version,
        body: v.body,
        author: v.author,
        created_at: v.createdAt,
      })
      .execute();
  }
  async versions(documentId: string): Promise<PlanVersion[]> {
    const rows = await this.db
      .selectFrom('plan_versions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('document_id', '=', documentId)
      .orderBy('version')
      .execute();
    return rows.map((r) => ({
      documentId: r.document_id,
      version: r.version,
      body: r.body,
      author: r.author,
      createdAt: r.created_at,
    }));
  }
}

const roleFromRow = (r: Selectable<RoleAssignmentsTable>): RoleAssignment => ({
  tenantId: r.tenant_id,
  role: r.role as ResponseRole,
  primary: fromJson<Person>(r.primary_person),
  backup: r.backup_person === null ? null : fromJson<Person>(r.backup_person),
  escalationRank: r.escalation_rank,
  updatedAt: r.updated_at,
});

export class KyselyRoleAssignmentRepository
  extends TenantBound
  implements RoleAssignmentRepository
{
  async upsert(a: RoleAssignment): Promise<void> {
    const values = {
      primary_person: toJson(a.primary),
      backup_person: a.backup === null ? null : toJson(a.backup),
      escalation_rank: a.escalationRank,
      updated_at: a.updatedAt,
    };
    await this.db
      .insertInto('role_assignments')
      .values({ tenant_id: this.tenantId, role: a.role, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'role']).doUpdateSet(values))
      .execute();
  }
  async get(role: ResponseRole): Promise<RoleAssignment | undefined> {
    const row = await this.db
      .selectFrom('role_assignments')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('role', '=', role)
      .executeTakeFirst();
    return row && roleFromRow(row);
  }
  async list(): Promise<RoleAssignment[]> {
    const rows = await this.db
      .selectFrom('role_assignments')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('role')
      .execute();
    return rows.map(roleFromRow);
  }
}

const shiftFromRow = (r: Selectable<OnCallShiftsTable>): OnCallShift => ({
  id: r.id,
  tenantId: r.tenant_id,
  level: r.level as OnCallLevel,
  person: fromJson<Person>(r.person),
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  note: r.note,
  createdAt: r.created_at,
});

export class KyselyOnCallRepository extends TenantBound implements OnCallRepository {
  async insert(s: OnCallShift): Promise<void> {
    await this.db
      .insertInto('oncall_shifts')
      .values({
        id: s.id,
        tenant_id: this.tenantId,
        level: s.level,
        person: toJson(s.person),
        starts_at: s.startsAt,
        ends_at: s.endsAt,
        note: s.note,
        created_at: s.createdAt,
      })
      .execute();
  }
  async get(id: string): Promise<OnCallShift | undefined> {
    const row = await this.db
      .selectFrom('oncall_shifts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && shiftFromRow(row);
  }
  async delete(id: string): Promise<void> {
    await this.db
      .deleteFrom('oncall_shifts')
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
  async overlapping(from: number, to: number, level?: OnCallLevel): Promise<OnCallShift[]> {
    let query = this.db
      .selectFrom('oncall_shifts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('starts_at', '<', to)
      .where('ends_at', '>', from);
    if (level) query = query.where('level', '=', level);
    const rows = await query.orderBy('starts_at').orderBy('level').execute();
    return rows.map(shiftFromRow);
  }
}

export class KyselyExternalContactRepository
  extends TenantBound
  implements ExternalContactRepository
{
  async insert(c: ExternalContact): Promise<void> {
    await this.db
      .insertInto('external_contacts')
      .values({
        id: c.id,
        tenant_id: this.tenantId,
        kind: c.kind,
        name: c.name,
        organisation: c.organisation,
        phone: c.phone,
        email: c.email,
        notes: c.notes,
        created_at: c.createdAt,
      })
      .execute();
  }
  async list(): Promise<ExternalContact[]> {
    const rows = await this.db
      .selectFrom('external_contacts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('kind')
      .orderBy('name')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      kind: r.kind as ExternalContactKind,
      name: r.name,
      organisation: r.organisation,
      phone: r.phone,
      email: r.email,
      notes: r.notes,
      createdAt: r.created_at,
    }));
  }
}

export class KyselyExerciseRepository extends TenantBound implements ExerciseRepository {
  async insert(e: Exercise): Promise<void> {
    await this.db
      .insertInto('exercises')
      .values({
        id: e.id,
        tenant_id: this.tenantId,
        kind: e.kind,
        held_at: e.heldAt,
        notes: e.notes,
        created_at: e.createdAt,
      })
      .execute();
  }
  async list(): Promise<Exercise[]> {
    const rows = await this.db
      .selectFrom('exercises')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('held_at', 'desc')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      kind: r.kind as ExerciseKind,
      heldAt: r.held_at,
      notes: r.notes,
      createdAt: r.created_at,
    }));
  }
}

export class KyselyReadinessSnapshotRepository
  extends TenantBound
  implements ReadinessSnapshotRepository
{
  async insert(s: ReadinessSnapshot): Promise<void> {
    await this.db
      .insertInto('readiness_snapshots')
      .values({
        id: s.id,
        tenant_id: this.tenantId,
        at: s.at,
        score: s.score,
        checks: toJson(s.checks),
      })
      .execute();
  }
  async list(limit: number): Promise<ReadinessSnapshot[]> {
    const rows = await this.db
      .selectFrom('readiness_snapshots')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('at', 'desc')
      .orderBy('id')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      at: r.at,
      score: Number(r.score),
      checks: fromJson<ReadinessCheck[]>(r.checks),
    }));
  }
}
