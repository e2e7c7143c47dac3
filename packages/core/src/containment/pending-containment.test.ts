import { describe, expect, it } from 'vitest';
import type { ActionState, ContainmentAction } from './containment-action.ts';
import { summarisePendingContainment } from './pending-containment.ts';

let clock = 0;
function action(kind: string, state: ActionState, agentId = 'a1'): ContainmentAction {
  clock += 1;
  return {
    id: `x${clock}`,
    tenantId: 't',
    agentId,
    incidentId: 'i',
    action: { kind },
    state,
    requestedBy: 'lead',
    approvedBy: null,
    requiredApprovals: 1,
    approvals: [],
    commandNonce: null,
    createdAt: clock,
    updatedAt: clock,
    detail: null,
    result: null,
  };
}

describe('pending containment of an incident', () => {
  it('counts containing actions in flight, not inspection, undoing or eradication', () => {
    const actions = [
      action('isolate', 'requested'),
      action('block', 'approved'),
      action('kill-process', 'sent'),
      action('disable-account', 'applied'),
      action('list-persistence', 'sent'),
      action('release', 'requested'),
      action('remove-persistence', 'approved'),
      action('ping', 'sent'),
    ];
    expect(summarisePendingContainment(actions, [])).toEqual({
      inFlight: 3,
      failed: 0,
      awaitingFailover: 0,
    });
  });

  it('forgives a failure only when the same kind was applied later on the same agent', () => {
    const failedThenApplied = [action('isolate', 'failed'), action('isolate', 'applied')];
    expect(summarisePendingContainment(failedThenApplied, []).failed).toBe(0);
    const appliedThenFailed = [action('isolate', 'applied'), action('isolate', 'rolled-back')];
    expect(summarisePendingContainment(appliedThenFailed, []).failed).toBe(1);
    const otherAgent = [action('isolate', 'failed', 'a1'), action('isolate', 'applied', 'a2')];
    expect(summarisePendingContainment(otherAgent, []).failed).toBe(1);
    const otherKind = [action('isolate', 'failed'), action('block', 'applied')];
    expect(summarisePendingContainment(otherKind, []).failed).toBe(1);
  });

  it('counts decisions waiting for their failover, not the settled ones', () => {
    const states = ['awaiting-failover', 'actions-queued', 'recorded', 'failover-failed'];
    expect(summarisePendingContainment([], states).awaitingFailover).toBe(1);
  });
});
