/** Behavioural detectors' state, allow-list and threshold overrides of one tenant. */
import type {
  DetectorAllowEntry,
  DetectorRepository,
  DetectorSettingsRecord,
  DetectorStateRecord,
} from '@cordon/core';
import { TenantBound, bit, fromJson, toJson } from '../preparation/tenant-bound.ts';

export class KyselyDetectorRepository extends TenantBound implements DetectorRepository {
  async states(): Promise<DetectorStateRecord[]> {
    const rows = await this.db
      .selectFrom('detector_states')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('detector')
      .execute();
    return rows.map((r) => ({
      detector: r.detector,
      state: r.state,
      updatedAt: Number(r.updated_at),
    }));
  }

  async saveState(record: DetectorStateRecord): Promise<void> {
    await this.db
      .insertInto('detector_states')
      .values({
        tenant_id: this.tenantId,
        detector: record.detector,
        state: record.state,
        updated_at: record.updatedAt,
      })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'detector'])
          .doUpdateSet({ state: record.state, updated_at: record.updatedAt }),
      )
      .execute();
  }

  async allowList(): Promise<DetectorAllowEntry[]> {
    const rows = await this.db
      .selectFrom('detector_allow_list')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('created_at')
      .orderBy('key')
      .execute();
    return rows.map((r) => ({
      detector: r.detector,
      key: r.key,
      reason: r.reason,
      alertId: r.alert_id,
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
    }));
  }

  async allow(entry: DetectorAllowEntry): Promise<boolean> {
    const result = await this.db
      .insertInto('detector_allow_list')
      .values({
        tenant_id: this.tenantId,
        detector: entry.detector,
        key: entry.key,
        reason: entry.reason,
        alert_id: entry.alertId,
        created_by: entry.createdBy,
        created_at: entry.createdAt,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'detector', 'key']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async removeAllowed(detector: string, key: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('detector_allow_list')
      .where('tenant_id', '=', this.tenantId)
      .where('detector', '=', detector)
      .where('key', '=', key)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async settings(): Promise<DetectorSettingsRecord[]> {
    const rows = await this.db
      .selectFrom('detector_settings')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('detector')
      .execute();
    return rows.map((r) => ({
      detector: r.detector,
      enabled: Number(r.enabled) === 1,
      thresholds: fromJson<Record<string, number>>(r.thresholds),
      updatedBy: r.updated_by,
      updatedAt: Number(r.updated_at),
    }));
  }

  async saveSettings(record: DetectorSettingsRecord): Promise<void> {
    const values = {
      enabled: bit(record.enabled),
      thresholds: toJson(record.thresholds),
      updated_by: record.updatedBy,
      updated_at: record.updatedAt,
    };
    await this.db
      .insertInto('detector_settings')
      .values({ tenant_id: this.tenantId, detector: record.detector, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'detector']).doUpdateSet(values))
      .execute();
  }
}
