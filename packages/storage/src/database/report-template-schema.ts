/** The report templates table (migration 0026-report-templates), as Kysely sees it. */

export interface ReportTemplatesTable {
  tenant_id: string;
  kind: string;
  template: string;
  sha256: string;
  bytes: number;
  updated_by: string;
  updated_at: number;
}

export interface ReportTemplateTables {
  report_templates: ReportTemplatesTable;
}
