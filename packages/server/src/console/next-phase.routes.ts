/**
 * What the incident's next phase still needs, judged by the same guard and facts the transition
 * uses (`IncidentService.previewTransition`), so the console's phase stepper can say it before anyone presses a button.
 * Read-only: nothing is recorded.
 */
import type { Phase } from '@cordon/core';
import { PHASES, phaseIndex } from '@cordon/core';
import { NextPhaseQuery, NextPhaseView, Uuid, closed } from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import type { App, Services } from '../routes/route-context.ts';

const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });

export function nextPhaseRoutes(app: App, { incidents }: Services): void {
  app.get(
    '/api/v1/tenants/:tenantId/incidents/:incidentId/next-phase',
    {
      schema: {
        tags: ['incidents'],
        params: IncidentParams,
        querystring: NextPhaseQuery,
        response: { 200: NextPhaseView },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const { tenantId, incidentId } = request.params;
      const current = await incidents.get(principal, tenantId, incidentId);
      const to: Phase | undefined = request.query.to ?? PHASES[phaseIndex(current.phase) + 1];
      if (current.phase === 'closed' || to === undefined) {
        return { from: current.phase, to: null, check: 'final' as const, unmet: [], reason: null };
      }
      // A resolved close is the one a guard judges; the other closure reasons are always allowed.
      const { incident, check } = await incidents.previewTransition(
        principal,
        tenantId,
        incidentId,
        {
          to,
          ...(to === 'closed' ? { closureReason: 'resolved' as const } : {}),
        },
      );
      switch (check.kind) {
        case 'allowed':
          return { from: incident.phase, to, check: 'allowed' as const, unmet: [], reason: null };
        case 'guarded':
          return {
            from: incident.phase,
            to,
            check: 'guarded' as const,
            unmet: [...check.unmet],
            reason: null,
          };
        case 'invalid':
          return {
            from: incident.phase,
            to,
            check: 'invalid' as const,
            unmet: [],
            reason: check.reason,
          };
      }
    },
  );
}
