/**
 * What `autoContainmentDecision` (core) needs besides the policy, read for one raised incident:
 * the provenance of the events behind it, from the event store (durable before detection saw
 * them), and the times of the tenant's recent automatic isolations, from the action queue.
 * Both fail safe: an event that cannot be read, or more events than are read, counts as
 * unconfirmed; a window fuller than the page read counts as the limit reached.
 */
import type { EventProvenance, EventStore } from '@cordon/core';
import type { ActionQueue } from './action-queue.ts';

/** Who requests (and approves) what the policy does on its own. */
export const AUTO_CONTAINMENT_ACTOR = 'policy:auto-containment';

/** Events read per raise; alerts keep at most 50 ids each, so this covers a few alerts. */
const MAX_EVIDENCE_EVENTS = 200;
/** Actions looked at for the rate limit (newest first). */
const RECENT_ACTIONS_PAGE = 1_000;

export async function triggeringProvenance(
  events: Pick<EventStore, 'getEvent'> | undefined,
  tenantId: string,
  eventIds: readonly string[],
): Promise<(EventProvenance | undefined)[]> {
  const ids = [...new Set(eventIds)];
  const read = ids.slice(0, MAX_EVIDENCE_EVENTS);
  const found = await Promise.all(
    read.map(async (id) => (await events?.getEvent(tenantId, id))?.provenance),
  );
  return [...found, ...Array<undefined>(ids.length - read.length).fill(undefined)];
}

export async function recentAutomaticIsolations(
  queue: ActionQueue,
  tenantId: string,
  window: { readonly since: number; readonly maxIsolations: number; readonly now: number },
): Promise<number[]> {
  const actions = await queue.list(tenantId, {}, RECENT_ACTIONS_PAGE);
  const times = actions
    .filter(
      (a) =>
        a.action.kind === 'isolate' &&
        a.requestedBy === AUTO_CONTAINMENT_ACTOR &&
        a.approvedBy === AUTO_CONTAINMENT_ACTOR,
    )
    .map((a) => a.createdAt);
  const oldest = actions.at(-1);
  if (
    actions.length === RECENT_ACTIONS_PAGE &&
    oldest !== undefined &&
    oldest.createdAt > window.since
  ) {
    // More actions in the window than one page: do not guess, count the limit as reached.
    return Array<number>(window.maxIsolations).fill(window.now);
  }
  return times;
}
