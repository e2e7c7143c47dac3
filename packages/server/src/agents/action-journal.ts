/**
 * Journals every action transition in the tenant's hash-chained journal, tied to the incident
 * when there is one: `action.requested`, `action.approved`, `action.sent`, `action.applied` …
 * Pass the result as `ActionQueue`'s `onTransition`.
 */
import type { Store } from '@cordon/core';
import type { ActionTransition } from './agent-action.ts';

export function journalActionTransitions(
  store: Store,
): (transition: ActionTransition) => Promise<void> {
  return async ({ action, from, to, actor }) => {
    await store.transaction(async (uow) => {
      await uow.forTenant(action.tenantId).journal.append({
        actor,
        kind: `action.${to}`,
        incidentId: action.incidentId,
        payload: {
          actionId: action.id,
          agentId: action.agentId,
          action: action.action,
          from,
          to,
          ...(action.detail === null ? {} : { detail: action.detail }),
        },
      });
    });
  };
}
