/**
 * What live watchlist matching costs ingestion: a real server on loopback (SQLite file, the
 * shipped rules only, the tenants' ingest shares lifted), two tenants fed the same kind of
 * records over HTTP bulk — one with no watchlist, one whose watchlist holds 100,000 indicators
 * (addresses, networks, domains, URLs, SHA-256 hashes). Rounds alternate between the two so
 * that the machine's load falls on both alike; each round is timed until every batch is
 * acknowledged and the pipeline is empty (stored and through every consumer: detection and the
 * watchlist matcher). A few records of the watched tenant carry a watched address, so the
 * alert path runs too. Prints the median throughput of each and their ratio; ends with one
 * JSON line. `BENCH_INDICATORS`, `BENCH_EVENTS` (per round) and `BENCH_ROUNDS` change the size.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Principal } from '@cordon/core';
import { createServer, defaultServerConfig } from '../src/index.ts';

const INDICATORS = Number(process.env['BENCH_INDICATORS'] ?? 100_000);
const EVENTS = Number(process.env['BENCH_EVENTS'] ?? 20_000);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 3);
const BATCH = 2_000;
const system: Principal = { kind: 'system', name: 'bench' };

const hex = (n: number, length: number): string =>
  n
    .toString(16)
    .padStart(8, '0')
    .repeat(Math.ceil(length / 8))
    .slice(0, length);

/** The watchlist: a fifth of each kind, none of them what normal records carry. */
function watchlistText(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    const k = Math.floor(i / 5);
    switch (i % 5) {
      case 0:
        lines.push(`198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}`);
        break;
      case 1:
        // Distinct /28 networks in 100.64.0.0/10 (shared address space), by the entry's number.
        lines.push(`100.${64 + ((k >> 12) & 63)}.${(k >> 4) & 255}.${(k & 15) << 4}/28`);
        break;
      case 2:
        lines.push(`c2-${i}.bad-example.net`);
        break;
      case 3:
        lines.push(`http://dl-${i}.bad-example.org/payload.bin`);
        break;
      default:
        lines.push(hex(i * 2654435761, 64));
    }
  }
  return lines.join('\n');
}

const WATCHED_ADDRESS = '100.64.0.77';
/** Normal records: sshd, JSON with addresses and domains, Zeek-like DNS; a few watched. */
function record(i: number, watched: boolean): string {
  const src = `203.0.${(i >> 8) & 255}.${i & 255}`;
  const hit = watched && i % 2_000 === 0;
  switch (i % 3) {
    case 0:
      return `Oct 11 22:14:15 host-${i % 300} sshd[${1000 + (i % 5000)}]: Accepted publickey for deploy from ${hit ? WATCHED_ADDRESS : src} port ${1024 + (i % 60000)} ssh2`;
    case 1:
      return JSON.stringify({
        '@timestamp': new Date(Date.UTC(2024, 9, 11, 22) + i).toISOString(),
        event: { category: ['network'] },
        source: { ip: `10.1.${(i >> 8) & 255}.${i & 255}` },
        destination: { ip: src, port: 443, domain: `cdn-${i % 997}.good-example.com` },
        url: { original: `https://cdn-${i % 997}.good-example.com/a/${i}` },
      });
    default:
      return JSON.stringify({
        '@timestamp': new Date(Date.UTC(2024, 9, 11, 22) + i).toISOString(),
        event: { category: ['file'] },
        host: { name: `ws-${i % 300}` },
        file: { hash: { sha256: hex(i * 40503 + 7, 64) } },
        dns: { question: { name: `img-${i % 991}.good-example.com` } },
      });
  }
}

function bodies(watched: boolean): Buffer[] {
  const out: Buffer[] = [];
  for (let start = 0; start < EVENTS; start += BATCH) {
    const lines: string[] = [];
    for (let i = start; i < Math.min(EVENTS, start + BATCH); i++) lines.push(record(i, watched));
    out.push(Buffer.from(lines.join('\n') + '\n'));
  }
  return out;
}

const dataDir = mkdtempSync(join(tmpdir(), 'cordon-watchlist-bench-'));
const lifted = {
  recordsPerSecond: 1e9,
  recordBurst: 1e9,
  bytesPerSecond: 1e12,
  byteBurst: 1e12,
};
const server = await createServer({
  config: {
    ...defaultServerConfig,
    dataDir,
    port: 0,
    detection: { ...defaultServerConfig.detection, ruleDirs: [] },
    fairness: {
      ...defaultServerConfig.fairness,
      ingest: { ...defaultServerConfig.fairness.ingest, ...lifted },
    },
  },
  logger: false,
});
const { access } = server.services;
const quietId = (await access.createTenant(system, 'no watchlist')).id;
const watchedId = (await access.createTenant(system, 'watched')).id;
const importStarted = performance.now();
const imported = await server.intel.watchlists.import(
  system,
  { kind: 'tenant', tenantId: watchedId },
  { name: 'bench', source: 'bench:generated', format: 'iocs', content: watchlistText(INDICATORS) },
);
const importMs = performance.now() - importStarted;
const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
const tokens = {
  quiet: (await access.createToken(system, { tenantId: quietId, role: 'ingest' })).token,
  watched: (await access.createToken(system, { tenantId: watchedId, role: 'ingest' })).token,
};
const queueEvents = async (): Promise<number> =>
  (await server.ingestion.pipeline.metrics.queueEvents.get()).values[0]?.value ?? 0;

let round = 0;
async function timedRound(which: 'quiet' | 'watched'): Promise<number> {
  const payloads = bodies(which === 'watched');
  round += 1;
  const started = performance.now();
  let stored = 0;
  let next = 0;
  const sender = async (): Promise<void> => {
    while (next < payloads.length) {
      const n = next++;
      for (;;) {
        const response = await fetch(`${url}/api/v1/ingest`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${tokens[which]}`,
            'content-type': 'text/plain',
            'idempotency-key': `${which}:${round}:${n}`,
          },
          body: payloads[n],
        });
        if (response.status === 429) {
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
        stored += ((await response.json()) as { accepted: number }).accepted;
        break;
      }
    }
  };
  await Promise.all([sender(), sender()]);
  while ((await queueEvents()) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
  if (stored !== EVENTS) throw new Error(`${which} round stored ${stored} of ${EVENTS}`);
  return EVENTS / ((performance.now() - started) / 1000);
}

// A warm-up round each, not counted (JIT, page cache, the matcher's index build).
await timedRound('quiet');
await timedRound('watched');
const quiet: number[] = [];
const watched: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  if (r % 2 === 0) {
    quiet.push(await timedRound('quiet'));
    watched.push(await timedRound('watched'));
  } else {
    watched.push(await timedRound('watched'));
    quiet.push(await timedRound('quiet'));
  }
}
const alerts = (
  await server.detection.alerts.list(system, watchedId, {}, { limit: 1000, offset: 0 })
).items.filter((alert) => alert.ruleId.startsWith('watchlist:')).length;
await server.close();
rmSync(dataDir, { recursive: true, force: true });

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1]!;
const quietPerS = Math.round(median(quiet));
const watchedPerS = Math.round(median(watched));
const ratio = Number((watchedPerS / quietPerS).toFixed(3));
console.log(
  `watchlist: ${imported.watchlist.indicatorCount} indicators imported in ${(importMs / 1000).toFixed(1)} s; ${ROUNDS} alternating rounds of ${EVENTS} records per tenant`,
);
console.log(
  `no watchlist:        ${quiet.map((v) => Math.round(v)).join(', ')} events/s (median ${quietPerS})`,
);
console.log(
  `100,000 indicators:  ${watched.map((v) => Math.round(v)).join(', ')} events/s (median ${watchedPerS})`,
);
console.log(
  `ratio with / without: ${ratio} (${alerts} watchlist alerts raised in the watched tenant)`,
);
console.log(
  JSON.stringify({
    bench: 'watchlist',
    indicators: imported.watchlist.indicatorCount,
    events_per_round: EVENTS,
    rounds: ROUNDS,
    no_watchlist_events_per_s: quietPerS,
    with_watchlist_events_per_s: watchedPerS,
    ratio,
    watchlist_alerts: alerts,
    import_s: Number((importMs / 1000).toFixed(2)),
  }),
);
