/** Verification checks (with their persisted schedule) and their runs, bound to one tenant. */
import type {
  CheckSchedule,
  Phase,
  RunStatus,
  VerificationCheck,
  VerificationCheckRepository,
  VerificationRun,
  VerificationRunRepository,
  VerificationSpec,
} from '@cordon/core';
import type { Selectable } from 'kysely';
import type {
  VerificationChecksTable,
  VerificationRunsTable,
} from '../../database/recovery-schema.ts';
import { TenantBound, fromJson, toJson } from '../preparation/tenant-bound.ts';

const checkFromRow = (r: Selectable<VerificationChecksTable>): VerificationCheck => ({
  id: r.id,
  tenantId: r.tenant_id,
  incidentId: r.incident_id,
  title: r.title,
  spec: fromJson<VerificationSpec>(r.spec),
  reopens: r.reopens as Phase,
  schedule:
    r.interval_minutes === null || r.until_at === null
      ? null
      : {
          intervalMinutes: r.interval_minutes,
          untilAt: Number(r.until_at),
          nextRunAt: r.next_run_at === null ? null : Number(r.next_run_at),
        },
  lastStatus: r.last_status as RunStatus | null,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
});

export class KyselyVerificationCheckRepository
  extends TenantBound
  implements VerificationCheckRepository
{
  async insert(c: VerificationCheck): Promise<void> {
    await this.db
      .insertInto('verification_checks')
      .values({
        id: c.id,
        tenant_id: this.tenantId,
        incident_id: c.incidentId,
        title: c.title,
        kind: c.spec.kind,
        spec: toJson(c.spec),
        reopens: c.reopens,
        interval_minutes: c.schedule?.intervalMinutes ?? null,
        until_at: c.schedule?.untilAt ?? null,
        next_run_at: c.schedule?.nextRunAt ?? null,
        last_status: c.lastStatus,
        created_by: c.createdBy,
        created_at: c.createdAt,
      })
      .execute();
  }
  async get(id: string): Promise<VerificationCheck | undefined> {
    const row = await this.db
      .selectFrom('verification_checks')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && checkFromRow(row);
  }
  async list(incidentId: string): Promise<VerificationCheck[]> {
    const rows = await this.db
      .selectFrom('verification_checks')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map(checkFromRow);
  }
  async setLastStatus(id: string, status: RunStatus): Promise<void> {
    await this.db
      .updateTable('verification_checks')
      .set({ last_status: status })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
  async setSchedule(id: string, schedule: CheckSchedule | null): Promise<void> {
    await this.db
      .updateTable('verification_checks')
      .set({
        interval_minutes: schedule?.intervalMinutes ?? null,
        until_at: schedule?.untilAt ?? null,
        next_run_at: schedule?.nextRunAt ?? null,
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
  async due(now: number, limit: number): Promise<VerificationCheck[]> {
    const rows = await this.db
      .selectFrom('verification_checks')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('next_run_at', 'is not', null)
      .where('next_run_at', '<=', now)
      .orderBy('next_run_at')
      .limit(limit)
      .execute();
    return rows.map(checkFromRow);
  }
}

const runFromRow = (r: Selectable<VerificationRunsTable>): VerificationRun => ({
  id: r.id,
  tenantId: r.tenant_id,
  incidentId: r.incident_id,
  checkId: r.check_id,
  status: r.status as RunStatus,
  actor: r.actor,
  startedAt: Number(r.started_at),
  finishedAt: r.finished_at === null ? null : Number(r.finished_at),
  windowFrom: r.window_from === null ? null : Number(r.window_from),
  windowTo: r.window_to === null ? null : Number(r.window_to),
  findings: fromJson<unknown>(r.findings),
  reason: r.reason,
  actionId: r.action_id,
});

export class KyselyVerificationRunRepository
  extends TenantBound
  implements VerificationRunRepository
{
  async insert(r: VerificationRun): Promise<void> {
    await this.db
      .insertInto('verification_runs')
      .values({
        id: r.id,
        tenant_id: this.tenantId,
        incident_id: r.incidentId,
        check_id: r.checkId,
        status: r.status,
        actor: r.actor,
        started_at: r.startedAt,
        finished_at: r.finishedAt,
        window_from: r.windowFrom,
        window_to: r.windowTo,
        findings: toJson(r.findings),
        reason: r.reason,
        action_id: r.actionId,
      })
      .execute();
  }
  async get(id: string): Promise<VerificationRun | undefined> {
    const row = await this.db
      .selectFrom('verification_runs')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && runFromRow(row);
  }
  async findByAction(actionId: string): Promise<VerificationRun | undefined> {
    const row = await this.db
      .selectFrom('verification_runs')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('action_id', '=', actionId)
      .executeTakeFirst();
    return row && runFromRow(row);
  }
  async listRunning(startedBefore: number, limit: number): Promise<VerificationRun[]> {
    const rows = await this.db
      .selectFrom('verification_runs')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('status', '=', 'running')
      .where('started_at', '<', startedBefore)
      .orderBy('started_at', 'asc')
      .limit(limit)
      .execute();
    return rows.map(runFromRow);
  }
  async list(
    filter: { incidentId: string; checkId?: string },
    limit: number,
  ): Promise<VerificationRun[]> {
    let query = this.db
      .selectFrom('verification_runs')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', filter.incidentId);
    if (filter.checkId !== undefined) query = query.where('check_id', '=', filter.checkId);
    const rows = await query
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map(runFromRow);
  }
  async finish(next: VerificationRun): Promise<boolean> {
    const result = await this.db
      .updateTable('verification_runs')
      .set({
        status: next.status,
        finished_at: next.finishedAt,
        findings: toJson(next.findings),
        reason: next.reason,
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', next.id)
      .where('status', '=', 'running')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}
