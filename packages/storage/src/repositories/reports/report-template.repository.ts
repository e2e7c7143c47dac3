/** A tenant's stored report templates, one row per kind (0026-report-templates). */
import type {
  ReportTemplateKind,
  ReportTemplateRepository,
  StoredReportTemplate,
} from '@cordon/core';
import type { Selectable } from 'kysely';
import type { ReportTemplatesTable } from '../../database/report-template-schema.ts';
import { TenantBound } from '../preparation/tenant-bound.ts';

const fromRow = (r: Selectable<ReportTemplatesTable>): StoredReportTemplate => ({
  tenantId: r.tenant_id,
  kind: r.kind as ReportTemplateKind,
  template: r.template,
  sha256: r.sha256,
  bytes: Number(r.bytes),
  updatedBy: r.updated_by,
  updatedAt: Number(r.updated_at),
});

export class KyselyReportTemplateRepository
  extends TenantBound
  implements ReportTemplateRepository
{
  async get(kind: ReportTemplateKind): Promise<StoredReportTemplate | undefined> {
    const row = await this.db
      .selectFrom('report_templates')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return row ? fromRow(row) : undefined;
  }

  async list(): Promise<StoredReportTemplate[]> {
    const rows = await this.db
      .selectFrom('report_templates')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('kind')
      .execute();
    return rows.map(fromRow);
  }

  async put(t: StoredReportTemplate): Promise<void> {
    const values = {
      template: t.template,
      sha256: t.sha256,
      bytes: t.bytes,
      updated_by: t.updatedBy,
      updated_at: t.updatedAt,
    };
    await this.db
      .insertInto('report_templates')
      .values({ tenant_id: this.tenantId, kind: t.kind, ...values })
      .onConflict((oc) => oc.columns(['tenant_id', 'kind']).doUpdateSet(values))
      .execute();
  }

  async delete(kind: ReportTemplateKind): Promise<boolean> {
    const result = await this.db
      .deleteFrom('report_templates')
      .where('tenant_id', '=', this.tenantId)
      .where('kind', '=', kind)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
