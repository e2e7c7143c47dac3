/**
 * issue 13 item 6 (server side): a rule's regex run over 64 KB values stalled `/healthz` for
 * seconds, because live matching ran on the thread that serves requests. Matching now runs in
 * a worker thread: a stored costly rule makes detection slower, not the server. A worker that
 * overruns its per-batch budget is replaced; the batch is reported failed and detection carries
 * on for every tenant.
 */
import type { Clock, Principal, Store } from '@cordon/core';
import { AccessService, AlertService, LoginThrottle, TriageService, newId } from '@cordon/core';
import type { TestStore } from '@cordon/storage/testing';
import { openTestStore } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DetectionBatch } from '../../src/detection/detection.service.ts';
import { DetectionService } from '../../src/detection/detection.service.ts';
import type { ServerRuleSet } from '../../src/detection/server-rule-set.ts';
import { loadServerRuleSet } from '../../src/detection/server-rule-set.ts';
import { TenantRuleChecker } from '../../src/detection/tenant-rule-checker.ts';
import { defaultIngestConfig } from '../../src/index.ts';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';
import { BASE, parse, sshFailure, stored } from './detection-events.ts';
import { costlyRegexRule, longValueRecords, waitFor, watchHealth } from './hostile-rules.ts';

const HEALTH_BOUND_MS = 2_000;

async function storeRule(store: Store, tenantId: string, yaml: string, id: string): Promise<void> {
  await store.transaction(async (uow) =>
    uow.forTenant(tenantId).detection.rules.insert({
      id: newId(),
      tenantId,
      title: id,
      yaml,
      ruleIds: [id],
      enabled: true,
      createdBy: 'test',
      createdAt: Date.now(),
      updatedAt: Date.now(),
    }),
  );
}

describe('issue 13 item 6: a costly stored regex rule does not stall /healthz (sqlite)', () => {
  let t: TestServer;
  let base: string;
  let tenantId: string;
  let ingest: Record<string, string>;
  beforeAll(async () => {
    // One pipeline batch for the whole body, as under load: matching it took seconds in one go.
    t = await startTestServer('sqlite', {
      ingest: { ...defaultIngestConfig, flushIntervalMs: 1_000 },
    });
    base = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
    ingest = bearer(await t.token(tenantId, 'ingest'));
  });
  afterAll(async () => t?.dispose());

  it('ingests 64 KB values through the rule while /healthz answers promptly', async () => {
    await storeRule(t.server.store, tenantId, costlyRegexRule, 'costly-regex');
    const { service } = t.server.detection;
    const health = watchHealth(base);
    const response = await fetch(`${base}/api/v1/ingest`, {
      method: 'POST',
      headers: { ...ingest, 'content-type': 'application/x-ndjson' },
      body: longValueRecords(200),
    });
    expect(response.status).toBe(200);
    await waitFor(() => service.stats.events + (service.stats.failedBatches ?? 0) >= 200, 120_000);
    expect(await health.stop()).toBeLessThan(HEALTH_BOUND_MS);
  }, 150_000);
});

describe('issue 13 item 6: the detection worker is replaced when it fails (sqlite)', () => {
  const clock: Clock = { now: () => BASE + 3_600_000 };
  const principal: Principal = { kind: 'system', name: 'test' };
  let db: TestStore;
  let rules: ServerRuleSet;
  let checker: TenantRuleChecker;
  let hostile: string;
  let quiet: string;
  beforeAll(async () => {
    db = await openTestStore('sqlite', clock);
    const access = new AccessService(db.store, clock, new LoginThrottle());
    hostile = (await access.createTenant(principal, 'Hostile')).id;
    quiet = (await access.createTenant(principal, 'Quiet')).id;
    rules = await loadServerRuleSet();
    checker = new TenantRuleChecker({ serverRules: rules.engine.rules });
    await storeRule(db.store, hostile, costlyRegexRule, 'costly-regex');
  });
  afterAll(async () => {
    await checker?.close();
    await db?.dispose();
  });

  const service = (options: { batchBudgetMs?: number }) => {
    const batches: DetectionBatch[] = [];
    const detection = new DetectionService({
      store: db.store,
      clock,
      rules,
      triage: new TriageService(db.store, clock),
      checker,
      listeners: [],
      onBatch: (batch) => void batches.push(batch),
      ...options,
    });
    return { detection, batches };
  };
  const longValues = (count: number) =>
    stored(longValueRecords(count).trim().split('\n').map(parse));
  const bruteForce = () =>
    stored(Array.from({ length: 10 }, (_, i) => sshFailure(i, '198.51.100.7')));
  const alertTitles = async (tenantId: string) =>
    (
      await new AlertService({
        store: db.store,
        clock,
        validateRules: (_t, yaml) => checker.validate(yaml),
      }).list(principal, tenantId, {}, { limit: 50, offset: 0 })
    ).items.map((a) => a.ruleTitle);

  it('a batch over its time budget fails, reported; the next batches of every tenant run', async () => {
    // 800 values of 64 KB (50 MB to parse and scan) cost well over 0.1 s, whatever the rule caps.
    const { detection, batches } = service({ batchBudgetMs: 100 });
    try {
      await expect(detection.consume(hostile, longValues(800))).rejects.toThrow(
        /live detection skipped a batch of 800 events/,
      );
      expect(detection.stats.failedBatches).toBe(1);
      expect(batches.at(-1)).toMatchObject({ tenantId: hostile, failed: 'time' });
      await detection.consume(quiet, bruteForce());
      expect(await alertTitles(quiet)).toContain('SSH Brute Force Against a Host');
      await detection.consume(hostile, bruteForce());
      expect(await alertTitles(hostile)).toContain('SSH Brute Force Against a Host');
      expect(detection.stats.failedBatches).toBe(1);
    } finally {
      await detection.close();
    }
  }, 120_000);
});
