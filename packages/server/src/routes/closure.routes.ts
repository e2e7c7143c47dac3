/** Lessons learned and closure: the closing review of an incident and its figures. */
import {
  ClosingReviewRequest,
  ClosingReviewView,
  ClosureView,
  Uuid,
  closed,
} from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import { closingReviewView, closureView } from '../http/recovery-views.ts';
import { msOf } from '../http/views.ts';
import type { Recovery } from '../recovery/recovery-wiring.ts';
import type { App } from './route-context.ts';

const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const tags = ['closure'];
const base = '/api/v1/tenants/:tenantId/incidents/:incidentId';

export function closureRoutes(app: App, { closure }: Pick<Recovery, 'closure'>): void {
  app.put(
    `${base}/review`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: ClosingReviewRequest,
        response: { 200: ClosingReviewView },
      },
    },
    async (request) => {
      const { followUps, ...rest } = request.body;
      return closingReviewView(
        await closure.putReview(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
          {
            ...rest,
            followUps: followUps.map(({ due, ...f }) => ({ ...f, dueAt: msOf(due) })),
          },
        ),
      );
    },
  );

  app.get(
    `${base}/closure`,
    { schema: { tags, params: IncidentParams, response: { 200: ClosureView } } },
    async (request) =>
      closureView(
        await closure.summary(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        ),
      ),
  );
}
