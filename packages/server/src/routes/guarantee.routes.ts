/**
 * The service guarantee: `PUT|GET …/guarantee/contract` (a new version per PUT),
 * `POST|GET …/guarantee/gap-notices`, `POST|GET …/incidents/{id}/guarantee/entries`,
 * `POST …/entries/{entryId}/correction` (a reversal, and a replacement when given),
 * `GET …/incidents/{id}/guarantee/statement` and `GET …/guarantee/statement?month=YYYY-MM`.
 */
import type {
  EntryInput,
  GuaranteeContract,
  GuaranteeEntry,
  GuaranteeService,
  GuaranteeStatement,
  ReadinessGapNotice,
} from '@cordon/core';
import type { Static } from '@sinclair/typebox';
import {
  CorrectionRequest,
  GapNoticeRequest,
  GuaranteeEntryRequest,
  GuaranteeTermsSchema,
  MonthQuery,
  Uuid,
  closed,
} from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import type { App } from './route-context.ts';

const TenantParams = closed({ tenantId: Uuid });
const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const EntryParams = closed({ tenantId: Uuid, incidentId: Uuid, entryId: Uuid });
const tags = ['guarantee'];
const iso = (ms: number): string => new Date(ms).toISOString();

export const contractView = (c: GuaranteeContract) => ({
  version: c.version,
  terms: c.terms,
  createdBy: c.createdBy,
  createdAt: iso(c.createdAt),
});

const noticeView = (n: ReadinessGapNotice) => ({
  id: n.id,
  check: n.check,
  measured: n.measured,
  note: n.note,
  notifiedBy: n.notifiedBy,
  notifiedAt: iso(n.notifiedAt),
});

const entryView = (e: GuaranteeEntry) => ({
  id: e.id,
  incidentId: e.incidentId,
  ...e.body,
  reverses: e.reverses,
  occurredAt: iso(e.occurredAt),
  recordedBy: e.recordedBy,
  recordedAt: iso(e.recordedAt),
});

const statementView = (s: GuaranteeStatement) => ({
  tenantId: s.tenantId,
  scope:
    s.scope.kind === 'incident'
      ? s.scope
      : { kind: s.scope.kind, month: s.scope.month, from: iso(s.scope.from), to: iso(s.scope.to) },
  currency: s.currency,
  incidents: s.incidents,
  lines: s.lines.map((l) => ({
    ...entryView(l.entry),
    amountMinor: l.amountMinor,
    coveredMinor: l.coveredMinor,
    billableMinor: l.billableMinor,
    parts: l.parts,
  })),
  totals: s.totals,
});

const entryInput = (body: Static<typeof GuaranteeEntryRequest>): EntryInput => ({
  ...body,
  occurredAt: Date.parse(body.occurredAt),
});

export function guaranteeRoutes(app: App, guarantee: GuaranteeService): void {
  const base = '/api/v1/tenants/:tenantId/guarantee';
  const incidentBase = '/api/v1/tenants/:tenantId/incidents/:incidentId/guarantee';

  app.put(
    `${base}/contract`,
    { schema: { tags, params: TenantParams, body: GuaranteeTermsSchema } },
    async (request) =>
      contractView(
        await guarantee.setContract(principalOf(request), request.params.tenantId, request.body),
      ),
  );
  app.get(`${base}/contract`, { schema: { tags, params: TenantParams } }, async (request) => {
    const versions = await guarantee.contracts(principalOf(request), request.params.tenantId);
    return {
      current: versions.at(-1) ? contractView(versions.at(-1)!) : null,
      versions: versions.map(contractView),
    };
  });
  app.post(
    `${base}/gap-notices`,
    { schema: { tags, params: TenantParams, body: GapNoticeRequest } },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          noticeView(
            await guarantee.noticeGap(principalOf(request), request.params.tenantId, request.body),
          ),
        ),
  );
  app.get(`${base}/gap-notices`, { schema: { tags, params: TenantParams } }, async (request) => ({
    items: (await guarantee.notices(principalOf(request), request.params.tenantId)).map(noticeView),
  }));
  app.get(
    `${base}/statement`,
    { schema: { tags, params: TenantParams, querystring: MonthQuery } },
    async (request) =>
      statementView(
        await guarantee.monthStatement(
          principalOf(request),
          request.params.tenantId,
          request.query.month ?? new Date().toISOString().slice(0, 7),
        ),
      ),
  );

  app.post(
    `${incidentBase}/entries`,
    { schema: { tags, params: IncidentParams, body: GuaranteeEntryRequest } },
    async (request, reply) => {
      const entry = await guarantee.recordEntry(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        entryInput(request.body),
      );
      return reply.status(201).send(entryView(entry));
    },
  );
  app.get(
    `${incidentBase}/entries`,
    { schema: { tags, params: IncidentParams } },
    async (request) => ({
      items: (
        await guarantee.entries(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        )
      ).map(entryView),
    }),
  );
  app.post(
    `${incidentBase}/entries/:entryId/correction`,
    { schema: { tags, params: EntryParams, body: CorrectionRequest } },
    async (request, reply) => {
      const { replacement, reason } = request.body;
      const result = await guarantee.correctEntry(
        principalOf(request),
        request.params.tenantId,
        request.params,
        {
          reason,
          ...(replacement ? { replacement: entryInput(replacement) } : {}),
        },
      );
      return reply.status(201).send({
        reversal: entryView(result.reversal),
        replacement: result.replacement && entryView(result.replacement),
      });
    },
  );
  app.get(
    `${incidentBase}/statement`,
    { schema: { tags, params: IncidentParams } },
    async (request) =>
      statementView(
        await guarantee.incidentStatement(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        ),
      ),
  );
}
