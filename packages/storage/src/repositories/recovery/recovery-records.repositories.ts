/** Change records, restores and containment releases of an incident, bound to one tenant. */
import type {
  ChangeRecord,
  ChangeRecordRepository,
  ContainmentRelease,
  ContainmentReleaseRepository,
  RestoreRecord,
  RestoreRepository,
  RestoreStatus,
} from '@cordon/core';
import type { Selectable } from 'kysely';
import type { RestoresTable } from '../../database/recovery-schema.ts';
import { TenantBound, fromJson, toJson } from '../preparation/tenant-bound.ts';

export class KyselyChangeRecordRepository extends TenantBound implements ChangeRecordRepository {
  async insert(r: ChangeRecord): Promise<void> {
    await this.db
      .insertInto('change_records')
      .values({
        id: r.id,
        tenant_id: this.tenantId,
        incident_id: r.incidentId,
        area: r.area,
        title: r.title,
        description: r.description,
        reason: r.reason,
        changed_by: r.changedBy,
        changed_at: r.changedAt,
        finding: toJson(r.finding),
        mitigation_id: r.mitigationId,
        recorded_by: r.recordedBy,
        created_at: r.createdAt,
      })
      .execute();
  }
  async list(incidentId: string): Promise<ChangeRecord[]> {
    const rows = await this.db
      .selectFrom('change_records')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      incidentId: r.incident_id,
      area: r.area as ChangeRecord['area'],
      title: r.title,
      description: r.description,
      reason: r.reason,
      changedBy: r.changed_by,
      changedAt: Number(r.changed_at),
      finding: fromJson<ChangeRecord['finding']>(r.finding),
      mitigationId: r.mitigation_id,
      recordedBy: r.recorded_by,
      createdAt: Number(r.created_at),
    }));
  }
}

const restoreFromRow = (r: Selectable<RestoresTable>): RestoreRecord => ({
  id: r.id,
  tenantId: r.tenant_id,
  incidentId: r.incident_id,
  taskId: r.task_id,
  backupJobId: r.backup_job_id,
  restorePointAt: r.restore_point_at === null ? null : Number(r.restore_point_at),
  restorePointLabel: r.restore_point_label,
  status: r.status as RestoreStatus,
  detail: r.detail,
  requestedBy: r.requested_by,
  completedBy: r.completed_by,
  createdAt: Number(r.created_at),
  completedAt: r.completed_at === null ? null : Number(r.completed_at),
});

export class KyselyRestoreRepository extends TenantBound implements RestoreRepository {
  async insert(r: RestoreRecord): Promise<void> {
    await this.db
      .insertInto('restores')
      .values({
        id: r.id,
        tenant_id: this.tenantId,
        incident_id: r.incidentId,
        task_id: r.taskId,
        backup_job_id: r.backupJobId,
        restore_point_at: r.restorePointAt,
        restore_point_label: r.restorePointLabel,
        status: r.status,
        detail: r.detail,
        requested_by: r.requestedBy,
        completed_by: r.completedBy,
        created_at: r.createdAt,
        completed_at: r.completedAt,
      })
      .execute();
  }
  async get(id: string): Promise<RestoreRecord | undefined> {
    const row = await this.db
      .selectFrom('restores')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && restoreFromRow(row);
  }
  async list(incidentId: string): Promise<RestoreRecord[]> {
    const rows = await this.db
      .selectFrom('restores')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(restoreFromRow);
  }
  async complete(next: RestoreRecord, expected: RestoreStatus): Promise<boolean> {
    const result = await this.db
      .updateTable('restores')
      .set({
        status: next.status,
        detail: next.detail,
        restore_point_at: next.restorePointAt,
        restore_point_label: next.restorePointLabel,
        completed_by: next.completedBy,
        completed_at: next.completedAt,
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', next.id)
      .where('status', '=', expected)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

export class KyselyContainmentReleaseRepository
  extends TenantBound
  implements ContainmentReleaseRepository
{
  async insert(r: ContainmentRelease): Promise<void> {
    await this.db
      .insertInto('containment_releases')
      .values({
        id: r.id,
        tenant_id: this.tenantId,
        incident_id: r.incidentId,
        checklist: toJson(r.checklist),
        override_justification: r.overrideJustification,
        action_ids: toJson(r.actionIds),
        released_by: r.releasedBy,
        created_at: r.createdAt,
      })
      .execute();
  }
  async list(incidentId: string): Promise<ContainmentRelease[]> {
    const rows = await this.db
      .selectFrom('containment_releases')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      incidentId: r.incident_id,
      checklist: fromJson<ContainmentRelease['checklist']>(r.checklist),
      overrideJustification: r.override_justification,
      actionIds: fromJson<string[]>(r.action_ids),
      releasedBy: r.released_by,
      createdAt: Number(r.created_at),
    }));
  }
}
