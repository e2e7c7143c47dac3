/**
 * A tenant's own HTML template for one kind of report, stored so that every report of that kind
 * is made with it unless a request brings its own. The template is checked by the report
 * renderer's parser before it is stored; here it is only text with its hash.
 */
export const REPORT_TEMPLATE_KINDS = ['full', 'executive', 'law_enforcement', 'monthly'] as const;
export type ReportTemplateKind = (typeof REPORT_TEMPLATE_KINDS)[number];

export function isReportTemplateKind(value: string): value is ReportTemplateKind {
  return (REPORT_TEMPLATE_KINDS as readonly string[]).includes(value);
}

export interface StoredReportTemplate {
  readonly tenantId: string;
  readonly kind: ReportTemplateKind;
  readonly template: string;
  /** SHA-256 (hex) of the template's UTF-8 bytes: the journal and each report name it. */
  readonly sha256: string;
  readonly bytes: number;
  readonly updatedBy: string;
  readonly updatedAt: number;
}

/** The storage port, reached as `scope.reportTemplates` from a `TenantScope`. */
export interface ReportTemplateRepository {
  get(kind: ReportTemplateKind): Promise<StoredReportTemplate | undefined>;
  list(): Promise<StoredReportTemplate[]>;
  /** Creates or replaces the tenant's template of `template.kind`. */
  put(template: StoredReportTemplate): Promise<void>;
  /** False when the tenant had no template of that kind. */
  delete(kind: ReportTemplateKind): Promise<boolean>;
}
