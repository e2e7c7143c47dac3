/**
 * Containment decisions for servers over HTTP: the options for an incident's affected servers
 * with their figures, decisions (choose an option with a rationale; list; show) and the failover
 * step of a failover-then-isolate decision. Authorisation is the service's; this file maps HTTP
 * to it and back.
 */
import type { KeepOpenRule } from '@cordon/core';
import { CordonError } from '@cordon/core';
import {
  ContainmentOptionsQuery,
  ContainmentOptionsView,
  CreateDecisionBody,
  DecisionList,
  DecisionParams,
  DecisionView,
  FailoverOutcomeBody,
  IncidentDecisionParams,
} from '@cordon/protocol';
import type { ContainmentDecisionService } from '../decisions/containment-decision.service.ts';
import { assetOptionsView, decisionView } from '../decisions/decision-views.ts';
import { principalOf } from '../http/authentication.ts';
import { iso } from '../http/views.ts';
import type { App } from './route-context.ts';

/** `segment:port,port;segment:port` (the query's grammar is checked by its schema). */
export function parseKeepOpen(text: string | undefined): KeepOpenRule[] | undefined {
  if (text === undefined) return undefined;
  return text.split(';').map((part) => {
    const colon = part.lastIndexOf(':');
    const ports = part
      .slice(colon + 1)
      .split(',')
      .map(Number);
    if (ports.some((p) => p < 1 || p > 65535))
      throw new CordonError('invalid_input', `keepOpen: ports are 1..65535 (${part})`);
    return { segment: part.slice(0, colon), ports };
  });
}

export function containmentDecisionRoutes(app: App, decisions: ContainmentDecisionService): void {
  const base = '/api/v1/tenants/:tenantId/incidents/:incidentId';
  const tags = ['containment'];

  app.get(
    `${base}/containment-options`,
    {
      schema: {
        tags,
        params: IncidentDecisionParams,
        querystring: ContainmentOptionsQuery,
        response: { 200: ContainmentOptionsView },
      },
    },
    async (request) => {
      const result = await decisions.options(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        { assetId: request.query.assetId, keepOpen: parseKeepOpen(request.query.keepOpen) },
      );
      return {
        incidentId: result.incident.id,
        severity: result.incident.severity,
        generatedAt: iso(result.generatedAt),
        durations: { ...result.durations },
        assets: result.assets.map(assetOptionsView),
        skipped: result.skipped.map((s) => ({ ...s })),
      };
    },
  );

  app.get(
    `${base}/containment-decisions`,
    { schema: { tags, params: IncidentDecisionParams, response: { 200: DecisionList } } },
    async (request) => ({
      items: (
        await decisions.list(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        )
      ).map((d) => decisionView(d.decision, d.actions)),
    }),
  );

  app.post(
    `${base}/containment-decisions`,
    {
      schema: {
        tags,
        params: IncidentDecisionParams,
        body: CreateDecisionBody,
        response: { 201: DecisionView },
      },
    },
    async (request, reply) => {
      const made = await decisions.decide(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        request.body,
      );
      return reply.status(201).send(decisionView(made.decision, made.actions));
    },
  );

  app.get(
    `${base}/containment-decisions/:decisionId`,
    { schema: { tags, params: DecisionParams, response: { 200: DecisionView } } },
    async (request) => {
      const found = await decisions.get(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        request.params.decisionId,
      );
      return decisionView(found.decision, found.actions);
    },
  );

  app.post(
    `${base}/containment-decisions/:decisionId/failover`,
    {
      schema: {
        tags,
        params: DecisionParams,
        body: FailoverOutcomeBody,
        response: { 200: DecisionView },
      },
    },
    async (request) => {
      const done = await decisions.failoverOutcome(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        request.params.decisionId,
        request.body,
      );
      return decisionView(done.decision, done.actions);
    },
  );
}
