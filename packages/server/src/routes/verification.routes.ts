/**
 * Verification of an incident: checks (re-hunt, reachability, detection replay), running them
 * (one, or all: `cordon incident verify`), resuming an incomplete re-hunt, and the history of
 * their runs.
 */
import {
  CheckView,
  CreateCheckRequest,
  RunListQuery,
  RunView,
  Uuid,
  closed,
} from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../http/authentication.ts';
import { checkView, runView } from '../http/recovery-views.ts';
import type { Recovery } from '../recovery/recovery-wiring.ts';
import type { App } from './route-context.ts';

const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const CheckParams = closed({ tenantId: Uuid, incidentId: Uuid, checkId: Uuid });
const RunParams = closed({ tenantId: Uuid, incidentId: Uuid, runId: Uuid });
const tags = ['verification'];
const base = '/api/v1/tenants/:tenantId/incidents/:incidentId/verification';

export function verificationRoutes(
  app: App,
  { verification }: Pick<Recovery, 'verification'>,
): void {
  app.get(
    `${base}/checks`,
    { schema: { tags, params: IncidentParams, response: { 200: Type.Array(CheckView) } } },
    async (request) =>
      (
        await verification.checks(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        )
      ).map(({ check, lastRun }) => checkView(check, lastRun)),
  );

  app.post(
    `${base}/checks`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: CreateCheckRequest,
        response: { 201: CheckView },
      },
    },
    async (request, reply) => {
      const check = await verification.addCheck(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        request.body,
      );
      return reply.status(201).send(checkView(check));
    },
  );

  app.post(
    `${base}/checks/:checkId/runs`,
    { schema: { tags, params: CheckParams, response: { 201: RunView } } },
    async (request, reply) => {
      const { tenantId, incidentId, checkId } = request.params;
      const run = await verification.run(principalOf(request), tenantId, incidentId, checkId);
      return reply.status(201).send(runView(run));
    },
  );

  app.post(
    `${base}/runs/:runId/resume`,
    {
      schema: {
        tags,
        summary: 'Continue an incomplete re-hunt from the cursor it reached',
        params: RunParams,
        response: { 201: RunView },
      },
    },
    async (request, reply) => {
      const { tenantId, incidentId, runId } = request.params;
      const run = await verification.resume(principalOf(request), tenantId, incidentId, runId);
      return reply.status(201).send(runView(run));
    },
  );

  app.post(
    `${base}/runs`,
    { schema: { tags, params: IncidentParams, response: { 201: Type.Array(RunView) } } },
    async (request, reply) => {
      const { tenantId, incidentId } = request.params;
      const runs = await verification.runAll(principalOf(request), tenantId, incidentId);
      return reply.status(201).send(runs.map(runView));
    },
  );

  app.get(
    `${base}/runs`,
    {
      schema: {
        tags,
        params: IncidentParams,
        querystring: RunListQuery,
        response: { 200: Type.Array(RunView) },
      },
    },
    async (request) => {
      const { tenantId, incidentId } = request.params;
      const { checkId, limit } = request.query;
      return (
        await verification.runs(principalOf(request), tenantId, incidentId, {
          ...(checkId ? { checkId } : {}),
          ...(limit ? { limit: Number(limit) } : {}),
        })
      ).map(runView);
    },
  );
}
