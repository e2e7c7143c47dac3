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
  LedgerReason,
  ReadinessGapNotice,
} from '@cordon/core';
import type { Static } from '@sinclair/typebox';
import type { LedgerReasonName } from '@cordon/protocol';
import {
  CorrectionAnswer,
  CorrectionRequest,
  GapNoticeList,
  GapNoticeRequest,
  GapNoticeView,
  GuaranteeContractVersions,
  GuaranteeContractView,
  GuaranteeEntryList,
  GuaranteeEntryRequest,
  GuaranteeEntryView,
  GuaranteeStatementView,
  GuaranteeTermsSchema,
  MonthQuery,
  Uuid,
  closed,
} from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import type { App } from './route-context.ts';

/** The protocol's reason names and the ledger's are one list: the compiler checks both ways. */
type ProtocolReason = Static<typeof LedgerReasonName>;
export const LEDGER_REASONS_AGREE: [ProtocolReason, LedgerReason] extends [
  LedgerReason,
  ProtocolReason,
]
  ? true
  : never = true;

const TenantParams = closed({ tenantId: Uuid });
const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const EntryParams = closed({ tenantId: Uuid, incidentId: Uuid, entryId: Uuid });
const tags = ['guarantee'];
const iso = (ms: number): string => new Date(ms).toISOString();

export const contractView = (c: GuaranteeContract) => ({
  version: c.version,
  terms: {
    ...c.terms,
    categories: [...c.terms.categories],
    services: [...c.terms.services],
    rates: [...c.terms.rates],
    exclusions: [...c.terms.exclusions],
  },
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
  incidents: s.incidents.map((i) => ({
    incidentId: i.incidentId,
    contractVersion: i.contractVersion,
    category: i.category,
    exclusion: i.exclusion,
  })),
  lines: s.lines.map((l) => ({
    ...entryView(l.entry),
    amountMinor: l.amountMinor,
    coveredMinor: l.coveredMinor,
    billableMinor: l.billableMinor,
    parts: [...l.parts],
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
    {
      schema: {
        tags,
        params: TenantParams,
        body: GuaranteeTermsSchema,
        response: { 200: GuaranteeContractView },
      },
    },
    async (request) =>
      contractView(
        await guarantee.setContract(principalOf(request), request.params.tenantId, request.body),
      ),
  );
  const contractSchema = {
    schema: { tags, params: TenantParams, response: { 200: GuaranteeContractVersions } },
  };
  app.get(`${base}/contract`, contractSchema, async (request) => {
    const versions = await guarantee.contracts(principalOf(request), request.params.tenantId);
    return {
      current: versions.at(-1) ? contractView(versions.at(-1)!) : null,
      versions: versions.map(contractView),
    };
  });
  app.post(
    `${base}/gap-notices`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: GapNoticeRequest,
        response: { 201: GapNoticeView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          noticeView(
            await guarantee.noticeGap(principalOf(request), request.params.tenantId, request.body),
          ),
        ),
  );
  const noticesSchema = {
    schema: { tags, params: TenantParams, response: { 200: GapNoticeList } },
  };
  app.get(`${base}/gap-notices`, noticesSchema, async (request) => ({
    items: (await guarantee.notices(principalOf(request), request.params.tenantId)).map(noticeView),
  }));
  app.get(
    `${base}/statement`,
    {
      schema: {
        tags,
        params: TenantParams,
        querystring: MonthQuery,
        response: { 200: GuaranteeStatementView },
      },
    },
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
    {
      schema: {
        tags,
        params: IncidentParams,
        body: GuaranteeEntryRequest,
        response: { 201: GuaranteeEntryView },
      },
    },
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
    { schema: { tags, params: IncidentParams, response: { 200: GuaranteeEntryList } } },
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
    {
      schema: {
        tags,
        params: EntryParams,
        body: CorrectionRequest,
        response: { 201: CorrectionAnswer },
      },
    },
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
    { schema: { tags, params: IncidentParams, response: { 200: GuaranteeStatementView } } },
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
