/**
 * issue 13 item 1: a tenant Sigma rule of a few hundred bytes (a YAML alias bomb) took 40 s to
 * validate on the thread that serves requests, inside the rule's database transaction, and
 * stalled `/healthz` for everyone — and again on every later event of the tenant, because the
 * rule was stored. Rule texts are now checked and compiled in a worker thread with a heap cap
 * and a time limit, before any transaction; a stored rule over budget is skipped and reported.
 */
import { newId } from '@cordon/core';
import type { Store } from '@cordon/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';
import { aliasBombRule, longValueRecords, waitFor, watchHealth } from './hostile-rules.ts';

const HEALTH_BOUND_MS = 2_000;

describe('issue 13 item 1: a costly tenant rule does not stall the server (sqlite)', () => {
  let t: TestServer;
  let base: string;
  let tenantId: string;
  let analyst: Record<string, string>;
  let ingest: Record<string, string>;
  beforeAll(async () => {
    t = await startTestServer('sqlite');
    base = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
    analyst = bearer(await t.token(tenantId, 'incident_lead'));
    ingest = bearer(await t.token(tenantId, 'ingest'));
  });
  afterAll(async () => t?.dispose());

  it('refuses an alias bomb with a 4xx while /healthz keeps answering; nothing is stored', async () => {
    const health = watchHealth(base);
    const started = performance.now();
    const response = await fetch(`${base}/api/v1/tenants/${tenantId}/detection/rules`, {
      method: 'POST',
      headers: { ...analyst, 'content-type': 'application/json' },
      body: JSON.stringify({ yaml: aliasBombRule() }),
    });
    const elapsed = performance.now() - started;
    const slowest = await health.stop();
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(response.status).toBe(400);
    expect(body.error.code).toBe('invalid_input');
    expect(body.error.message).toMatch(/rule too costly to compile|alias/);
    expect(elapsed).toBeLessThan(30_000);
    expect(slowest).toBeLessThan(HEALTH_BOUND_MS);
    const list = await fetch(`${base}/api/v1/tenants/${tenantId}/detection/rules`, {
      headers: analyst,
    });
    expect(await list.json()).toEqual([]);
  });

  it('a stored alias bomb (from before the check) is skipped once, reported, not retried', async () => {
    const store: Store = t.server.store;
    const ruleId = newId();
    await store.transaction(async (uow) =>
      uow.forTenant(tenantId).detection.rules.insert({
        id: ruleId,
        tenantId,
        title: 'alias bomb',
        yaml: aliasBombRule('5f0c3c3e-0000-4000-8000-00000000b0b1'),
        ruleIds: ['5f0c3c3e-0000-4000-8000-00000000b0b1'],
        enabled: true,
        createdBy: 'test',
        createdAt: Date.now(),
        updatedAt: Date.now(),
      }),
    );
    t.server.detection.service.invalidate(tenantId);
    const { service, checker } = t.server.detection;
    const send = async (count: number): Promise<void> => {
      const before = service.stats.events;
      const response = await fetch(`${base}/api/v1/ingest`, {
        method: 'POST',
        headers: { ...ingest, 'content-type': 'application/x-ndjson' },
        body: longValueRecords(count),
      });
      expect(response.status).toBe(200);
      await waitFor(() => service.stats.events >= before + count, 60_000);
    };
    const health = watchHealth(base);
    await send(10);
    expect(await health.stop()).toBeLessThan(HEALTH_BOUND_MS);

    const view = (await (
      await fetch(`${base}/api/v1/tenants/${tenantId}/detection/rules/${ruleId}`, {
        headers: analyst,
      })
    ).json()) as { problems?: string[] };
    expect(view.problems?.join(' ')).toMatch(/rule too costly to compile|alias/);

    // A reload of the tenant's rules (as after any change) does not check the same text again.
    const checks = checker.stats.checks;
    service.invalidate(tenantId);
    await send(2);
    expect(checker.stats.checks).toBe(checks);
  });
});
