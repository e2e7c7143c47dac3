/**
 * Tenant contracts, SLAs and regulatory clocks:
 * `GET|PUT …/tenants/{id}/contract` (the calendar, SLA terms and regimes; platform admins set it),
 * `GET …/incidents/{id}/sla` with `POST …/sla/pause|resume`, `GET …/tenants/{id}/sla-report` and
 * the MSSP's `GET /api/v1/sla-report`; `GET /api/v1/regulatory-regimes` (the catalogue),
 * `GET …/incidents/{id}/regulatory` with `POST …/regulatory/determination|notices`, and
 * `GET …/regulatory/cisa-draft`.
 */
import { REGULATORY_CATALOGUE } from '@cordon/core';
import {
  DeterminationRequest,
  IncidentSlaView,
  RegimeCatalogueView,
  SlaPauseView,
  RegulatoryNoticeRequest,
  SlaPauseRequest,
  SlaReportQuery,
  TenantContractRequest,
  TenantParams,
  Uuid,
  closed,
} from '@cordon/protocol';
import type { Contracts } from '../contracts/contract-wiring.ts';
import { instantOf, withIsoTimes } from '../contracts/contract-views.ts';
import { principalOf } from '../http/authentication.ts';
import type { App } from './route-context.ts';

const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const tags = ['contracts'];
const DAY = 86_400_000;
const MAX_REPORT_INCIDENTS = 5_000;

const rangeOf = (query: { from?: string; to?: string }, now: number) => {
  const to = query.to === undefined ? now : instantOf(query.to, 'to');
  const from = query.from === undefined ? to - 30 * DAY : instantOf(query.from, 'from');
  return { from, to, limit: MAX_REPORT_INCIDENTS };
};

export function contractRoutes(app: App, contracts: Contracts, now: () => number): void {
  const tenant = '/api/v1/tenants/:tenantId';
  const incident = `${tenant}/incidents/:incidentId`;
  const { sla, regulatory } = contracts;

  const catalogueSchema = { schema: { tags, response: { 200: RegimeCatalogueView } } };
  app.get('/api/v1/regulatory-regimes', catalogueSchema, async () => ({
    regimes: withIsoTimes(REGULATORY_CATALOGUE),
  }));

  app.get(`${tenant}/contract`, { schema: { tags, params: TenantParams } }, async (request) =>
    withIsoTimes(await sla.contract(principalOf(request), request.params.tenantId)),
  );

  app.put(
    `${tenant}/contract`,
    { schema: { tags, params: TenantParams, body: TenantContractRequest } },
    async (request) =>
      withIsoTimes(
        await sla.setContract(principalOf(request), request.params.tenantId, request.body),
      ),
  );

  const slaSchema = {
    schema: { tags, params: IncidentParams, response: { 200: IncidentSlaView } },
  };
  app.get(`${incident}/sla`, slaSchema, async (request) =>
    withIsoTimes(
      await sla.incidentSla(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
      ),
    ),
  );

  app.post(
    `${incident}/sla/pause`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: SlaPauseRequest,
        response: { 201: SlaPauseView },
      },
    },
    async (request, reply) => {
      const { tenantId, incidentId } = request.params;
      const pause = await sla.pause(
        principalOf(request),
        tenantId,
        incidentId,
        request.body.reason,
      );
      return reply.status(201).send(withIsoTimes(pause));
    },
  );

  app.post(
    `${incident}/sla/resume`,
    { schema: { tags, params: IncidentParams, response: { 200: SlaPauseView } } },
    async (request) =>
      withIsoTimes(
        await sla.resume(principalOf(request), request.params.tenantId, request.params.incidentId),
      ),
  );

  app.get(
    `${tenant}/sla-report`,
    { schema: { tags, params: TenantParams, querystring: SlaReportQuery } },
    async (request) =>
      withIsoTimes(
        await sla.report(
          principalOf(request),
          request.params.tenantId,
          rangeOf(request.query, now()),
        ),
      ),
  );

  app.get(
    '/api/v1/sla-report',
    { schema: { tags, querystring: SlaReportQuery } },
    async (request) => ({
      tenants: withIsoTimes(
        await sla.platformReport(principalOf(request), rangeOf(request.query, now())),
      ),
    }),
  );

  app.get(`${incident}/regulatory`, { schema: { tags, params: IncidentParams } }, async (request) =>
    withIsoTimes(
      await regulatory.view(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
      ),
    ),
  );

  app.post(
    `${incident}/regulatory/determination`,
    { schema: { tags, params: IncidentParams, body: DeterminationRequest } },
    async (request, reply) => {
      const { body } = request;
      const determination = await regulatory.determine(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        {
          reportable: body.reportable,
          regimes: body.regimes,
          reason: body.reason,
          ...(body.awarenessAt === undefined
            ? {}
            : { awarenessAt: instantOf(body.awarenessAt, 'awarenessAt') }),
          ...(body.paymentAt == null ? {} : { paymentAt: instantOf(body.paymentAt, 'paymentAt') }),
        },
      );
      return reply.status(201).send(withIsoTimes(determination));
    },
  );

  app.post(
    `${incident}/regulatory/notices`,
    { schema: { tags, params: IncidentParams, body: RegulatoryNoticeRequest } },
    async (request, reply) => {
      const { sentAt, regime, obligation, ...body } = request.body;
      const notice = await regulatory.recordNotice(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        {
          ...body,
          regimeId: regime,
          obligationId: obligation,
          ...(sentAt === undefined ? {} : { sentAt: instantOf(sentAt, 'sentAt') }),
        },
      );
      return reply.status(201).send(withIsoTimes(notice));
    },
  );

  app.get(
    `${incident}/regulatory/cisa-draft`,
    { schema: { tags, params: IncidentParams } },
    async (request) =>
      withIsoTimes(
        await regulatory.cisaDraft(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        ),
      ),
  );
}
