/**
 * Backpressure instead of loss: with a tiny queue and a consumer held back, HTTP answers 429
 * with Retry-After (before reading the body), a TCP sender is paused by flow control and every
 * one of its records arrives once the consumer lets go, and UDP — which cannot push back —
 * counts what it drops.
 */
import { defaultIngestConfig } from '../../src/index.ts';
import type { SyslogListener } from '../../src/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from '../test-server.ts';
import { bearer, startTestServer, system } from '../test-server.ts';
import { openStream, sendUdp, waitForCount, waitForEvents } from './ingest-test-support.ts';

// Not sshd failures: 100,000 of those from one address would measure live detection's
// brute-force correlation, not the pipeline's flow control.
const line = (host: string, n: number): string =>
  `Oct 11 22:14:15 ${host} CRON[${n}]: (root) CMD (run-parts /etc/cron.hourly ${n})\n`;

/** A consumer that holds every batch until `open()`. */
function gate(): { consume: () => Promise<void>; open: () => void; close: () => void } {
  let release: (() => void) | undefined;
  let opened: Promise<void> = new Promise((resolve) => (release = resolve));
  return {
    consume: () => opened,
    open: () => release?.(),
    close: () => {
      opened = new Promise((resolve) => (release = resolve));
    },
  };
}

describe('backpressure (sqlite)', () => {
  let t: TestServer;
  let tenantId: string;
  let auth: Record<string, string>;
  let tcp: SyslogListener;
  let udp: SyslogListener;
  const held = gate();
  beforeAll(async () => {
    t = await startTestServer('sqlite', {
      ingest: {
        ...defaultIngestConfig,
        queueMaxEvents: 100,
        queueMaxBytes: 1024 * 1024,
        batchMaxEvents: 500,
        flushIntervalMs: 5,
        retryAfterSeconds: 2,
      },
    });
    tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
    auth = bearer(await t.token(tenantId, 'ingest'));
    t.server.ingestion.pipeline.addConsumer({ name: 'held', consume: held.consume });
    tcp = await t.server.ingestion.addListener({
      transport: 'tcp',
      host: '127.0.0.1',
      port: 0,
      tenant: tenantId,
    });
    udp = await t.server.ingestion.addListener({
      transport: 'udp',
      host: '127.0.0.1',
      port: 0,
      tenant: tenantId,
    });
  });
  afterAll(async () => {
    held.open();
    await t?.dispose();
  });

  const post = (host: string, count: number) =>
    t.server.app.inject({
      method: 'POST',
      url: '/api/v1/ingest',
      headers: { ...auth, 'content-type': 'text/plain' },
      payload: Array.from({ length: count }, (_, n) => line(host, n)).join(''),
    });

  it('answers 429 with Retry-After while full, and accepts the retry once drained', async () => {
    const first = await post('http-bp', 150);
    // Admitted while there was room, acknowledged once durable although consumers lag.
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ accepted: 150 });
    const refused = await post('http-bp-2', 10);
    expect(refused.statusCode).toBe(429);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.json()).toMatchObject({ error: { code: 'rate_limited' } });
    held.open();
    await waitForEvents(t.server, tenantId, 150, 'host.name:"http-bp"');
    // Consumers catch up asynchronously; the retry is accepted once the queue has room.
    for (let i = 0; i < 50 && t.server.ingestion.pipeline.isFull(); i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await post('http-bp-2', 10)).statusCode).toBe(200);
    expect(await waitForEvents(t.server, tenantId, 10, 'host.name:"http-bp-2"')).toHaveLength(10);
  });

  it('pauses a TCP sender while full and loses nothing', async () => {
    held.close();
    // ~10 MB: more than loopback socket buffers hold, so a paused reader shows at the sender.
    const total = 100_000;
    const socket = await openStream(tcp.port);
    const payload = Buffer.from(
      Array.from({ length: total }, (_, n) => line('tcp-bp', n)).join(''),
    );
    let flushed = false;
    socket.write(payload, () => (flushed = true));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    // The server has stopped reading: at most the queue plus the chunks read before the pause.
    const whileHeld = await waitForCount(t.server, tenantId, total, 'host.name:"tcp-bp"', 0);
    expect(whileHeld).toBeLessThan(5_000);
    expect(flushed).toBe(false);
    held.open();
    socket.end();
    expect(await waitForCount(t.server, tenantId, total, 'host.name:"tcp-bp"', 60_000)).toBe(total);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // Exactly once each: no record lost, none doubled.
    expect(await waitForCount(t.server, tenantId, total + 1, 'host.name:"tcp-bp"', 0)).toBe(total);
    expect(flushed).toBe(true);
  }, 120_000);

  it('counts UDP datagrams dropped while full', async () => {
    held.close();
    await post('udp-fill', 150);
    expect(t.server.ingestion.pipeline.isFull()).toBe(true);
    await sendUdp(
      udp.port,
      Array.from({ length: 30 }, (_, n) => line('udp-bp', n)),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const metrics = await t.server.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(
      /cordon_ingest_rejected_total\{source="syslog_udp",reason="queue_full"\} 30/,
    );
    held.open();
  });
});
