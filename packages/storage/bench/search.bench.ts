/**
 * bench:search — field queries over a large event store on SQLite. Generates N realistic
 * events (default 10 million; `--events N` for quick runs) through the event store's batch
 * path, then runs field queries through the search API (parse → compile → SQL, with a time
 * range, limit 100 and the total counted up to 10,000) and, in the same run as the baseline,
 * a bare `SELECT … WHERE tenant_key = ? AND host = ? ORDER BY ts DESC LIMIT 100` through
 * node:sqlite on the same file. Prints p50/p95 of each and the ratio; the last line is JSON.
 *
 * Generation is a bulk load: the secondary event indexes are dropped, the events go in
 * through `appendBatch` (the ingest path), and the indexes are rebuilt at the end, which is
 * much faster than growing them row by row to 10 million; the queries then run on exactly the
 * schema the server uses. (Row-by-row growth is what bench:ingest measures.)
 *
 * Options: --events N, --dir DIR (reuse a generated store there; default a temporary one,
 * removed at the end), --runs N (timed runs per query, default 20).
 */
import type { EventDocument } from '@cordon/core';
import { parseQuery } from '@cordon/core';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { parseArgs } from 'node:util';
import { openStore } from '../src/index.ts';

const { values: options } = parseArgs({
  options: {
    events: { type: 'string', default: '10000000' },
    dir: { type: 'string' },
    runs: { type: 'string', default: '20' },
  },
});
const TOTAL = Number(options.events);
const RUNS = Number(options.runs);
const BATCH = 5000;
const HOSTS = 2000;
const USERS = 5000;
const DAY = 86_400_000;
const SPAN_DAYS = 30;

const log = (line: string) => process.stderr.write(line + '\n');
const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'cordon-bench-search-'));
const reuse = options.dir !== undefined && existsSync(join(dir, 'cordon.db'));
const store = await openStore({ dataDir: dir });
const tenantId = '00000000-0000-4000-8000-00000000000a';
const otherTenant = '00000000-0000-4000-8000-00000000000b';
const now = Date.parse('2026-11-28T00:00:00Z');

// A deterministic generator (mulberry32), so that runs are comparable; a plain LCG correlates
// successive draws, which made some host/code combinations impossible.
let seed = 42;
const random = (): number => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const skewed = (n: number): number => Math.floor(n * random() * random()); // a few hot values
const pad = (n: number, width = 4) => String(n).padStart(width, '0');

const CODES = ['4624', '4625', '4634', '4648', '4672', '4688', '4720', '1', '3', '22'];
const DATASETS = ['windows.security', 'system.auth', 'zeek.conn', 'suricata.eve', 'aws.cloudtrail'];
const internalIp = () =>
  `10.${Math.floor(random() * 64)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;
const externalIp = () =>
  random() < 0.1
    ? `2001:db8:${Math.floor(random() * 65535).toString(16)}::${Math.floor(random() * 65535).toString(16)}`
    : `${pick([198, 203, 185, 45])}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}.${Math.floor(random() * 256)}`;

function makeEvent(ts: number): EventDocument {
  const host = `host-${pad(skewed(HOSTS))}`;
  const user = `user-${pad(skewed(USERS))}`;
  const code = pick(CODES);
  const source = random() < 0.7 ? internalIp() : externalIp();
  const dataset = pick(DATASETS);
  const time = new Date(ts).toISOString();
  return {
    '@timestamp': time,
    event: {
      kind: 'event',
      code,
      dataset,
      category: [code === '4688' ? 'process' : 'authentication'],
      outcome: code === '4625' ? 'failure' : 'success',
      ingested: time,
    },
    message: `${code === '4625' ? 'Failed' : 'Accepted'} logon for ${user} from ${source} on ${host}`,
    host: { name: host },
    user: { name: user },
    source: { ip: source, port: 1024 + Math.floor(random() * 60000) },
    destination: { ip: internalIp(), port: pick([22, 443, 445, 3389]) },
    process:
      code === '4688' ? { name: 'powershell.exe', pid: Math.floor(random() * 60000) } : undefined,
    log_source: { product: 'windows', service: 'security' },
    fields: { EventID: Number(code), Computer: host, TargetUserName: user, IpAddress: source },
  };
}

if (!reuse) {
  await store.transaction(async (uow) => {
    await uow.tenants.insert({ id: tenantId, name: 'bench', createdAt: now });
    await uow.tenants.insert({ id: otherTenant, name: 'other', createdAt: now });
  });
  log(`generating ${TOTAL.toLocaleString('en')} events in ${dir} …`);
  const handle = store.database.sqlite!;
  handle.exec('PRAGMA cache_size = -1048576');
  const secondary = handle
    .prepare(
      "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events' AND name <> 'events_tenant_ts' AND sql IS NOT NULL",
    )
    .all() as { name: string; sql: string }[];
  for (const index of secondary) handle.exec(`DROP INDEX ${index.name}`);
  const started = performance.now();
  for (let done = 0; done < TOTAL; done += BATCH) {
    const size = Math.min(BATCH, TOTAL - done);
    // Events arrive roughly in time order, as they do from live sources.
    const events = Array.from({ length: size }, (_, i) =>
      makeEvent(now - SPAN_DAYS * DAY + Math.floor(((done + i) / TOTAL) * SPAN_DAYS * DAY)),
    );
    // One batch in ten belongs to another tenant, so the tenant filter has work to do.
    const tenant = (done / BATCH) % 10 === 9 ? otherTenant : tenantId;
    await store.events.appendBatch(tenant, { batchId: `b${done}`, events });
    if ((done / BATCH) % 100 === 0) {
      const seconds = (performance.now() - started) / 1000;
      log(
        `  ${(done + size).toLocaleString('en')} events, ${Math.round((done + size) / seconds).toLocaleString('en')}/s`,
      );
    }
  }
  const seconds = (performance.now() - started) / 1000;
  log(
    `loaded in ${seconds.toFixed(0)} s (${Math.round(TOTAL / seconds).toLocaleString('en')} events/s); building ${secondary.length} indexes …`,
  );
  for (const index of secondary) {
    const begun = performance.now();
    handle.exec(index.sql);
    log(`  ${index.name}: ${((performance.now() - begun) / 1000).toFixed(0)} s`);
  }
  handle.exec('PRAGMA analysis_limit = 1000; ANALYZE; PRAGMA wal_checkpoint(TRUNCATE)');
  handle.exec('PRAGMA cache_size = -65536');
  log(`generated in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

const from = now - 7 * DAY;
const to = now;
type Template = { readonly name: string; readonly query: () => string };
const TEMPLATES: Template[] = [
  { name: 'host', query: () => `host.name:host-${pad(skewed(HOSTS))}` },
  { name: 'user', query: () => `user.name:user-${pad(skewed(USERS))}` },
  { name: 'source.ip', query: () => `source.ip:${internalIp()}` },
  { name: 'cidr /16', query: () => `source.ip:10.${Math.floor(random() * 64)}.0.0/16` },
  {
    name: 'cidr v6 /48',
    query: () => `source.ip:"2001:db8:${Math.floor(random() * 65535).toString(16)}::/48"`,
  },
  { name: 'event.code range', query: () => 'event.code >= 4624 and event.code <= 4634' },
  {
    name: 'host and code',
    query: () => `host:host-${pad(skewed(HOSTS))} and event.code:4625`,
  },
  {
    name: 'user or user, not code',
    query: () =>
      `(user:user-${pad(skewed(USERS))} or user:user-${pad(skewed(USERS))}) and not event.code:4634`,
  },
  {
    name: 'cidr and code',
    query: () => `source.ip:10.${Math.floor(random() * 64)}.0.0/16 and event.code:4625`,
  },
];

const percentile = (samples: number[], p: number): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};

// Warm the page cache the same way for both sides.
await store.events.search(tenantId, { query: parseQuery('host:host-0001'), from, to, limit: 100 });

const all: number[] = [];
let hostP95 = 0;
log('');
log(
  `query (${RUNS} runs each, 7-day range, limit 100, total up to 10,000)   p50 ms   p95 ms   hits`,
);
for (const template of TEMPLATES) {
  const samples: number[] = [];
  let hits = 0;
  for (let i = 0; i < RUNS; i++) {
    const query = parseQuery(template.query());
    const started = performance.now();
    const result = await store.events.search(tenantId, { query, from, to, limit: 100 });
    samples.push(performance.now() - started);
    hits += result.total;
  }
  all.push(...samples);
  if (template.name === 'host') hostP95 = percentile(samples, 95);
  log(
    `  ${template.name.padEnd(62)} ${percentile(samples, 50).toFixed(1).padStart(7)} ${percentile(samples, 95).toFixed(1).padStart(8)} ${String(Math.round(hits / RUNS)).padStart(6)}`,
  );
}

// Baseline: the bare indexed read through node:sqlite on the same file.
const raw = new DatabaseSync(join(dir, 'cordon.db'));
const { tenant_key: tenantKey } = raw
  .prepare('SELECT tenant_key FROM event_tenants WHERE tenant_id = ?')
  .get(tenantId) as { tenant_key: number };
const bare = raw.prepare(
  'SELECT id, ts, ingested_at, doc FROM events WHERE tenant_key = ? AND host = ? ORDER BY ts DESC LIMIT 100',
);
const baseline: number[] = [];
for (let i = 0; i < RUNS * TEMPLATES.length; i++) {
  const host = `host-${pad(skewed(HOSTS))}`;
  const started = performance.now();
  const rows = bare.all(tenantKey, host) as { doc: string }[];
  for (const row of rows) JSON.parse(row.doc);
  baseline.push(performance.now() - started);
}
raw.close();

const p50 = percentile(all, 50);
const p95 = percentile(all, 95);
const baseP50 = percentile(baseline, 50);
const baseP95 = percentile(baseline, 95);
const eventsStored = await store.events.count(tenantId, {});
const { n: allEvents } = store.database
  .sqlite!.prepare('SELECT count(*) AS n FROM events')
  .get() as {
  n: number;
};
log('');
log(`search:   p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms (all queries)`);
log(
  `baseline: p50 ${baseP50.toFixed(1)} ms, p95 ${baseP95.toFixed(1)} ms (bare host query, node:sqlite)`,
);
log(
  `ratio p95 search / baseline: ${(p95 / baseP95).toFixed(1)}; target p95 < 300 ms: ${p95 < 300 ? 'met' : 'NOT met'}`,
);
await store.close();
if (!options.dir) rmSync(dir, { recursive: true, force: true });
console.log(
  JSON.stringify({
    bench: 'search',
    events: allEvents,
    tenant_events: eventsStored,
    queries: all.length,
    p50_ms: Number(p50.toFixed(2)),
    p95_ms: Number(p95.toFixed(2)),
    baseline_p50_ms: Number(baseP50.toFixed(2)),
    baseline_p95_ms: Number(baseP95.toFixed(2)),
    ratio: Number((p95 / baseP95).toFixed(2)),
    host_query_p95_ms: Number(hostP95.toFixed(2)),
  }),
);
