/**
 * The server side of `bench:hostile`, run as its own process so that its memory can be read
 * from /proc and its latency is not the load generator's: a real server on loopback (SQLite
 * in a temporary directory, live detection with our shipped rules, the agent gateway
 * listening), a normal tenant with 20,000 stored events, and a hostile tenant with analyst and
 * ingest tokens. Prints one JSON line with the addresses and tokens, then serves until stdin
 * closes.
 */
import type { Principal } from '@cordon/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, defaultServerConfig, tuneHeapForServing } from '../src/index.ts';

const system: Principal = { kind: 'system', name: 'bench-hostile' };
// As `cordon serve` does (BENCH_HEAP_GROWING_PERCENT=0: V8's own, for comparison).
tuneHeapForServing(Number(process.env['BENCH_HEAP_GROWING_PERCENT'] ?? 100));
const dataDir = mkdtempSync(join(tmpdir(), 'cordon-bench-hostile-'));
const server = await createServer({
  config: { ...defaultServerConfig, dataDir, port: 0 },
  logger: false,
});
const access = server.services.access;
const normal = (await access.createTenant(system, 'Normal')).id;
const hostile = (await access.createTenant(system, 'Hostile')).id;

const t0 = Date.parse('2026-11-27T08:00:00.000Z');
for (let batch = 0; batch < 20; batch++) {
  const events = Array.from({ length: 1000 }, (_, j) => {
    const i = batch * 1000 + j;
    return {
      '@timestamp': new Date(t0 + i * 1000).toISOString(),
      event: {
        kind: 'event',
        dataset: 'system.auth',
        outcome: i % 3 === 0 ? 'failure' : 'success',
      },
      message: `${i % 3 === 0 ? 'Failed' : 'Accepted'} password for u${i % 50} from 203.0.113.${i % 250} port 22 ssh2`,
      host: { name: `web${i % 20}` },
      user: { name: `u${i % 50}` },
      source: { ip: `203.0.113.${i % 250}` },
      log_source: { product: 'linux', service: 'sshd' },
      fields: { program: 'sshd' },
    };
  });
  await server.store.events.appendBatch(normal, { batchId: `seed-${batch}`, events });
}

const address = await server.app.listen({ host: '127.0.0.1', port: 0 });
const agentUrl = await server.containment.listen('127.0.0.1', 0);
const token = async (tenantId: string, role: 'analyst' | 'ingest'): Promise<string> =>
  (await access.createToken(system, { tenantId, role })).token;

process.stdout.write(
  `${JSON.stringify({
    address,
    agentUrl,
    normal: { tenantId: normal, analyst: await token(normal, 'analyst') },
    hostile: {
      tenantId: hostile,
      analyst: await token(hostile, 'analyst'),
      ingest: await token(hostile, 'ingest'),
    },
  })}\n`,
);

process.stdin.resume();
process.stdin.on('end', () => {
  void server.close().finally(() => {
    rmSync(dataDir, { recursive: true, force: true });
    process.exit(0);
  });
});
