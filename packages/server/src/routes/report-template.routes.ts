/**
 * A tenant's stored report templates: `GET …/report-templates` lists them (without their text),
 * `PUT|GET|DELETE …/report-templates/{kind}` replaces, reads and removes the one of a kind
 * (`full`, `executive`, `law_enforcement`, `monthly`). A template is parsed before it is kept;
 * a bad one is refused (400 `invalid_input`) with the line of the problem.
 */
import type { StoredReportTemplate } from '@cordon/core';
import { REPORT_TEMPLATE_KINDS } from '@cordon/core';
import { Uuid, closed } from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import { iso } from '../http/views.ts';
import { principalOf } from '../http/authentication.ts';
import { MAX_TEMPLATE_BYTES } from '../reports/report-template.ts';
import type { ReportTemplateService } from '../reports/report-template.service.ts';
import type { App } from './route-context.ts';

const tags = ['reports'];
const Kind = Type.Union(REPORT_TEMPLATE_KINDS.map((k) => Type.Literal(k)));
const TenantParams = closed({ tenantId: Uuid });
const KindParams = closed({ tenantId: Uuid, kind: Kind });
const TemplateBody = closed({
  template: Type.String({ minLength: 1, maxLength: MAX_TEMPLATE_BYTES }),
});
const TemplateSummary = closed({
  kind: Kind,
  sha256: Type.String(),
  bytes: Type.Integer(),
  updatedBy: Type.String(),
  updatedAt: Type.String({ format: 'date-time' }),
});
const TemplateAnswer = closed({ ...TemplateSummary.properties, template: Type.String() });
const TemplateList = closed({ items: Type.Array(TemplateSummary) });

const summary = (t: StoredReportTemplate) => ({
  kind: t.kind,
  sha256: t.sha256,
  bytes: t.bytes,
  updatedBy: t.updatedBy,
  updatedAt: iso(t.updatedAt),
});

export function reportTemplateRoutes(app: App, templates: ReportTemplateService): void {
  const base = '/api/v1/tenants/:tenantId/report-templates';
  app.get(
    base,
    { schema: { tags, params: TenantParams, response: { 200: TemplateList } } },
    async (request) => ({
      items: (await templates.list(principalOf(request), request.params.tenantId)).map(summary),
    }),
  );
  app.get(
    `${base}/:kind`,
    { schema: { tags, params: KindParams, response: { 200: TemplateAnswer } } },
    async (request) => {
      const stored = await templates.get(
        principalOf(request),
        request.params.tenantId,
        request.params.kind,
      );
      return { ...summary(stored), template: stored.template };
    },
  );
  app.put(
    `${base}/:kind`,
    {
      schema: { tags, params: KindParams, body: TemplateBody, response: { 200: TemplateSummary } },
    },
    async (request) =>
      summary(
        await templates.set(
          principalOf(request),
          request.params.tenantId,
          request.params.kind,
          request.body.template,
        ),
      ),
  );
  app.delete(`${base}/:kind`, { schema: { tags, params: KindParams } }, async (request, reply) => {
    await templates.delete(principalOf(request), request.params.tenantId, request.params.kind);
    return reply.status(204).send();
  });
}
