/**
 * Reading an incident's eradication actions with their waivers from a tenant scope (what the
 * guard and the eradication view share), and checking a waiver's written reason.
 */
import { CordonError } from '../errors/cordon-error.ts';
import type { TenantScope } from '../ports/store.ts';
import { MAX_WAIVER_REASON, MIN_WAIVER_REASON } from './action-waiver.ts';
import type { EradicationActionStep } from './eradication-steps.ts';
import { isEradicationAction } from './eradication-steps.ts';

/** More actions than this on one incident is not an incident: a runaway automation. */
const MAX_ACTIONS_READ = 5000;

export async function eradicationActionSteps(
  scope: TenantScope,
  incidentId: string,
): Promise<EradicationActionStep[]> {
  const actions = await scope.containment.actions.list({ incidentId }, MAX_ACTIONS_READ);
  const waived = new Set((await scope.eradication.waivers.list(incidentId)).map((w) => w.actionId));
  return actions
    .filter((action) => isEradicationAction(action.action.kind))
    .map((action) => ({
      id: action.id,
      kind: action.action.kind,
      state: action.state,
      waived: waived.has(action.id),
    }));
}

export function waiverReason(reason: string | undefined): string {
  const text = reason?.trim() ?? '';
  if (text.length < MIN_WAIVER_REASON || text.length > MAX_WAIVER_REASON)
    throw new CordonError(
      'invalid_input',
      `a waiver needs a written reason (${MIN_WAIVER_REASON} to ${MAX_WAIVER_REASON} characters)`,
    );
  return text;
}
