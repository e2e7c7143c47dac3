/** What the contract clocks already journalled, one row per (incident, clock, mark). */
import type { ClockMark, ClockMarkRepository } from '@cordon/core';
import { TenantBound } from '../preparation/tenant-bound.ts';

export class KyselyClockMarkRepository extends TenantBound implements ClockMarkRepository {
  async insert(mark: ClockMark): Promise<boolean> {
    const result = await this.db
      .insertInto('clock_marks')
      .values({
        tenant_id: this.tenantId,
        incident_id: mark.incidentId,
        clock: mark.clock,
        mark: mark.mark,
        at: mark.at,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'incident_id', 'clock', 'mark']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async list(incidentId: string): Promise<ClockMark[]> {
    const rows = await this.db
      .selectFrom('clock_marks')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('at')
      .orderBy('clock')
      .execute();
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      incidentId: row.incident_id,
      clock: row.clock,
      mark: row.mark as ClockMark['mark'],
      at: Number(row.at),
    }));
  }
}
