/**
 * issue 13 item 3, siblings: replay across restarts. Quarantining or corrupting the nonce
 * store, or setting the agent's clock back after nonces were pruned, must not make a captured
 * command acceptable again.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NonceStore } from './nonce-store.ts';

describe('NonceStore: no replay across restarts', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cordon-nonces-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps nonces across a reopen and reads the old file format', async () => {
    const store = await NonceStore.open(dir, { enrolled: true, now: 1000 });
    await store.record('n1', 5000, 1000);
    expect((await NonceStore.open(dir, { enrolled: true, now: 2000 })).has('n1')).toBe(true);
    await writeFile(join(dir, 'nonces.json'), JSON.stringify({ old: 9000 }));
    const reopened = await NonceStore.open(dir, { enrolled: true, now: 2000 });
    expect(reopened.has('old')).toBe(true);
    expect(reopened.replayRisk({ issuedAt: 1500, expiresAt: 8000 })).toBeUndefined();
  });

  it('refuses commands issued before an enrolled agent lost its store (deleted or corrupt)', async () => {
    const store = await NonceStore.open(dir, { enrolled: true, now: 1000 });
    await store.record('n1', 60_000, 1000);
    for (const loss of ['delete', 'corrupt'] as const) {
      if (loss === 'delete') await rm(join(dir, 'nonces.json'));
      else await writeFile(join(dir, 'nonces.json'), '{"n1": ');
      const after = await NonceStore.open(dir, { enrolled: true, now: 2000 });
      expect(after.has('n1')).toBe(false);
      expect(after.replayRisk({ issuedAt: 1000, expiresAt: 60_000 }), loss).toMatch(/lost/);
      expect(after.replayRisk({ issuedAt: 2500, expiresAt: 60_000 })).toBeUndefined();
    }
    // The watermark is itself persisted: a restart does not forget it.
    const again = await NonceStore.open(dir, { enrolled: true, now: 9000 });
    expect(again.replayRisk({ issuedAt: 1000, expiresAt: 60_000 })).toMatch(/lost/);
  });

  it('a fresh, unenrolled agent accepts whatever is issued', async () => {
    const store = await NonceStore.open(dir, { enrolled: false, now: 5000 });
    expect(store.replayRisk({ issuedAt: 1, expiresAt: 6000 })).toBeUndefined();
  });

  it('refuses a pruned command when the clock is set back', async () => {
    const store = await NonceStore.open(dir, { enrolled: false, now: 0 });
    await store.record('old', 10_000, 5_000);
    await store.record('new', 30_000, 20_000); // prunes `old`
    expect(store.has('old')).toBe(false);
    // With the clock set back to 6 000, `old` would pass expiry and nonce checks again.
    expect(store.replayRisk({ issuedAt: 4_000, expiresAt: 10_000 })).toMatch(/clock set back/);
    const reopened = await NonceStore.open(dir, { enrolled: true, now: 6_000 });
    expect(reopened.replayRisk({ issuedAt: 4_000, expiresAt: 10_000 })).toMatch(/clock/);
  });
});
