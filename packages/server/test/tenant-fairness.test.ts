/**
 * issue 13, bench:hostile: one tenant's accepted work took the cores from everyone else (a
 * normal tenant's search p99 went 17× up while another tenant sent gzip bombs, costly rules
 * and deep queries, each one refused or bounded but admitted first). Each tenant now has a
 * share of ingest, rule checks and searches (fairness/tenant-admission.ts): past it the
 * tenant is answered 429 with `Retry-After` and code `rate_limited`, while another tenant's
 * requests go on; the share refills with time. A real server on loopback, on both databases.
 * Before the fix every request here was admitted (200/201), so each expectation of a 429 fails.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { request as httpRequest } from 'node:http';
import type { ClientRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FairnessConfig } from '../src/index.ts';
import { defaultServerConfig } from '../src/index.ts';
import { waitForCount } from './ingest/ingest-test-support.ts';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

const fairness: FairnessConfig = {
  ...defaultServerConfig.fairness,
  ingest: {
    concurrency: 1,
    recordsPerSecond: 500,
    recordBurst: 1_500,
    bytesPerSecond: 1024 * 1024 * 1024,
    byteBurst: 1024 * 1024 * 1024,
  },
  rules: { concurrency: 2, perSecond: 0.5, burst: 2 },
  search: { concurrency: 4, perSecond: 0.5, burst: 3 },
};

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly body: {
    readonly error?: {
      readonly code: string;
      readonly message: string;
      readonly details?: Record<string, unknown>;
    };
  } & Record<string, unknown>;
}

const lines = (host: string, count: number): string =>
  Array.from({ length: count }, (_, i) =>
    JSON.stringify({ host: { name: host }, message: `line ${i}` }),
  ).join('\n');

const rule = (n: number): string =>
  [
    `title: fair rule ${n}`,
    `id: 6a1e0000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    'logsource: {product: linux, service: sshd}',
    'detection:',
    '  sel:',
    `    message|contains: 'needle ${n}'`,
    '  condition: sel',
    'level: low',
  ].join('\n');

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`per-tenant fairness (${dialect})`, () => {
    let t: TestServer;
    let base: string;
    beforeAll(async () => {
      t = await startTestServer(dialect, { fairness });
      base = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    });
    afterAll(async () => t?.dispose());

    const tenant = async (name: string, role: 'analyst' | 'ingest') => {
      const id = (await t.server.services.access.createTenant(system, name)).id;
      return { id, headers: bearer(await t.token(id, role)) };
    };
    const call = async (
      path: string,
      headers: Record<string, string>,
      body: string,
      contentType = 'application/json',
    ): Promise<Answer> => {
      const response = await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': contentType },
        body,
      });
      return {
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        body: (await response.json()) as Answer['body'],
      };
    };
    const search = (id: string, headers: Record<string, string>) =>
      call(`/api/v1/tenants/${id}/events/search`, headers, JSON.stringify({ query: 'a' }));
    const ingest = (headers: Record<string, string>, body: string, key?: string) =>
      call(
        '/api/v1/ingest',
        { ...headers, ...(key ? { 'idempotency-key': key } : {}) },
        body,
        'application/x-ndjson',
      );
    const metrics = async (): Promise<string> => (await fetch(`${base}/metrics`)).text();

    it('refuses a tenant past its search rate with 429 while another searches; it refills', async () => {
      const a = await tenant('search-a', 'analyst');
      const b = await tenant('search-b', 'analyst');
      for (let i = 0; i < 3; i++) expect((await search(a.id, a.headers)).status).toBe(200);
      const refused = await search(a.id, a.headers);
      expect(refused.status).toBe(429);
      expect(refused.body.error?.code).toBe('rate_limited');
      expect(refused.body.error?.details).toMatchObject({ kind: 'search', reason: 'rate' });
      expect(Number(refused.retryAfter)).toBeGreaterThanOrEqual(1);
      expect((await search(b.id, b.headers)).status).toBe(200);
      expect(await metrics()).toMatch(
        new RegExp(
          `cordon_tenant_admission_refused_total\\{tenant="${a.id}",kind="search",reason="rate"\\} 1`,
        ),
      );
      // The share refills (0.5 a second): the same tenant searches again.
      await expect
        .poll(async () => (await search(a.id, a.headers)).status, {
          timeout: 15_000,
          interval: 500,
        })
        .toBe(200);
    });

    it('a caller cannot spend another tenant’s share by naming it', async () => {
      const a = await tenant('spend-a', 'analyst');
      const b = await tenant('spend-b', 'analyst');
      for (let i = 0; i < 6; i++) expect((await search(b.id, a.headers)).status).toBe(403);
      expect((await search(b.id, b.headers)).status).toBe(200);
    });

    it('refuses rule checks past the tenant’s share while another tenant adds rules', async () => {
      const a = await tenant('rules-a', 'analyst');
      const b = await tenant('rules-b', 'analyst');
      const add = (who: { id: string; headers: Record<string, string> }, n: number) =>
        call(
          `/api/v1/tenants/${who.id}/detection/rules`,
          who.headers,
          JSON.stringify({ yaml: rule(n) }),
        );
      expect((await add(a, 1)).status).toBe(201);
      expect((await add(a, 2)).status).toBe(201);
      const refused = await add(a, 3);
      expect(refused.status).toBe(429);
      expect(refused.body.error?.details).toMatchObject({ kind: 'rules', reason: 'rate' });
      expect(refused.retryAfter).not.toBeNull();
      expect((await add(b, 4)).status).toBe(201);
      await expect
        .poll(async () => (await add(a, 3)).status, { timeout: 15_000, interval: 500 })
        .toBe(201);
    });

    it('cuts a body that spends the tenant’s records share part-way, and retries complete it once', async () => {
      const a = await tenant('ingest-a', 'ingest');
      const b = await tenant('ingest-b', 'ingest');
      const body = lines('fair-big', 3_000);
      const first = await ingest(a.headers, body, 'fair-big-1');
      expect(first.status).toBe(429);
      expect(first.body.error?.code).toBe('rate_limited');
      expect(first.body.error?.details).toMatchObject({
        kind: 'ingest',
        reason: 'rate',
        batchId: 'fair-big-1',
        // The burst, 1,500 records: six whole internal batches of 250 (a batch in the making
        // when the share runs out is not stored).
        stored: { records: 1_500 },
      });
      expect(Number(first.retryAfter)).toBeGreaterThanOrEqual(1);
      // Another tenant ingests meanwhile.
      const other = await ingest(b.headers, lines('fair-other', 500));
      expect(other.status).toBe(200);
      expect(other.body).toMatchObject({ accepted: 500 });
      // Retries with the same batch id after Retry-After get further each time, and store
      // nothing twice (batches stored before are handed back their charge).
      let answer = first;
      const stored: unknown[] = [];
      for (let attempt = 0; attempt < 6 && answer.status === 429; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, Number(answer.retryAfter) * 1000));
        answer = await ingest(a.headers, body, 'fair-big-1');
        stored.push((answer.body.error?.details?.['stored'] as { records?: number })?.records);
      }
      expect(answer.status, JSON.stringify(stored)).toBe(200);
      expect(answer.body).toMatchObject({ records: 3_000, accepted: 3_000 });
      expect(await waitForCount(t.server, a.id, 3_001, 'host.name:"fair-big"', 2_000)).toBe(3_000);
      expect(await metrics()).toMatch(
        new RegExp(`cordon_tenant_admission_refused_total\\{tenant="${a.id}",kind="ingest"`),
      );
    }, 60_000);

    it('holds a tenant to its bodies in flight; another tenant’s body goes through', async () => {
      const a = await tenant('inflight-a', 'ingest');
      const b = await tenant('inflight-b', 'ingest');
      const url = new URL(`${base}/api/v1/ingest`);
      let open: ClientRequest | undefined;
      const held = new Promise<number>((resolve, reject) => {
        open = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: 'POST',
            headers: { ...a.headers, 'content-type': 'application/x-ndjson' },
          },
          (response) => {
            response.resume();
            resolve(response.statusCode ?? 0);
          },
        );
        open.on('error', reject);
        open.write(`${lines('fair-held', 10)}\n`);
      });
      // Admitted (its slot taken) once the body has started to arrive.
      await expect
        .poll(metrics, { timeout: 10_000 })
        .toMatch(/cordon_tenant_admission_in_flight\{kind="ingest"\} 1/);
      const second = await ingest(a.headers, lines('fair-second', 5));
      expect(second.status).toBe(429);
      expect(second.body.error?.details).toMatchObject({ kind: 'ingest', reason: 'concurrency' });
      expect((await ingest(b.headers, lines('fair-b', 5))).status).toBe(200);
      open!.end();
      expect(await held).toBe(200);
      // The slot is free again.
      expect((await ingest(a.headers, lines('fair-second', 5))).status).toBe(200);
    });
  });
}
