/** Waivers of eradication actions, tenant-scoped (0013-eradication). */
import type { ActionWaiver, ActionWaiverRepository, EradicationRepositories } from '@cordon/core';
import type { Db } from './preparation/tenant-bound.ts';
import { TenantBound } from './preparation/tenant-bound.ts';

class KyselyActionWaiverRepository extends TenantBound implements ActionWaiverRepository {
  async insert(waiver: ActionWaiver): Promise<boolean> {
    const result = await this.db
      .insertInto('action_waivers')
      .values({
        tenant_id: this.tenantId,
        action_id: waiver.actionId,
        incident_id: waiver.incidentId,
        reason: waiver.reason,
        waived_by: waiver.waivedBy,
        waived_at: waiver.waivedAt,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'action_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async list(incidentId: string): Promise<ActionWaiver[]> {
    const rows = await this.db
      .selectFrom('action_waivers')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('waived_at')
      .orderBy('action_id')
      .execute();
    return rows.map((row) => ({
      tenantId: row.tenant_id,
      actionId: row.action_id,
      incidentId: row.incident_id,
      reason: row.reason,
      waivedBy: row.waived_by,
      waivedAt: Number(row.waived_at),
    }));
  }
}

export function eradicationRepositories(db: Db, tenantId: string): EradicationRepositories {
  return { waivers: new KyselyActionWaiverRepository(db, tenantId) };
}
