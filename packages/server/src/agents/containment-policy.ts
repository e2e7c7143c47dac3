/**
 * Auto-containment: per tenant, rules that turn a raised incident into a containment action —
 * e.g. "high or critical on a workstation → isolate at once; on a server → request approval
 * from an incident lead". The first matching rule wins; no rule, no action. Deciding is pure;
 * `applyContainmentPolicy` queues the action (held for approval when the rule says so) and
 * dispatches it.
 */
import { SEVERITIES } from '@cordon/core';
import type { Severity } from '@cordon/core';
import type { AgentAction } from './agent-action.ts';
import type { AgentGateway } from './agent-gateway.ts';
import type { ActionQueue } from './action-queue.ts';

export type AssetRole = 'workstation' | 'server';

export interface ContainmentRule {
  readonly minSeverity: Severity;
  readonly assetRole: AssetRole | 'any';
  readonly response: 'isolate' | 'request-approval';
}

export interface ContainmentPolicy {
  readonly tenantId: string;
  readonly rules: readonly ContainmentRule[];
}

export type ContainmentDecision =
  | { readonly kind: 'isolate'; readonly rule: ContainmentRule }
  | { readonly kind: 'request-approval'; readonly rule: ContainmentRule }
  | { readonly kind: 'none' };

export const DEFAULT_CONTAINMENT_RULES: readonly ContainmentRule[] = [
  { minSeverity: 'high', assetRole: 'workstation', response: 'isolate' },
  { minSeverity: 'high', assetRole: 'server', response: 'request-approval' },
];

export function containmentDecision(
  policy: ContainmentPolicy,
  incident: { readonly severity: Severity; readonly assetRole: AssetRole },
): ContainmentDecision {
  const rank = (severity: Severity): number => SEVERITIES.indexOf(severity);
  const rule = policy.rules.find(
    (candidate) =>
      rank(incident.severity) >= rank(candidate.minSeverity) &&
      (candidate.assetRole === 'any' || candidate.assetRole === incident.assetRole),
  );
  if (rule === undefined) return { kind: 'none' };
  return { kind: rule.response, rule };
}

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
  if (action.state === 'approved') await services.gateway.dispatch(action.id);
  return services.queue.get(action.id);
}
