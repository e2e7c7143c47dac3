import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '@cordon/storage';
import { ActionQueue, journalActionTransitions } from './index.ts';

const dataDir = await mkdtemp(join(tmpdir(), 'cordon-action-journal-'));
const store = await openStore({ dataDir });
afterAll(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('journalActionTransitions', () => {
  it('appends one journal entry per action transition, tied to the incident', async () => {
    const tenantId = randomUUID();
    await store.transaction(async (uow) =>
      uow.tenants.insert({ id: tenantId, name: `t-${tenantId}`, createdAt: Date.now() }),
    );
    const queue = new ActionQueue({ onTransition: journalActionTransitions(store) });
    const action = await queue.request({
      tenantId,
      agentId: 'agent-1',
      action: { kind: 'isolate' },
      requestedBy: 'user:lead',
      incidentId: null,
    });
    await queue.transition(action.id, 'sent', 'gateway');
    await queue.transition(action.id, 'rolled-back', 'agent:agent-1', {
      detail: 'server unreachable after isolating',
    });
    const entries = await store.transaction(async (uow) =>
      uow.forTenant(tenantId).journal.list({}, 100),
    );
    const mine = entries.filter((entry) => entry.kind.startsWith('action.'));
    expect(mine.map((entry) => [entry.kind, entry.actor])).toEqual([
      ['action.requested', 'user:lead'],
      ['action.approved', 'user:lead'],
      ['action.sent', 'gateway'],
      ['action.rolled-back', 'agent:agent-1'],
    ]);
    expect(mine.at(-1)?.payload).toMatchObject({
      actionId: action.id,
      from: 'sent',
      to: 'rolled-back',
      detail: 'server unreachable after isolating',
    });
  });
});
