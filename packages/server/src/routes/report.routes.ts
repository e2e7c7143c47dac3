/**
 * Reports and evidence bundles: `POST …/incidents/{id}/reports` renders an incident report
 * (full, executive, law_enforcement) as PDF and/or HTML and keeps each file as evidence;
 * `POST …/reports/monthly` does the same for a tenant's month; `POST …/incidents/{id}/evidence-bundle`
 * answers with the signed tar archive (exported, journaled).
 */
import { EvidenceView, TenantParams, Uuid, closed } from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import { createReadStream } from 'node:fs';
import type { EvidenceBundleService } from '../bundles/evidence-bundle.service.ts';
import { principalOf } from '../http/authentication.ts';
import { evidenceView } from '../http/views.ts';
import type { GeneratedReport, ReportService } from '../reports/report.service.ts';
import { MAX_TEMPLATE_BYTES } from '../reports/report-template.ts';
import type { App } from './route-context.ts';

const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const Formats = Type.Array(Type.Union([Type.Literal('pdf'), Type.Literal('html')]), {
  minItems: 1,
  maxItems: 2,
  uniqueItems: true,
});
const Template = Type.String({ minLength: 1, maxLength: MAX_TEMPLATE_BYTES });
const IncidentReportBody = closed({
  kind: Type.Union([
    Type.Literal('full'),
    Type.Literal('executive'),
    Type.Literal('law_enforcement'),
  ]),
  formats: Type.Optional(Formats),
  template: Type.Optional(Template),
});
const MonthlyReportBody = closed({
  month: Type.String({ pattern: '^[0-9]{4}-(0[1-9]|1[0-2])$' }),
  formats: Type.Optional(Formats),
  template: Type.Optional(Template),
});
const ReportAnswer = closed({
  kind: Type.String(),
  title: Type.String(),
  reference: Type.String(),
  journalHead: Type.Union([
    Type.Null(),
    closed({
      seq: Type.Integer(),
      hash: Type.String(),
      checkpoint: Type.Union([Type.Integer(), Type.Null()]),
    }),
  ]),
  files: Type.Array(closed({ format: Type.String(), evidence: EvidenceView })),
});

const answer = (report: GeneratedReport) => ({
  kind: report.document.kind,
  title: report.document.title,
  reference: report.document.reference,
  journalHead: report.document.journalHead,
  files: report.files.map((f) => ({ format: f.format, evidence: evidenceView(f.evidence) })),
});

export function reportRoutes(
  app: App,
  reports: ReportService,
  bundles: EvidenceBundleService,
): void {
  const tenant = '/api/v1/tenants/:tenantId';
  app.post(
    `${tenant}/incidents/:incidentId/reports`,
    {
      schema: {
        tags: ['reports'],
        params: IncidentParams,
        body: IncidentReportBody,
        response: { 201: ReportAnswer },
      },
    },
    async (request, reply) => {
      const { kind, formats, template } = request.body;
      const report = await reports.incidentReport(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        kind,
        { formats: formats ?? ['pdf', 'html'], template },
      );
      return reply.status(201).send(answer(report));
    },
  );

  app.post(
    `${tenant}/reports/monthly`,
    {
      schema: {
        tags: ['reports'],
        params: TenantParams,
        body: MonthlyReportBody,
        response: { 201: ReportAnswer },
      },
    },
    async (request, reply) => {
      const { month, formats, template } = request.body;
      const report = await reports.monthlyReport(
        principalOf(request),
        request.params.tenantId,
        month,
        {
          formats: formats ?? ['pdf', 'html'],
          template,
        },
      );
      return reply.status(201).send(answer(report));
    },
  );

  app.post(
    `${tenant}/incidents/:incidentId/evidence-bundle`,
    { schema: { tags: ['evidence'], params: IncidentParams } },
    async (request, reply) => {
      const bundle = await bundles.export(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
      );
      const stream = createReadStream(bundle.path);
      stream.on('close', () => void bundle.dispose());
      return reply
        .header('content-type', 'application/x-tar')
        .header('content-disposition', `attachment; filename="${bundle.filename}"`)
        .header('content-length', String(bundle.size))
        .header('x-content-sha256', bundle.sha256)
        .header('x-bundle-id', bundle.bundleId)
        .send(stream);
    },
  );
}
