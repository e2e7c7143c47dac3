/** A tenant's rule pack settings: a handful of rows, read whole. */
import type { RulePackRepository, RulePackSetting } from '@cordon/core';
import { TenantBound } from '../preparation/tenant-bound.ts';

export class KyselyRulePackRepository extends TenantBound implements RulePackRepository {
  async list(): Promise<RulePackSetting[]> {
    const rows = await this.db
      .selectFrom('rule_pack_settings')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('pack')
      .execute();
    return rows.map((r) => ({
      tenantId: r.tenant_id,
      pack: r.pack,
      enabled: Number(r.enabled) === 1,
      reason: r.reason,
      changedBy: r.changed_by,
      changedAt: Number(r.changed_at),
    }));
  }

  async put(setting: RulePackSetting): Promise<void> {
    const values = {
      enabled: setting.enabled ? 1 : 0,
      reason: setting.reason,
      changed_by: setting.changedBy,
      changed_at: setting.changedAt,
    };
    await this.db
      .insertInto('rule_pack_settings')
      .values({ tenant_id: this.tenantId, pack: setting.pack, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'pack']).doUpdateSet(values))
      .execute();
  }
}
