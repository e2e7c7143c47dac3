/**
 * Live detection: alerts (list with filters and paging, read, acknowledge, close), the
 * tenant's suppressions, exclusions and own Sigma rules. Changes to rules and exclusions take
 * effect on the next batch the tenant sends. A stored rule that live detection skips (it failed
 * its check when compiled) shows why in `problems`.
 */
import {
  AlertView,
  CloseAlertRequest,
  CreateExclusionRequest,
  CreateSuppressionRequest,
  CreateTenantRuleRequest,
  ExclusionView,
  ListAlertsQuery,
  SuppressionView,
  TenantParams,
  TenantRuleView,
  UpdateTenantRuleRequest,
  Uuid,
  closed,
  keysetPageOf,
} from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import type { Detection } from '../detection/detection-wiring.ts';
import { principalOf } from '../http/authentication.ts';
import {
  alertView,
  exclusionView,
  suppressionView,
  tenantRuleView,
} from '../http/detection-views.ts';
import { msOf } from '../http/views.ts';
import { keysetPageParams, nextCursor } from '../http/page-cursor.ts';
import type { App } from './route-context.ts';

const AlertParams = closed({ tenantId: Uuid, alertId: Uuid });
const SuppressionParams = closed({ tenantId: Uuid, suppressionId: Uuid });
const ExclusionParams = closed({ tenantId: Uuid, exclusionId: Uuid });
const RuleParams = closed({ tenantId: Uuid, ruleId: Uuid });
const tags = ['detection'];

export function detectionRoutes(app: App, detection: Detection): void {
  const { alerts } = detection;
  const base = '/api/v1/tenants/:tenantId';

  app.get(
    `${base}/alerts`,
    {
      schema: {
        tags,
        params: TenantParams,
        querystring: ListAlertsQuery,
        response: { 200: keysetPageOf(AlertView) },
      },
    },
    async (request) => {
      const { status, level, ruleId, host, user, incidentId, from, to } = request.query;
      const params = keysetPageParams(request.query);
      const page = await alerts.list(
        principalOf(request),
        request.params.tenantId,
        {
          ...(status ? { status } : {}),
          ...(level ? { level } : {}),
          ...(ruleId ? { ruleId } : {}),
          ...(host ? { host } : {}),
          ...(user ? { user } : {}),
          ...(incidentId ? { incidentId } : {}),
          ...(from ? { lastSeenFrom: msOf(from) } : {}),
          ...(to ? { lastSeenTo: msOf(to) } : {}),
        },
        params,
      );
      return {
        total: page.total,
        totalIsLowerBound: page.totalIsLowerBound,
        items: page.items.map(alertView),
        nextCursor: nextCursor(page.items, params.limit, (a) => ({ at: a.lastSeen, tie: a.id })),
      };
    },
  );

  app.get(
    `${base}/alerts/:alertId`,
    { schema: { tags, params: AlertParams, response: { 200: AlertView } } },
    async (request) =>
      alertView(
        await alerts.get(principalOf(request), request.params.tenantId, request.params.alertId),
      ),
  );

  app.post(
    `${base}/alerts/:alertId/acknowledge`,
    { schema: { tags, params: AlertParams, response: { 200: AlertView } } },
    async (request) =>
      alertView(
        await alerts.acknowledge(
          principalOf(request),
          request.params.tenantId,
          request.params.alertId,
        ),
      ),
  );

  app.post(
    `${base}/alerts/:alertId/close`,
    {
      schema: { tags, params: AlertParams, body: CloseAlertRequest, response: { 200: AlertView } },
    },
    async (request) =>
      alertView(
        await alerts.close(
          principalOf(request),
          request.params.tenantId,
          request.params.alertId,
          request.body.reason,
        ),
      ),
  );

  app.get(
    `${base}/suppressions`,
    { schema: { tags, params: TenantParams, response: { 200: Type.Array(SuppressionView) } } },
    async (request) =>
      (await alerts.suppressions(principalOf(request), request.params.tenantId)).map(
        suppressionView,
      ),
  );

  app.post(
    `${base}/suppressions`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateSuppressionRequest,
        response: { 201: SuppressionView },
      },
    },
    async (request, reply) => {
      const { ruleId, fields, reason, expiresAt } = request.body;
      const suppression = await alerts.addSuppression(
        principalOf(request),
        request.params.tenantId,
        {
          ruleId: ruleId ?? null,
          fields: fields ?? {},
          reason,
          expiresAt: expiresAt ? msOf(expiresAt) : null,
        },
      );
      return reply.status(201).send(suppressionView(suppression));
    },
  );

  app.delete(
    `${base}/suppressions/:suppressionId`,
    { schema: { tags, params: SuppressionParams } },
    async (request, reply) => {
      await alerts.removeSuppression(
        principalOf(request),
        request.params.tenantId,
        request.params.suppressionId,
      );
      return reply.status(204).send();
    },
  );

  app.get(
    `${base}/detection/exclusions`,
    { schema: { tags, params: TenantParams, response: { 200: Type.Array(ExclusionView) } } },
    async (request) =>
      (await alerts.exclusions(principalOf(request), request.params.tenantId)).map(exclusionView),
  );

  app.post(
    `${base}/detection/exclusions`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateExclusionRequest,
        response: { 201: ExclusionView },
      },
    },
    async (request, reply) => {
      const { ruleId, fields, reason } = request.body;
      const exclusion = await alerts.addExclusion(principalOf(request), request.params.tenantId, {
        ruleId: ruleId ?? null,
        fields: fields ?? {},
        reason,
      });
      detection.service.invalidate(request.params.tenantId);
      return reply.status(201).send(exclusionView(exclusion));
    },
  );

  app.delete(
    `${base}/detection/exclusions/:exclusionId`,
    { schema: { tags, params: ExclusionParams } },
    async (request, reply) => {
      await alerts.removeExclusion(
        principalOf(request),
        request.params.tenantId,
        request.params.exclusionId,
      );
      detection.service.invalidate(request.params.tenantId);
      return reply.status(204).send();
    },
  );

  app.get(
    `${base}/detection/rules`,
    { schema: { tags, params: TenantParams, response: { 200: Type.Array(TenantRuleView) } } },
    async (request) =>
      (await alerts.rules(principalOf(request), request.params.tenantId)).map((rule) =>
        tenantRuleView(rule, detection.service.ruleProblems(rule.tenantId, rule)),
      ),
  );

  app.post(
    `${base}/detection/rules`,
    {
      // A tenant over its share of rule checks is refused before its rule text is read.
      config: { refuseOverShare: 'rules' },
      schema: {
        tags,
        params: TenantParams,
        body: CreateTenantRuleRequest,
        response: { 201: TenantRuleView },
      },
    },
    async (request, reply) => {
      const rule = await alerts.addRule(
        principalOf(request),
        request.params.tenantId,
        request.body.yaml,
      );
      detection.service.invalidate(request.params.tenantId);
      return reply.status(201).send(tenantRuleView(rule));
    },
  );

  app.get(
    `${base}/detection/rules/:ruleId`,
    { schema: { tags, params: RuleParams, response: { 200: TenantRuleView } } },
    async (request) => {
      const rule = await alerts.rule(
        principalOf(request),
        request.params.tenantId,
        request.params.ruleId,
      );
      return tenantRuleView(rule, detection.service.ruleProblems(rule.tenantId, rule));
    },
  );

  app.patch(
    `${base}/detection/rules/:ruleId`,
    {
      schema: {
        tags,
        params: RuleParams,
        body: UpdateTenantRuleRequest,
        response: { 200: TenantRuleView },
      },
    },
    async (request) => {
      const rule = await alerts.setRuleEnabled(
        principalOf(request),
        request.params.tenantId,
        request.params.ruleId,
        request.body.enabled,
      );
      detection.service.invalidate(request.params.tenantId);
      return tenantRuleView(rule);
    },
  );

  app.delete(
    `${base}/detection/rules/:ruleId`,
    { schema: { tags, params: RuleParams } },
    async (request, reply) => {
      await alerts.removeRule(principalOf(request), request.params.tenantId, request.params.ruleId);
      detection.service.invalidate(request.params.tenantId);
      return reply.status(204).send();
    },
  );
}
