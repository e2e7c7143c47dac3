/**
 * Auto-containment: the core decides (`containmentDecision`); this queues the isolation the
 * decision calls for — held for an incident lead's approval when the rule says so — and sends
 * it at once otherwise.
 */
import type { ContainmentDecision } from '@cordon/core';
import type { AgentAction } from './agent-action.ts';
import type { AgentGateway } from './agent-gateway.ts';
import type { ActionQueue } from './action-queue.ts';

export { ASSET_ROLES, DEFAULT_CONTAINMENT_RULES, containmentDecision } from '@cordon/core';
export type {
  AssetRole,
  ContainmentDecision,
  ContainmentPolicy,
  ContainmentRule,
} from '@cordon/core';

/** Queues (and, unless held for approval, sends) the isolation a decision calls for. */
export async function applyContainmentPolicy(
  decision: ContainmentDecision,
  target: { readonly tenantId: string; readonly agentId: string; readonly incidentId: string },
  services: { readonly queue: ActionQueue; readonly gateway: AgentGateway },
): Promise<AgentAction | undefined> {
  if (decision.kind === 'none') return undefined;
  const action = await services.queue.request({
    tenantId: target.tenantId,
    agentId: target.agentId,
    incidentId: target.incidentId,
    action: { kind: 'isolate' },
    requestedBy: 'policy:auto-containment',
    requiresApproval: decision.kind === 'request-approval',
  });
  if (action.state === 'approved') await services.gateway.dispatch(target.tenantId, action.id);
  return services.queue.get(target.tenantId, action.id);
}
