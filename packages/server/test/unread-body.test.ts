/**
 * A request refused before its body has arrived is answered with `Connection: close` and the
 * rest of its body is not read (http/unread-body.ts): before, Node read and dropped every byte
 * of it to keep the connection, so a client refused at once could make the server read as
 * much as it cared to send.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

/** Under the ingest route's 64 MiB limit, so that the share, not the size, refuses it. */
const BODY_BYTES = 60 * 1024 * 1024;

/**
 * Sends a POST announcing a body of BODY_BYTES and writes it until the server has answered and
 * closed, or all of it is written. Resolves with the answer's head and what was written.
 */
function sendHuge(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ head: string; written: number; closed: boolean }> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let written = 0;
    let closed = false;
    // NDJSON lines of 1 KiB: a record ends early in the body, so the share can refuse there.
    const chunk = Buffer.from(`{"m":"${'a'.repeat(1015)}"}\n`.repeat(256));
    const finish = (): void => resolve({ head: answer.split('\r\n\r\n')[0]!, written, closed });
    socket.on('data', (data) => (answer += data.toString('latin1')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      closed = true;
      finish();
    });
    socket.once('connect', () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/x-ndjson\r\ncontent-length: ${BODY_BYTES}\r\n${Object.entries(
          headers,
        )
          .map(([k, v]) => `${k}: ${v}\r\n`)
          .join('')}\r\n`,
      );
      const pump = (): void => {
        while (written < BODY_BYTES && !socket.destroyed) {
          written += chunk.length;
          if (!socket.write(chunk)) {
            socket.once('drain', pump);
            return;
          }
        }
        // All of it went out: the server read it all. Give it a moment to answer, then stop.
        if (written >= BODY_BYTES) setTimeout(() => (socket.destroy(), finish()), 2_000);
      };
      pump();
    });
    setTimeout(() => reject(new Error('no answer in 30 s')), 30_000).unref();
  });
}

describe('a body refused before it arrived is not read', () => {
  let t: TestServer;
  let port: number;
  let ingestToken: string;
  beforeAll(async () => {
    t = await startTestServer('sqlite', {
      fairness: {
        ...(await import('../src/index.ts')).defaultServerConfig.fairness,
        ingest: {
          concurrency: 4,
          recordsPerSecond: 1,
          recordBurst: 1,
          bytesPerSecond: 1,
          byteBurst: 1,
        },
      },
    });
    const address = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
    port = Number(new URL(address).port);
    const tenant = await t.server.services.access.createTenant(system, 'Unread');
    ingestToken = await t.token(tenant.id, 'ingest');
  });
  afterAll(async () => t?.dispose());

  it('401 for a bad token: answered, the connection closed, most of the body never sent', async () => {
    const sent = await sendHuge(port, '/api/v1/ingest', bearer('cdn_not-a-token'));
    expect(sent.head).toMatch(/^HTTP\/1\.1 401 /);
    expect(sent.head.toLowerCase()).toContain('connection: close');
    expect(sent.closed).toBe(true);
    expect(sent.written).toBeLessThan(BODY_BYTES / 3);
  });

  it('429 over the tenant’s share: the same, and fetch still reads the 429 and its Retry-After', async () => {
    const body = Buffer.from(`{"m":"${'a'.repeat(1015)}"}\n`.repeat(8 * 1024));
    for (let i = 0; i < 5; i++) {
      const answer = await fetch(`http://127.0.0.1:${port}/api/v1/ingest`, {
        method: 'POST',
        headers: { ...bearer(ingestToken), 'content-type': 'application/x-ndjson' },
        body,
      });
      expect(answer.status).toBe(429);
      expect(answer.headers.get('retry-after')).not.toBeNull();
      expect(((await answer.json()) as { error: { code: string } }).error.code).toBe(
        'rate_limited',
      );
    }
    // Refused from its headers now (the share is spent), not part-way through the body.
    const sent = await sendHuge(port, '/api/v1/ingest', bearer(ingestToken));
    expect(sent.head, sent.head).toMatch(/^HTTP\/1\.1 429 /);
    expect(sent.head.toLowerCase()).toContain('connection: close');
    expect(sent.written).toBeLessThan(BODY_BYTES / 3);
  });

  it('keeps the connection for a small body and for a success', async () => {
    const small = await fetch(`http://127.0.0.1:${port}/api/v1/ingest`, {
      method: 'POST',
      headers: { ...bearer('cdn_not-a-token'), 'content-type': 'application/x-ndjson' },
      body: '{"m":1}\n',
    });
    expect(small.status).toBe(401);
    expect(small.headers.get('connection')).not.toBe('close');
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    expect(health.status).toBe(200);
    expect(health.headers.get('connection')).not.toBe('close');
  });
});
