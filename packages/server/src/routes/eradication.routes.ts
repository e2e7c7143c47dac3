/**
 * The eradication phase: `GET …/incidents/{id}/eradication` lists every eradication step with
 * its state and what the eradicated guard still needs; `POST …/incidents/{id}/actions/{actionId}/waive`
 * records an incident lead's decision to accept an eradication action that failed or will not
 * run, with the reason. (Tasks are waived through `PATCH …/tasks/{taskId}` with status `waived`.)
 */
import type { ActionWaiver, EradicationService } from '@cordon/core';
import {
  ActionWaiverView,
  EradicationView,
  Uuid,
  WaiveActionRequest,
  closed,
} from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import type { App } from './route-context.ts';

const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const WaiveParams = closed({ tenantId: Uuid, incidentId: Uuid, actionId: Uuid });
const tags = ['eradication'];

const waiverView = (waiver: ActionWaiver) => ({
  actionId: waiver.actionId,
  incidentId: waiver.incidentId,
  reason: waiver.reason,
  waivedBy: waiver.waivedBy,
  waivedAt: new Date(waiver.waivedAt).toISOString(),
});

export function eradicationRoutes(app: App, eradication: EradicationService): void {
  const base = '/api/v1/tenants/:tenantId/incidents/:incidentId';

  app.get(
    `${base}/eradication`,
    { schema: { tags, params: IncidentParams, response: { 200: EradicationView } } },
    async (request) => {
      const view = await eradication.view(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
      );
      return {
        steps: [...view.steps],
        waivers: view.waivers.map(waiverView),
        unmet: [...view.unmet],
      };
    },
  );

  app.post(
    `${base}/actions/:actionId/waive`,
    {
      schema: {
        tags,
        params: WaiveParams,
        body: WaiveActionRequest,
        response: { 201: ActionWaiverView },
      },
    },
    async (request, reply) => {
      const waiver = await eradication.waiveAction(
        principalOf(request),
        request.params.tenantId,
        { incidentId: request.params.incidentId, actionId: request.params.actionId },
        request.body.reason,
      );
      return reply.status(201).send(waiverView(waiver));
    },
  );
}
