/**
 * issue 13 item 2, the mechanism: a bulk body is read as a stream, in step with the ingest
 * queue, in batches of at most 5,000 records. Before the fix the whole body was read, inflated
 * and parsed before the queue's limit was looked at, and a body had no record limit. Here, on
 * a real server on loopback: the sender is paused while the queue is full; a body whose
 * queue stays full answers 429 saying what was stored, and the retry with the same batch id
 * stores the rest once (derived batch ids); past the records cap the answer is 413 with what
 * was stored, the same on a retry; lines and array elements too long to keep are
 * dead-lettered with their first bytes only.
 */
import { defaultIngestConfig } from '../../src/index.ts';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../test-server.ts';
import { bearer, liftedFairness, startTestServer, system } from '../test-server.ts';
import { openStream, waitForCount } from './ingest-test-support.ts';

const line = (host: string, n: number): string =>
  `Oct 11 22:14:15 ${host} CRON[${n}]: (root) CMD (run-parts /etc/cron.hourly ${n})\n`;
const lines = (host: string, count: number): Buffer =>
  Buffer.from(Array.from({ length: count }, (_, n) => line(host, n)).join(''));

/** A consumer that holds every batch while closed. */
function gate(): { consume: () => Promise<void>; open: () => void; close: () => void } {
  let release: () => void = () => undefined;
  let opened: Promise<void> = Promise.resolve();
  return {
    consume: () => opened,
    open: () => release(),
    close: () => {
      opened = new Promise((resolve) => (release = resolve));
    },
  };
}

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown> & {
    error?: { code: string; message: string; details: Record<string, unknown> };
  };
}

async function startServer(ingest: Partial<typeof defaultIngestConfig>): Promise<{
  t: TestServer;
  tenantId: string;
  token: string;
  url: string;
  held: ReturnType<typeof gate>;
}> {
  // Backpressure, not the tenant's share of ingest (test/tenant-fairness.test.ts): lifted.
  const t = await startTestServer('sqlite', {
    ingest: { ...defaultIngestConfig, flushIntervalMs: 5, ...ingest },
    fairness: liftedFairness,
  });
  const tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
  const token = await t.token(tenantId, 'ingest');
  const held = gate();
  t.server.ingestion.pipeline.addConsumer({ name: 'held', consume: held.consume });
  const url = await t.server.app.listen({ host: '127.0.0.1', port: 0 });
  return { t, tenantId, token, url, held };
}

/** Sends the body over a real socket; `flushed` tells whether the server has taken it all. */
function send(
  url: string,
  token: string,
  body: Buffer,
  headers: Record<string, string> = {},
): { answer: Promise<Answer>; flushed: () => boolean } {
  let flushed = false;
  const answer = new Promise<Answer>((resolve, reject) => {
    const req = httpRequest(
      `${url}/api/v1/ingest`,
      {
        method: 'POST',
        headers: {
          ...bearer(token),
          'content-type': 'text/plain',
          'content-length': String(body.byteLength),
          ...headers,
        },
      },
      (res: IncomingMessage) => {
        const parts: Buffer[] = [];
        res.on('data', (part: Buffer) => parts.push(part));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(Buffer.concat(parts).toString('utf8')) as Answer['body'],
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body, () => (flushed = true));
  });
  return { answer, flushed: () => flushed };
}

describe('issue 13 item 2: a bulk body is read in step with the queue', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    s = await startServer({ queueMaxEvents: 100, queueMaxBytes: 1024 * 1024 });
  });
  afterAll(async () => {
    s.held.open();
    await s.t?.dispose();
  });

  it('pauses the sender while the queue is full and stores every record once it drains', async () => {
    s.held.close();
    // ~8.5 MB: more than loopback socket buffers hold, so a server that stops reading shows.
    const total = 100_000;
    const sent = send(s.url, s.token, lines('paused', total), { 'idempotency-key': 'paused-1' });
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // One batch admitted, then the queue is full and the body is no longer read.
    const whileHeld = await waitForCount(s.t.server, s.tenantId, total, 'host.name:"paused"', 0);
    expect(whileHeld).toBeLessThanOrEqual(10_000);
    expect(sent.flushed()).toBe(false);
    s.held.open();
    const { status, body } = await sent.answer;
    expect(status).toBe(200);
    expect(body).toMatchObject({ batchId: 'paused-1', records: total, accepted: total });
    expect(sent.flushed()).toBe(true);
    expect(await waitForCount(s.t.server, s.tenantId, total, 'host.name:"paused"', 30_000)).toBe(
      total,
    );
  }, 120_000);
});

describe('issue 13 item 2, siblings: agent telemetry and TCP syslog are admitted against the queue', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    s = await startServer({ queueMaxEvents: 100, maxRecordsPerRequest: 1_000 });
  });
  afterAll(async () => {
    s.held.open();
    await s.t?.dispose();
  });

  it('waits for room before parsing a submission, and refuses one over the cap', async () => {
    const pipeline = s.t.server.ingestion.pipeline;
    const queued = async () => (await pipeline.metrics.queueEvents.get()).values[0]?.value ?? 0;
    s.held.close();
    expect((await send(s.url, s.token, lines('agent-fill', 150)).answer).status).toBe(200);
    expect(pipeline.isFull()).toBe(true);
    let done = false;
    const submitted = pipeline
      .submitRecords(s.tenantId, {
        source: 'agent',
        provenance: { kind: 'agent', agentId: 'agent-test', host: null },
        records: Array.from({ length: 50 }, (_, n) => line('agent-host', n)),
      })
      .finally(() => (done = true));
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Not parsed into the queue while it is full (before the fix: 200 queued at once).
    expect(done).toBe(false);
    expect(await queued()).toBe(150);
    s.held.open();
    expect(await submitted).toMatchObject({ records: 50, accepted: 50 });
    await expect(
      pipeline.submitRecords(s.tenantId, {
        source: 'agent',
        provenance: { kind: 'agent', agentId: 'agent-test', host: null },
        records: Array.from({ length: 1_001 }, (_, n) => line('agent-over', n)),
      }),
    ).rejects.toMatchObject({ code: 'payload_too_large' });
  });

  it('offers a TCP chunk of many short messages only while there is room', async () => {
    const pipeline = s.t.server.ingestion.pipeline;
    const queued = async () => (await pipeline.metrics.queueEvents.get()).values[0]?.value ?? 0;
    for (let i = 0; i < 200 && pipeline.isFull(); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    s.held.close();
    const tcp = await s.t.server.ingestion.addListener({
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      tenant: s.tenantId,
    });
    const socket = await openStream(tcp.port);
    // ~19 bytes a message: a 64 KiB socket chunk holds over 3,000 of them.
    socket.write(Array.from({ length: 20_000 }, (_, n) => `<13>tcp-short m${n}\n`).join(''));
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // The queue (100 events) is passed by a message, not by a chunk's worth (before: thousands).
    expect(await queued()).toBeLessThanOrEqual(101);
    s.held.open();
    socket.end();
    expect(await waitForCount(s.t.server, s.tenantId, 20_000, 'tcp-short', 30_000)).toBe(20_000);
  }, 60_000);
});

describe('issue 13 item 2: retries across the batches of one body, and the records cap', () => {
  let s: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    s = await startServer({
      queueMaxEvents: 100,
      queueMaxBytes: 1024 * 1024,
      admissionWaitMs: 5_000,
      maxRecordsPerRequest: 12_000,
    });
  });
  afterAll(async () => {
    s.held.open();
    await s.t?.dispose();
  });
  const count = (host: string, atLeast: number) =>
    waitForCount(s.t.server, s.tenantId, atLeast, `host.name:"${host}"`, 10_000);
  /** Consumers catch up after the answer: a request before that is refused (429) up front. */
  const drained = async (): Promise<void> => {
    for (let i = 0; i < 200 && s.t.server.ingestion.pipeline.isFull(); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  };
  const sendDrained = async (body: Buffer, headers: Record<string, string> = {}) => {
    await drained();
    return send(s.url, s.token, body, headers).answer;
  };

  it('answers 429 with what was stored when the queue stays full; the retry stores the rest once', async () => {
    s.held.close();
    const body = lines('retried', 11_000);
    const first = await send(s.url, s.token, body, { 'idempotency-key': 'retried-1' }).answer;
    expect(first.status).toBe(429);
    expect(first.body.error?.code).toBe('rate_limited');
    // One internal batch (250 records) is admitted while the queue has room; it stays full.
    expect(first.body.error?.message).toMatch(/first 250 records of this body were stored/);
    expect(first.body.error?.details).toMatchObject({
      batchId: 'retried-1',
      stored: { records: 250, accepted: 250, deadLettered: 0 },
    });
    s.held.open();
    await count('retried', 250);
    const again = await sendDrained(body, { 'idempotency-key': 'retried-1' });
    expect(again.status).toBe(200);
    // Batch 0 was stored before (its events counted again, as for any duplicate), the rest now.
    expect(again.body).toMatchObject({
      batchId: 'retried-1',
      records: 11_000,
      accepted: 11_000,
      duplicate: false,
    });
    const thrice = await sendDrained(body, { 'idempotency-key': 'retried-1' });
    expect(thrice.body).toMatchObject({ records: 11_000, accepted: 11_000, duplicate: true });
    expect(await count('retried', 11_001)).toBe(11_000);
  }, 60_000);

  it('answers 413 past the records cap, says what was stored, and a retry stores nothing more', async () => {
    s.held.open();
    const body = lines('capped', 30_000);
    const first = await sendDrained(body, { 'idempotency-key': 'capped-1' });
    expect(first.status).toBe(413);
    expect(first.body.error?.code).toBe('payload_too_large');
    expect(first.body.error?.message).toMatch(
      /more than 12000 records .*the first 12000 records were stored/,
    );
    expect(first.body.error?.details).toEqual({
      batchId: 'capped-1',
      maxRecordsPerRequest: 12_000,
      stored: { records: 12_000, accepted: 12_000, deadLettered: 0 },
    });
    expect(await count('capped', 12_000)).toBe(12_000);
    const again = await sendDrained(body, { 'idempotency-key': 'capped-1' });
    expect(again.status).toBe(413);
    expect(again.body.error?.details).toMatchObject({ stored: { records: 12_000 } });
    expect(await count('capped', 12_001)).toBe(12_000);
  }, 60_000);

  it('streams a JSON array, bounding each element and its depth', async () => {
    s.held.open();
    const deep = `${'['.repeat(200)}1${']'.repeat(200)}`;
    const huge = JSON.stringify({ message: 'x'.repeat(3 * 1024 * 1024) });
    const elements = [
      ...Array.from({ length: 6_000 }, (_, n) =>
        JSON.stringify({ host: { name: 'array-host' }, message: `element ${n}` }),
      ),
      deep,
      huge,
      '{"broken": }',
    ];
    const body = Buffer.from(`[${elements.join(',\n')}]`);
    const { status, body: receipt } = await sendDrained(body, {
      'content-type': 'application/json',
    });
    expect(status).toBe(200);
    expect(receipt).toMatchObject({ records: 6_003, accepted: 6_000, deadLettered: 3 });
    const letters = (
      await s.t.server.store.events.listDeadLetters(s.tenantId, { limit: 100, offset: 0 })
    ).items;
    const byCode = new Map(letters.map((l) => [l.code, l]));
    expect(byCode.get('too_deep')?.reason).toMatch(/nested 200 levels deep/);
    // Over twice the record limit: not gathered whole, only its first bytes kept.
    expect(byCode.get('frame_too_large')?.raw.byteLength).toBeLessThanOrEqual(1024);
    expect(byCode.get('frame_too_large')?.reason).toMatch(/array element of \d+ bytes/);
    expect(byCode.get('malformed')?.reason).toMatch(/not JSON/);
  }, 60_000);

  it('keeps only the first bytes of a line too long to gather', async () => {
    const body = Buffer.concat([
      Buffer.from(line('long-line', 1)),
      Buffer.alloc(5 * 1024 * 1024, 0x41),
      Buffer.from('\n'),
      Buffer.from(line('long-line', 2)),
    ]);
    const { status, body: receipt } = await sendDrained(body);
    expect(status).toBe(200);
    expect(receipt).toMatchObject({ records: 3, accepted: 2, deadLettered: 1 });
    const letter = (
      await s.t.server.store.events.listDeadLetters(s.tenantId, { limit: 100, offset: 0 })
    ).items.find((l) => l.reason.startsWith('line of'));
    expect(letter).toMatchObject({ code: 'frame_too_large' });
    expect(letter!.reason).toMatch(/line of 5242880 bytes/);
    expect(letter!.raw.byteLength).toBeLessThanOrEqual(1024);
  });
});
