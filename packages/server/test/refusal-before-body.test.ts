/**
 * issue 13, bench:hostile: a refused request must cost less than the work it is refused, so a
 * refusal is made from what the headers say, before the body is read. Each request here
 * declares a body and sends only its first part: an answer that comes while the rest is
 * still unsent was made without reading it (the server cannot have parsed, validated or
 * inflated what it never received). Before the fix, a search or a rule over the tenant's
 * share was parsed and validated before its 429 (so these requests got no answer until the
 * whole body came), and an ingest body was admitted on the first token back in the tenant's
 * share (a gzip bomb looping on a spent share was admitted ~190 times a second, each time
 * for a decompressor, a transaction and a detection message, to store ~10 records). A real
 * server on loopback; SQLite only, since nothing here reaches the database past the token.
 */
import { request as httpRequest } from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FairnessConfig } from '../src/index.ts';
import { defaultServerConfig } from '../src/index.ts';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

const fairness: FairnessConfig = {
  ...defaultServerConfig.fairness,
  ingest: {
    concurrency: 4,
    recordsPerSecond: 100,
    recordBurst: 2_000,
    bytesPerSecond: 1024 * 1024 * 1024,
    byteBurst: 1024 * 1024 * 1024,
  },
  rules: { concurrency: 1, perSecond: 0.01, burst: 1 },
  search: { concurrency: 4, perSecond: 0.01, burst: 1 },
};

interface PartialAnswer {
  /** The status, or `undefined` when no answer came while the rest of the body was held. */
  readonly status: number | undefined;
  readonly code: string | undefined;
}

/**
 * POSTs `first` of a body declared `declared` bytes long and holds the rest back; the answer
 * that comes within `waitMs`, if any. The socket is closed after.
 */
function postPart(options: {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly first: Uint8Array | string;
  readonly declared: number;
  readonly waitMs?: number;
}): Promise<PartialAnswer> {
  const url = new URL(options.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'POST',
        headers: { ...options.headers, 'content-length': String(options.declared) },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          clearTimeout(timer);
          request.destroy();
          const body = Buffer.concat(chunks).toString('utf8');
          let code: string | undefined;
          try {
            code = (JSON.parse(body) as { error?: { code?: string } }).error?.code;
          } catch {
            code = undefined;
          }
          resolve({ status: response.statusCode, code });
        });
      },
    );
    const timer = setTimeout(() => {
      request.destroy();
      resolve({ status: undefined, code: undefined });
    }, options.waitMs ?? 3_000);
    request.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.write(options.first);
  });
}

describe('refusals made before the body is read (SQLite)', () => {
  let t: TestServer;
  let base: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite', { fairness });
    base = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => t?.dispose());

  const tenant = async (name: string) => {
    const id = (await t.server.services.access.createTenant(system, name)).id;
    return {
      id,
      analyst: bearer(await t.token(id, 'analyst')),
      ingest: bearer(await t.token(id, 'ingest')),
    };
  };
  const json = { 'content-type': 'application/json' };
  const searchPart = (id: string, headers: Record<string, string>) =>
    postPart({
      url: `${base}/api/v1/tenants/${id}/events/search`,
      headers: { ...headers, ...json },
      first: '{"query":"',
      declared: 9_000,
    });
  const rulePart = (id: string, headers: Record<string, string>) =>
    postPart({
      url: `${base}/api/v1/tenants/${id}/detection/rules`,
      headers: { ...headers, ...json },
      first: '{"yaml":"title: x',
      declared: 9_000,
    });

  it('answers a wrong token from the headers, on every costly route', async () => {
    const a = await tenant('wrong-token');
    const wrong = bearer('cordon_not-a-token');
    expect(await searchPart(a.id, wrong)).toEqual({ status: 401, code: 'unauthenticated' });
    expect(await rulePart(a.id, wrong)).toEqual({ status: 401, code: 'unauthenticated' });
    expect(
      await postPart({
        url: `${base}/api/v1/ingest`,
        headers: { ...wrong, 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
        first: gzipSync('{"m":1}\n'.repeat(1000)).subarray(0, 20),
        declared: 1_000_000,
      }),
    ).toEqual({ status: 401, code: 'unauthenticated' });
  });

  it('refuses a search over the tenant’s share before reading its query', async () => {
    const a = await tenant('search-share');
    const full = await fetch(`${base}/api/v1/tenants/${a.id}/events/search`, {
      method: 'POST',
      headers: { ...a.analyst, ...json },
      body: JSON.stringify({ query: 'a' }),
    });
    expect(full.status).toBe(200);
    expect(await searchPart(a.id, a.analyst)).toEqual({ status: 429, code: 'rate_limited' });
    // Another tenant's share is its own: its search is read (no answer until it all comes).
    const b = await tenant('search-share-other');
    expect((await searchPart(b.id, b.analyst)).status).toBeUndefined();
  });

  it('refuses a rule over the tenant’s share before reading its text', async () => {
    const a = await tenant('rule-share');
    const spend = await fetch(`${base}/api/v1/tenants/${a.id}/detection/rules`, {
      method: 'POST',
      headers: { ...a.analyst, ...json },
      body: JSON.stringify({ yaml: 'not: [a rule' }),
    });
    expect(spend.status).toBe(400);
    expect(await rulePart(a.id, a.analyst)).toEqual({ status: 429, code: 'rate_limited' });
  });

  // Not a defect of the old code (it took the slot in the handler): the guard of the new one.
  it('gives the slot back when a search never reaches its handler', async () => {
    // One search at once, plenty of rate: a body refused by validation must not keep the slot.
    const t2 = await startTestServer('sqlite', {
      fairness: { ...fairness, search: { concurrency: 1, perSecond: 1_000, burst: 1_000 } },
    });
    try {
      const base2 = await t2.server.app.listen({ host: '127.0.0.1', port: 0 });
      const id = (await t2.server.services.access.createTenant(system, 'slot')).id;
      const headers = { ...bearer(await t2.token(id, 'analyst')), ...json };
      const search = (body: string) =>
        fetch(`${base2}/api/v1/tenants/${id}/events/search`, { method: 'POST', headers, body });
      expect((await search('{"query": ')).status).toBe(400);
      expect((await search('{"unknown": 1}')).status).toBe(400);
      // A client that goes away while its body is read.
      expect(
        (
          await postPart({
            url: `${base2}/api/v1/tenants/${id}/events/search`,
            headers,
            first: '{"query":"',
            declared: 9_000,
            waitMs: 300,
          })
        ).status,
      ).toBeUndefined();
      await expect
        .poll(async () => (await search(JSON.stringify({ query: 'a' }))).status, {
          timeout: 5_000,
        })
        .toBe(200);
    } finally {
      await t2.dispose();
    }
  });

  it('admits an ingest body only once the share holds a batch’s worth, refusing it unread', async () => {
    const a = await tenant('ingest-share');
    const lines = (n: number) =>
      Array.from({ length: n }, (_, i) => JSON.stringify({ message: `m ${i}` })).join('\n');
    const spend = await fetch(`${base}/api/v1/ingest`, {
      method: 'POST',
      headers: { ...a.ingest, 'content-type': 'application/x-ndjson' },
      body: lines(2_500),
    });
    expect(spend.status).toBe(429);
    // 200 ms later the share holds ~20 records: positive, far from a batch of 1,000.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const bomb = gzipSync(Buffer.from('{"m":1}\n'.repeat(200_000)));
    expect(
      await postPart({
        url: `${base}/api/v1/ingest`,
        headers: {
          ...a.ingest,
          'content-type': 'application/x-ndjson',
          'content-encoding': 'gzip',
        },
        // The gzip header alone: nothing to inflate yet, so an admitted body waits for more.
        first: bomb.subarray(0, 10),
        declared: bomb.length,
      }),
    ).toEqual({ status: 429, code: 'rate_limited' });
  });
});
