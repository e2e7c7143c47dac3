import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SignedCommandResult } from '@cordon/protocol';
import { ResultOutbox } from '../index.ts';

const work = await mkdtemp(join(tmpdir(), 'cordon-outbox-'));
afterAll(() => rm(work, { recursive: true, force: true }));

const result = (commandId: string): SignedCommandResult => ({
  body: {
    version: 1,
    tenantId: 't',
    agentId: 'a',
    commandId,
    status: 'applied',
    completedAt: 1,
    detail: '',
  },
  signature: 'sig',
});

describe('ResultOutbox', () => {
  it('keeps unacknowledged results across a restart, bounded, oldest dropped first', async () => {
    const outbox = await ResultOutbox.open(work, 3);
    for (const id of ['c1', 'c2', 'c3', 'c4']) await outbox.add(result(id));
    await outbox.acknowledge('c3');
    const reopened = await ResultOutbox.open(work, 3);
    expect(reopened.pending.map((r) => r.body.commandId)).toEqual(['c2', 'c4']);
  });
});
