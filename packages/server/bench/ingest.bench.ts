/**
 * End-to-end ingestion throughput: a real server on loopback (SQLite file) with live detection
 * running the whole SigmaHQ `rules/` set plus our correlation rules; HTTP bulk batches of
 * 5,000 records (text/plain, format auto: sshd/sudo/cron syslog lines, Windows JSON from the
 * SigmaHQ regression data, Zeek, Suricata EVE, CloudTrail, CEF) from two concurrent senders.
 * The clock stops when every batch is acknowledged (durable) AND every event has been through
 * detection (the pipeline queue is empty): parsed, stored, detected.
 *
 * Baseline, same run: the rows the server stored, inserted again into a fresh SQLite file with
 * the same table and indexes (DDL copied from the server's database) and the store's
 * connection settings (WAL, synchronous NORMAL, its page cache) through `node:sqlite`
 * prepared multi-row INSERTs, one transaction per 5,000, median of three runs — what the disk and indexes cost with
 * no HTTP, parsing, normalisation or detection. Ends with one JSON line.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { Principal } from '@cordon/core';
import { SQLITE_CACHE_KIB } from '@cordon/storage';
import { createServer, defaultServerConfig } from '../src/index.ts';

const shared = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'data');
const sigmaRules = join(shared, 'sigmahq', 'rules');
if (!existsSync(sigmaRules)) {
  console.error(`bench:ingest needs the shared SigmaHQ data at ${sigmaRules}`);
  process.exit(1);
}
const TOTAL = Number(process.env['BENCH_EVENTS'] ?? 200_000);
const BATCH = 5_000;
const PARALLEL = 2;
/** `BENCH_SIGMAHQ=0`: only our shipped correlation rules, to see what the SigmaHQ set costs. */
const withSigmaHq = process.env['BENCH_SIGMAHQ'] !== '0';
const system: Principal = { kind: 'system', name: 'bench' };

// ---- the records ----
const windowsJson: string[] = [];
const regression = join(shared, 'sigmahq', 'regression_data');
for (const file of readdirSync(regression, { recursive: true }).map(String)) {
  if (!file.endsWith('.json')) continue;
  // Pretty-printed evtx_dump JSON: one event, an array, or events one after the other.
  const text = readFileSync(join(regression, file), 'utf8');
  for (const part of text.split(/\n(?=[[{])/)) {
    try {
      const value = JSON.parse(part) as unknown;
      for (const item of Array.isArray(value) ? value : [value])
        windowsJson.push(JSON.stringify(item));
    } catch {
      // Not JSON after all: not part of the corpus.
    }
  }
}
const t0 = Date.UTC(2024, 9, 11, 22, 0, 0);
const bsd = (i: number): string => {
  const d = new Date(t0 + i * 10);
  return `Oct 11 ${d.toISOString().slice(11, 19)}`;
};
/** External senders vary widely; the internal network has a few hundred hosts. */
const ip = (i: number, net = '203.0'): string =>
  net.startsWith('10.')
    ? `${net}.${Math.floor((i % 600) / 200)}.${(i % 200) + 1}`
    : `${net}.${(i >> 8) % 250}.${i % 250}`;
function record(i: number): string {
  switch (i % 10) {
    case 0:
    case 1:
      return windowsJson[i % windowsJson.length]!;
    case 2:
      return `${bsd(i)} bastion${i % 7} sshd[${i}]: Failed password for invalid user u${i % 500} from ${ip(i)} port ${i % 60000} ssh2`;
    case 3:
      return `${bsd(i)} web${i % 50} sshd[${i}]: Accepted publickey for deploy from ${ip(i, '10.0')} port 22 ssh2: ED25519 SHA256:x`;
    case 4:
      return `<86>${bsd(i)} web${i % 50} sudo:   deploy : TTY=pts/0 ; PWD=/srv ; USER=root ; COMMAND=/usr/bin/systemctl restart app${i % 9}`;
    case 5:
      return `${bsd(i)} web${i % 50} CRON[${i}]: (root) CMD (run-parts /etc/cron.hourly)`;
    case 6:
      return JSON.stringify({
        ts: (t0 + i * 10) / 1000,
        uid: `C${i}`,
        'id.orig_h': ip(i, '10.1'),
        'id.orig_p': 40000 + (i % 20000),
        'id.resp_h': ip(i * 7),
        'id.resp_p': 443,
        proto: 'tcp',
        service: 'ssl',
        conn_state: 'SF',
      });
    case 7:
      return JSON.stringify({
        timestamp: new Date(t0 + i * 10).toISOString().replace('Z', '+0000'),
        flow_id: i,
        event_type: 'dns',
        src_ip: ip(i, '10.2'),
        src_port: 53000 + (i % 1000),
        dest_ip: '10.0.0.2',
        dest_port: 53,
        proto: 'UDP',
        dns: { type: 'query', id: i % 65536, rrname: `host${i % 3000}.example.com`, rrtype: 'A' },
      });
    case 8:
      return JSON.stringify({
        eventVersion: '1.09',
        userIdentity: { type: 'IAMUser', accountId: '123456789012', userName: `svc${i % 40}` },
        eventTime: new Date(t0 + i * 10).toISOString(),
        eventSource: 'ec2.amazonaws.com',
        eventName: i % 3 === 0 ? 'DescribeInstances' : 'RunInstances',
        awsRegion: 'eu-west-1',
        sourceIPAddress: ip(i),
        eventID: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        eventType: 'AwsApiCall',
      });
    default:
      return `CEF:0|Palo Alto Networks|PAN-OS|10.2.4|end|TRAFFIC|3|rt=Oct 11 2024 22:14:15 GMT src=${ip(i)} dst=10.0.0.5 spt=${40000 + (i % 20000)} dpt=3389 proto=tcp act=deny dvchost=pa-edge-01`;
  }
}
const bodies: { id: string; body: Buffer; records: number }[] = [];
for (let start = 0; start < TOTAL; start += BATCH) {
  const lines: string[] = [];
  for (let i = start; i < Math.min(TOTAL, start + BATCH); i++) lines.push(record(i));
  bodies.push({
    id: `bench:${start}`,
    body: Buffer.from(lines.join('\n') + '\n'),
    records: lines.length,
  });
}
const bodyBytes = bodies.reduce((n, b) => n + b.body.byteLength, 0);

// ---- end to end ----
const dataDir = mkdtempSync(join(tmpdir(), 'cordon-ingest-bench-'));
const server = await createServer({
  config: {
    ...defaultServerConfig,
    dataDir,
    port: 0,
    detection: { ...defaultServerConfig.detection, ruleDirs: withSigmaHq ? [sigmaRules] : [] },
    // The whole server's throughput for one tenant, as a single-tenant deployment configures
    // it: that tenant's share of ingest (fairness-config.ts, 2,000 records/s) is lifted.
    fairness: {
      ...defaultServerConfig.fairness,
      ingest: {
        ...defaultServerConfig.fairness.ingest,
        recordsPerSecond: 1e9,
        recordBurst: 1e9,
        bytesPerSecond: 1e12,
        byteBurst: 1e12,
      },
    },
  },
  logger: false,
});
const tenantId = (await server.services.access.createTenant(system, 'bench')).id;
const { token } = await server.services.access.createToken(system, { tenantId, role: 'ingest' });
const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
const queueEvents = async (): Promise<number> =>
  (await server.ingestion.pipeline.metrics.queueEvents.get()).values[0]?.value ?? 0;

// BENCH_PROFILE=file.cpuprofile: a CPU profile of the timed part only.
const profileFile = process.env['BENCH_PROFILE'];
const inspector = profileFile === undefined ? undefined : new Session();
if (inspector !== undefined) {
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.start');
}
let stored = 0;
let deadLettered = 0;
const started = performance.now();
let next = 0;
const sender = async (): Promise<void> => {
  while (next < bodies.length) {
    const batch = bodies[next++]!;
    for (;;) {
      const response = await fetch(`${url}/api/v1/ingest`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'text/plain',
          'idempotency-key': batch.id,
        },
        body: batch.body,
      });
      if (response.status === 429) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        continue;
      }
      if (!response.ok) throw new Error(`HTTP ${response.status}: ${await response.text()}`);
      const receipt = (await response.json()) as { accepted: number; deadLettered: number };
      stored += receipt.accepted;
      deadLettered += receipt.deadLettered;
      break;
    }
  }
};
await Promise.all(Array.from({ length: PARALLEL }, sender));
const acknowledgedMs = performance.now() - started;
while ((await queueEvents()) > 0) await new Promise((resolve) => setTimeout(resolve, 5));
const endToEndMs = performance.now() - started;
if (inspector !== undefined && profileFile !== undefined) {
  const { profile } = await inspector.post('Profiler.stop');
  writeFileSync(profileFile, JSON.stringify(profile));
  inspector.disconnect();
}
await server.close();

// ---- baseline: bare batched inserts of the same rows ----
const database = readdirSync(dataDir).find((f) => f.endsWith('.db'))!;
const source = new DatabaseSync(join(dataDir, database), { readOnly: true });
const ddl = (
  source
    .prepare(
      "SELECT sql FROM sqlite_master WHERE tbl_name = 'events' AND sql IS NOT NULL ORDER BY type DESC",
    )
    .all() as { sql: string }[]
).map((r) => r.sql);
const rows = source.prepare('SELECT * FROM events').all() as Record<string, unknown>[];
source.close();
const columns = Object.keys(rows[0]!);
/** One baseline run into a fresh database file; its milliseconds. */
function baselineRun(): number {
  const baselineDir = mkdtempSync(join(tmpdir(), 'cordon-ingest-baseline-'));
  const target = new DatabaseSync(join(baselineDir, 'baseline.db'));
  // The store connection's settings: WAL, NORMAL sync, its page cache.
  target.exec(
    `PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -${SQLITE_CACHE_KIB};`,
  );
  for (const statement of ddl) target.exec(statement);
  // Rows per statement under SQLite's 32,766 bound variables.
  const perStatement = Math.floor(32_000 / columns.length);
  const insert = (n: number) =>
    target.prepare(
      `INSERT INTO events (${columns.join(', ')}) VALUES ${Array.from({ length: n }, () => `(${columns.map(() => '?').join(', ')})`).join(', ')}`,
    );
  const full = insert(perStatement);
  const baselineStart = performance.now();
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    target.exec('BEGIN');
    for (let i = 0; i < batch.length; i += perStatement) {
      const chunk = batch.slice(i, i + perStatement);
      const values = chunk.flatMap((row) => columns.map((c) => row[c] as never));
      (chunk.length === perStatement ? full : insert(chunk.length)).run(...values);
    }
    target.exec('COMMIT');
  }
  const ms = performance.now() - baselineStart;
  target.close();
  rmSync(baselineDir, { recursive: true, force: true });
  return ms;
}
// The median of three runs: one run swings by a third on a shared machine.
const baselineRuns = [baselineRun(), baselineRun(), baselineRun()].sort((a, b) => a - b);
const baselineMs = baselineRuns[1]!;
rmSync(dataDir, { recursive: true, force: true });

const eventsPerS = Math.round(stored / (endToEndMs / 1000));
const baselinePerS = Math.round(rows.length / (baselineMs / 1000));
console.log(
  `records: ${TOTAL} in ${bodies.length} HTTP batches of ${BATCH} (${(bodyBytes / 1048576).toFixed(1)} MiB), ${stored} events stored, ${deadLettered} dead-lettered` +
    '',
);
console.log(
  `end to end (HTTP → parse → store → ${withSigmaHq ? 'SigmaHQ' : 'shipped rules only'} detection): ${(endToEndMs / 1000).toFixed(2)} s, ${eventsPerS} events/s (all acknowledged after ${(acknowledgedMs / 1000).toFixed(2)} s)`,
);
console.log(
  `baseline (node:sqlite prepared multi-row INSERT of the same ${rows.length} rows, same indexes; median of 3): ${(baselineMs / 1000).toFixed(2)} s, ${baselinePerS} events/s`,
);
console.log(`ratio end to end / baseline: ${(eventsPerS / baselinePerS).toFixed(3)}`);
console.log(
  JSON.stringify({
    bench: 'ingest',
    events: stored,
    events_per_s: eventsPerS,
    acknowledged_events_per_s: Math.round(stored / (acknowledgedMs / 1000)),
    baseline_insert_events_per_s: baselinePerS,
    ratio: Number((eventsPerS / baselinePerS).toFixed(3)),
  }),
);
