/**
 * What the *contained* guard reads of an incident's containment: the agent actions that cut a
 * host off or stop something and have not reached the agent's report yet, the ones that failed
 * with nothing applied after them on the same agent, and the server decisions still waiting for
 * a failover to be confirmed. An incident is not contained while any of these stand, whatever
 * its containment note says (an incident lead may still override, with a justification).
 */
import type { ActionState, ContainmentAction } from './containment-action.ts';
import type { TenantScope } from '../ports/store.ts';

/** Agent action kinds that contain; undoing, inspecting and eradicating are not counted here. */
export const CONTAINING_ACTION_KINDS: readonly string[] = [
  'isolate',
  'block',
  'kill-process',
  'disable-account',
];

const IN_FLIGHT: readonly ActionState[] = ['requested', 'approved', 'sent'];

/** More actions than this on one incident is a runaway automation, not an incident. */
const MAX_ACTIONS_READ = 5000;

export interface PendingContainment {
  /** Containing actions requested, approved or sent, not yet reported applied. */
  readonly inFlight: number;
  /** Containing actions that failed or were rolled back, with none applied later in their place. */
  readonly failed: number;
  /** Decisions whose isolation waits for an incident lead to confirm the failover. */
  readonly awaitingFailover: number;
}

function failedUnreplaced(actions: readonly ContainmentAction[]): number {
  const applied = actions.filter((a) => a.state === 'applied' || a.state === 'reverted');
  return actions.filter(
    (a) =>
      (a.state === 'failed' || a.state === 'rolled-back') &&
      !applied.some(
        (b) =>
          b.agentId === a.agentId && b.action.kind === a.action.kind && b.createdAt >= a.createdAt,
      ),
  ).length;
}

export function summarisePendingContainment(
  actions: readonly ContainmentAction[],
  decisionStates: readonly string[],
): PendingContainment {
  const containing = actions.filter((a) => CONTAINING_ACTION_KINDS.includes(a.action.kind));
  return {
    inFlight: containing.filter((a) => IN_FLIGHT.includes(a.state)).length,
    failed: failedUnreplaced(containing),
    awaitingFailover: decisionStates.filter((s) => s === 'awaiting-failover').length,
  };
}

export async function pendingContainment(
  scope: TenantScope,
  incidentId: string,
): Promise<PendingContainment> {
  const actions = await scope.containment.actions.list({ incidentId }, MAX_ACTIONS_READ);
  const decisions = await scope.containment.decisions.list(incidentId);
  return summarisePendingContainment(
    actions,
    decisions.map((d) => d.state),
  );
}
