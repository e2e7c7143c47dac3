/**
 * Reported identity changes (issue 13 item 7). A heartbeat that names another host name or
 * other addresses than the agent enrolled with files a pending change — journalled, newest
 * claim superseding an older pending one — and changes nothing that containment targets by.
 * An incident lead approves (the agent's identity becomes the claim) or denies it.
 */
import { randomUUID } from 'node:crypto';
import { CordonError, sameIdentity } from '@cordon/core';
import type { AgentIdentity, AgentIdentityChange, AgentRecord, Store } from '@cordon/core';

/**
 * Claims filed per agent per day: an agent flipping between names on every heartbeat would
 * otherwise add a row and a journal entry each time.
 */
export const MAX_IDENTITY_CLAIMS_PER_DAY = 20;

/**
 * Files `to` as a pending identity change of `record`, unless it is already pending; returns
 * false when the agent has filed its day's share of claims already (the claim is not filed).
 */
export async function reportIdentity(
  store: Store,
  record: AgentRecord,
  to: AgentIdentity,
  now: number,
): Promise<boolean> {
  return store.transaction(async (uow) => {
    const scope = uow.forTenant(record.tenantId);
    const changes = scope.containment.identityChanges;
    const pending = await changes.list({ agentId: record.agentId, state: 'pending' }, 10);
    if (pending.some((change) => sameIdentity(change.to, to))) return true;
    const recent = await changes.list({ agentId: record.agentId }, MAX_IDENTITY_CLAIMS_PER_DAY);
    if (
      recent.length >= MAX_IDENTITY_CLAIMS_PER_DAY &&
      recent.every((change) => change.reportedAt > now - 24 * 3600_000)
    )
      return false;
    for (const stale of pending)
      await changes.decide({
        ...stale,
        state: 'superseded',
        decidedBy: `agent:${record.agentId}`,
        decidedAt: now,
        reason: 'a newer claim was reported',
      });
    const change: AgentIdentityChange = {
      id: randomUUID(),
      tenantId: record.tenantId,
      agentId: record.agentId,
      from: record.identity,
      to,
      state: 'pending',
      reportedAt: now,
      decidedBy: null,
      decidedAt: null,
      reason: null,
    };
    await changes.insert(change);
    await scope.journal.append({
      actor: `agent:${record.agentId}`,
      kind: 'agent.identity-change-reported',
      payload: { changeId: change.id, agentId: record.agentId, from: change.from, to },
    });
    return true;
  });
}

/** An incident lead's decision on a pending change; throws `not_found` / `conflict`. */
export async function decideIdentityChange(
  store: Store,
  input: {
    readonly tenantId: string;
    readonly changeId: string;
    readonly decision: 'approved' | 'denied';
    readonly actor: string;
    readonly reason: string | null;
    readonly now: number;
  },
): Promise<AgentIdentityChange> {
  return store.transaction(async (uow) => {
    const scope = uow.forTenant(input.tenantId);
    const change = await scope.containment.identityChanges.get(input.changeId);
    if (change === undefined)
      throw new CordonError('not_found', `identity change ${input.changeId} not found`);
    const decided: AgentIdentityChange = {
      ...change,
      state: input.decision,
      decidedBy: input.actor,
      decidedAt: input.now,
      reason: input.reason,
    };
    if (change.state !== 'pending' || !(await scope.containment.identityChanges.decide(decided)))
      throw new CordonError('conflict', `identity change ${change.id} is ${change.state}`);
    if (input.decision === 'approved') {
      const agent = await scope.containment.agents.get(change.agentId);
      // Approving a claim made against an identity that has changed since would skip a step.
      if (agent === undefined || !sameIdentity(agent.identity, change.from))
        throw new CordonError(
          'conflict',
          `agent ${change.agentId}'s identity changed since this claim was reported`,
        );
      await scope.containment.agents.setIdentity(change.agentId, change.to);
    }
    await scope.journal.append({
      actor: input.actor,
      kind: `agent.identity-change-${input.decision}`,
      payload: {
        changeId: change.id,
        agentId: change.agentId,
        from: change.from,
        to: change.to,
        ...(input.reason === null ? {} : { reason: input.reason }),
      },
    });
    return decided;
  });
}
