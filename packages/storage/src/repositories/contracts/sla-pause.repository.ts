/** Pauses of an incident's SLA clocks (0020-contracts). */
import type { SlaPause, SlaPauseRepository } from '@cordon/core';
import { TenantBound } from '../preparation/tenant-bound.ts';

const optionalNumber = (value: number | string | null): number | null =>
  value === null ? null : Number(value);

export class KyselySlaPauseRepository extends TenantBound implements SlaPauseRepository {
  async insert(pause: SlaPause): Promise<void> {
    await this.db
      .insertInto('sla_pauses')
      .values({
        id: pause.id,
        tenant_id: this.tenantId,
        incident_id: pause.incidentId,
        reason: pause.reason,
        started_by: pause.startedBy,
        started_at: pause.startedAt,
        ended_by: pause.endedBy,
        ended_at: pause.endedAt,
      })
      .execute();
  }

  async end(pause: { id: string; incidentId: string }, at: number, by: string): Promise<boolean> {
    const result = await this.db
      .updateTable('sla_pauses')
      .set({ ended_at: at, ended_by: by })
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', pause.incidentId)
      .where('id', '=', pause.id)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async list(incidentId: string): Promise<SlaPause[]> {
    const rows = await this.db
      .selectFrom('sla_pauses')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('started_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      incidentId: row.incident_id,
      reason: row.reason,
      startedBy: row.started_by,
      startedAt: Number(row.started_at),
      endedBy: row.ended_by,
      endedAt: optionalNumber(row.ended_at),
    }));
  }
}

export { optionalNumber };
