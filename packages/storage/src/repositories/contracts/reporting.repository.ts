/** Reportability determinations and regulatory notices of a tenant's incidents. */
import type {
  RegulatoryNotice,
  ReportabilityDetermination,
  ReportingRepository,
} from '@cordon/core';
import { TenantBound, bit, fromJson, toJson } from '../preparation/tenant-bound.ts';
import { optionalNumber } from './sla-pause.repository.ts';

export class KyselyReportingRepository extends TenantBound implements ReportingRepository {
  async insertDetermination(d: ReportabilityDetermination): Promise<void> {
    await this.db
      .insertInto('reportability_determinations')
      .values({
        id: d.id,
        tenant_id: this.tenantId,
        incident_id: d.incidentId,
        reportable: bit(d.reportable),
        regimes: toJson(d.regimes),
        reason: d.reason,
        awareness_at: d.awarenessAt,
        payment_at: d.paymentAt,
        determined_by: d.determinedBy,
        determined_at: d.determinedAt,
      })
      .execute();
  }

  async determinations(incidentId: string): Promise<ReportabilityDetermination[]> {
    const rows = await this.db
      .selectFrom('reportability_determinations')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('determined_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      incidentId: row.incident_id,
      reportable: Number(row.reportable) === 1,
      regimes: fromJson<string[]>(row.regimes),
      reason: row.reason,
      awarenessAt: Number(row.awareness_at),
      paymentAt: optionalNumber(row.payment_at),
      determinedBy: row.determined_by,
      determinedAt: Number(row.determined_at),
    }));
  }

  async insertNotice(n: RegulatoryNotice): Promise<void> {
    await this.db
      .insertInto('regulatory_notices')
      .values({
        id: n.id,
        tenant_id: this.tenantId,
        incident_id: n.incidentId,
        regime_id: n.regimeId,
        obligation_id: n.obligationId,
        recipient: n.recipient,
        channel: n.channel,
        sent_at: n.sentAt,
        content: n.content,
        content_sha256: n.contentSha256,
        recorded_by: n.recordedBy,
        recorded_at: n.recordedAt,
      })
      .execute();
  }

  async notices(incidentId: string): Promise<RegulatoryNotice[]> {
    const rows = await this.db
      .selectFrom('regulatory_notices')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .orderBy('sent_at')
      .orderBy('id')
      .execute();
    return rows.map((row) => ({
      id: row.id,
      tenantId: row.tenant_id,
      incidentId: row.incident_id,
      regimeId: row.regime_id,
      obligationId: row.obligation_id,
      recipient: row.recipient,
      channel: row.channel,
      sentAt: Number(row.sent_at),
      content: row.content,
      contentSha256: row.content_sha256,
      recordedBy: row.recorded_by,
      recordedAt: Number(row.recorded_at),
    }));
  }
}
