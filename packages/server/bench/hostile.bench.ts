/**
 * `npm run bench:hostile`: does one hostile tenant slow down everyone else? A real server runs
 * in its own process (hostile-server.ts) on loopback. A normal tenant's analyst searches its
 * 20,000 events and a monitor polls `/healthz`, first with nothing else running (the quiet
 * baseline), then while a second tenant sends the worst inputs of issue 13 as fast as it can:
 * YAML alias-bomb rules, a regex rule (`a[ab]{999}c`) with 64 KB values to run it on, gzip
 * bodies that expand 700-fold into millions of records, search queries nested thousands deep,
 * and 9 MB WebSocket frames at the agent gateway before authenticating. The machine is
 * shared, so quiet and hostile windows alternate (BENCH_ROUNDS, default 4, each hostile window
 * between two quiet ones). It prints p50/p99 of both, pooled, their ratio (target: the normal
 * tenant's search p99 within 2× of the quiet windows), each hostile window's ratio against the
 * quiet windows either side and their median, whether the server stayed alive and its peak
 * resident memory, and ends with one JSON line. BENCH_HOSTILE=noop runs the same loops with
 * requests the server answers at once: what the load generator alone costs.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { gzipSync } from 'node:zlib';
import WebSocket from 'ws';

// Rounds of quiet window → hostile window, ending with one more quiet window: the machine is
// shared, so background load drifts; each hostile window is compared with the quiet windows
// either side of it, and all quiet (hostile) samples are pooled for the headline p99s.
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
const QUIET_MS = Number(process.env['BENCH_QUIET_MS'] ?? 6_000);
const HOSTILE_MS = Number(process.env['BENCH_HOSTILE_MS'] ?? 8_000);
/** After a hostile window, before the next quiet one: the last hostile answers settle. */
const SETTLE_MS = 1_000;
// BENCH_HOSTILE=noop: the same loops at the same pace, each sending a request the server
// answers at once (a path with no route, unauthenticated: 401): what the load generator and
// plain HTTP cost the two cores, with none of the hostile tenant's work.
const NOOP = process.env['BENCH_HOSTILE'] === 'noop';
const PAUSE_MS = 20;

interface ServerInfo {
  readonly address: string;
  readonly agentUrl: string;
  readonly normal: { readonly tenantId: string; readonly analyst: string };
  readonly hostile: {
    readonly tenantId: string;
    readonly analyst: string;
    readonly ingest: string;
  };
}

// BENCH_SERVER_NODE_ARGS: extra node flags for the server process (e.g. `--cpu-prof`).
const serverArgs = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
const child = spawn(
  process.execPath,
  [...serverArgs, join(import.meta.dirname, 'hostile-server.ts')],
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const info = await new Promise<ServerInfo>((resolve, reject) => {
  const lines = createInterface({ input: child.stdout });
  lines.once('line', (line) => resolve(JSON.parse(line) as ServerInfo));
  child.once('exit', (code) =>
    reject(new Error(`the server exited (${code}) before it was ready`)),
  );
});
let alive = true;
child.once('exit', () => (alive = false));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
/** CPU seconds the server process has used (all its threads: user + system). */
const serverCpuSeconds = (): number => {
  try {
    const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
};
const clientCpuSeconds = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1e6;
};
/** CPU used per second of wall time during `work`, by the server and by this load generator. */
async function withCpu<T>(work: () => Promise<T>, into: { server: number[]; client: number[] }) {
  const started = performance.now();
  const server = serverCpuSeconds();
  const client = clientCpuSeconds();
  const result = await work();
  const wall = (performance.now() - started) / 1000;
  into.server.push((serverCpuSeconds() - server) / wall);
  into.client.push((clientCpuSeconds() - client) / wall);
  return result;
}
const rssBytes = (): number => {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
};

async function request(
  path: string,
  init: {
    method?: string;
    token?: string;
    body?: string | Uint8Array;
    headers?: Record<string, string>;
  } = {},
): Promise<number> {
  const response = await fetch(`${info.address}${path}`, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(typeof init.body === 'string' ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    ...(init.body === undefined ? {} : { body: init.body }),
    signal: AbortSignal.timeout(60_000),
  });
  await response.arrayBuffer();
  return response.status;
}

// ---- what the normal tenant does, measured ----
const searchBody = JSON.stringify({
  query: 'user.name:u7 and event.outcome:failure',
  from: '2026-11-27T00:00:00Z',
  to: '2026-11-28T00:00:00Z',
  limit: 50,
});
async function measure(
  ms: number,
): Promise<{ search: number[]; health: number[]; errors: number }> {
  const until = Date.now() + ms;
  const samples = { search: [] as number[], health: [] as number[], errors: 0 };
  const loop = async (kind: 'search' | 'health'): Promise<void> => {
    while (Date.now() < until && alive) {
      const started = performance.now();
      try {
        const status =
          kind === 'search'
            ? await request(`/api/v1/tenants/${info.normal.tenantId}/events/search`, {
                method: 'POST',
                token: info.normal.analyst,
                body: searchBody,
              })
            : await request('/healthz');
        if (status !== 200) samples.errors++;
      } catch {
        samples.errors++;
      }
      samples[kind].push(performance.now() - started);
      await sleep(PAUSE_MS);
    }
  };
  await Promise.all([loop('search'), loop('health')]);
  return samples;
}

// ---- what the hostile tenant sends ----
const aliasBomb = [
  'title: bomb',
  'id: 7a6f6d62-0000-4000-8000-000000000001',
  'logsource: {product: windows, category: process_creation}',
  'a0: &a0 [x, x, x, x]',
  ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [*a${i}, *a${i}, *a${i}, *a${i}]`),
  'detection:',
  '  selection:',
  '    CommandLine|contains: *a9',
  '  condition: selection',
  'level: high',
].join('\n');
const regexRule = [
  'title: costly regex',
  'id: 7a6f6d62-0000-4000-8000-000000000002',
  'logsource: {product: windows, service: security}',
  'detection:',
  '  selection:',
  "    TargetUserName|re: 'a[ab]{999}c'",
  '  condition: selection',
  'level: high',
].join('\n');
const longValues = Array.from({ length: 8 }, (_, i) =>
  JSON.stringify({
    '@timestamp': '2026-11-27T09:00:00.000Z',
    winlog: {
      channel: 'Security',
      event_id: 4625,
      provider_name: 'Microsoft-Windows-Security-Auditing',
      computer_name: `ws${i}`,
      event_data: { TargetUserName: `${'ab'.repeat(32 * 1024)}${i}` },
    },
  }),
).join('\n');
const gzipBomb = gzipSync(Buffer.from('{"m":1}\n'.repeat(4 * 1024 * 1024)), { level: 9 });
// Just under the query's 10,000 characters, so that they reach the parser (and its depth cap)
// rather than being refused by the body schema.
const deepQuery = JSON.stringify({ query: `${'('.repeat(4999)}a${')'.repeat(4999)}` });
const deepNot = JSON.stringify({ query: `${'not '.repeat(2499)}a` });
const bigFrame = Buffer.alloc(9 * 1024 * 1024, 0x61);

const sent: Record<string, number> = {};
const answered: Record<string, Record<number, number>> = {};
// BENCH_HOSTILE_ONLY=kind,kind: only those loops (to see what each one costs).
const only = (process.env['BENCH_HOSTILE_ONLY'] ?? '').split(',').filter(Boolean);
async function hostileLoop(
  name: string,
  until: number,
  send: () => Promise<number>,
): Promise<void> {
  if (only.length > 0 && !only.includes(name)) return;
  while (Date.now() < until && alive) {
    sent[name] = (sent[name] ?? 0) + 1;
    let status: number;
    try {
      status = NOOP ? await request('/bench-noop') : await send();
    } catch {
      status = -1;
    }
    const counts = (answered[name] ??= {});
    counts[status] = (counts[status] ?? 0) + 1;
  }
}
const hostileRule = (yaml: string) => () =>
  request(`/api/v1/tenants/${info.hostile.tenantId}/detection/rules`, {
    method: 'POST',
    token: info.hostile.analyst,
    body: JSON.stringify({ yaml }),
  });
const frameAtGateway = (): Promise<number> =>
  new Promise((resolve) => {
    const socket = new WebSocket(info.agentUrl, { rejectUnauthorized: false });
    const done = (code: number): void => {
      socket.terminate();
      resolve(code);
    };
    socket.once('open', () => socket.send(bigFrame));
    socket.once('close', (code) => done(code));
    socket.once('error', () => done(-2));
    setTimeout(() => done(-3), 10_000).unref();
  });

async function hostilePhase(ms: number): Promise<void> {
  const until = Date.now() + ms;
  await Promise.all([
    hostileLoop('alias-rule', until, hostileRule(aliasBomb)),
    hostileLoop('regex-rule', until, hostileRule(regexRule)),
    hostileLoop('long-values', until, () =>
      request('/api/v1/ingest?format=json', {
        method: 'POST',
        token: info.hostile.ingest,
        body: longValues,
        headers: { 'content-type': 'application/x-ndjson' },
      }),
    ),
    hostileLoop('gzip-bomb', until, () =>
      request('/api/v1/ingest', {
        method: 'POST',
        token: info.hostile.ingest,
        body: gzipBomb,
        headers: { 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' },
      }),
    ),
    hostileLoop('deep-query', until, () =>
      request(`/api/v1/tenants/${info.hostile.tenantId}/events/search`, {
        method: 'POST',
        token: info.hostile.analyst,
        body: sentQuery(),
      }),
    ),
    hostileLoop('oversized-frame', until, frameAtGateway),
  ]);
}
let flip = false;
const sentQuery = (): string => {
  flip = !flip;
  return flip ? deepQuery : deepNot;
};

// ---- the run ----
const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes())), 100);

await measure(2_000); // warm-up: JIT, page cache, connections
const rssBefore = rssBytes();
interface Samples {
  search: number[];
  health: number[];
  errors: number;
}
const quiet: Samples = { search: [], health: [], errors: 0 };
const loaded: Samples = { search: [], health: [], errors: 0 };
const pool = (into: Samples, from: Samples): void => {
  into.search.push(...from.search);
  into.health.push(...from.health);
  into.errors += from.errors;
};
const quietWindows: Samples[] = [];
const quietCpu = { server: [] as number[], client: [] as number[] };
const hostileCpu = { server: [] as number[], client: [] as number[] };
const hostileWindows: Samples[] = [];
let quietPeakRss = 0;
let hostilePeakRss = 0;
for (let round = 0; round <= ROUNDS && alive; round++) {
  peakRss = 0;
  const calm = await withCpu(() => measure(QUIET_MS), quietCpu);
  quietPeakRss = Math.max(quietPeakRss, peakRss, rssBytes());
  quietWindows.push(calm);
  pool(quiet, calm);
  if (round === ROUNDS) break;
  peakRss = 0;
  const [busy] = await withCpu(
    () => Promise.all([measure(HOSTILE_MS), hostilePhase(HOSTILE_MS)]),
    hostileCpu,
  );
  hostilePeakRss = Math.max(hostilePeakRss, peakRss, rssBytes());
  hostileWindows.push(busy);
  pool(loaded, busy);
  await sleep(SETTLE_MS);
}
clearInterval(sampler);
const aliveAtEnd = alive && (await request('/healthz').catch(() => 0)) === 200;
/** Each hostile window's search p99 over the mean of the quiet windows' either side of it. */
const windowRatios = hostileWindows.map((busy, i) => {
  const before = percentile(quietWindows[i]!.search, 99);
  const after = percentile(quietWindows[i + 1]!.search, 99);
  return Math.round((percentile(busy.search, 99) / ((before + after) / 2)) * 100) / 100;
});
const medianRatio = percentile(windowRatios, 50);
const meanOf = (values: readonly number[]): number =>
  Math.round((values.reduce((a, b) => a + b, 0) / Math.max(1, values.length)) * 100) / 100;

const figure = (values: readonly number[], p: number): number =>
  Math.round(percentile(values, p) * 10) / 10;
const result = {
  quiet_search_p50_ms: figure(quiet.search, 50),
  quiet_search_p99_ms: figure(quiet.search, 99),
  hostile_search_p50_ms: figure(loaded.search, 50),
  hostile_search_p99_ms: figure(loaded.search, 99),
  search_p99_ratio:
    Math.round((percentile(loaded.search, 99) / percentile(quiet.search, 99)) * 100) / 100,
  quiet_healthz_p50_ms: figure(quiet.health, 50),
  quiet_healthz_p99_ms: figure(quiet.health, 99),
  hostile_healthz_p50_ms: figure(loaded.health, 50),
  hostile_healthz_p99_ms: figure(loaded.health, 99),
  healthz_p99_ratio:
    Math.round((percentile(loaded.health, 99) / percentile(quiet.health, 99)) * 100) / 100,
  normal_errors_quiet: quiet.errors,
  normal_errors_hostile: loaded.errors,
  searches_quiet: quiet.search.length,
  searches_hostile: loaded.search.length,
  rss_start_mib: Math.round(rssBefore / 2 ** 20),
  rss_peak_quiet_mib: Math.round(quietPeakRss / 2 ** 20),
  rss_peak_hostile_mib: Math.round(hostilePeakRss / 2 ** 20),
  search_p99_ratio_per_window: windowRatios,
  search_p99_ratio_median_window: medianRatio,
  rounds: hostileWindows.length,
  // Cores busy per second of wall time (1 = one core), mean over the windows.
  server_cores_quiet: meanOf(quietCpu.server),
  server_cores_hostile: meanOf(hostileCpu.server),
  client_cores_quiet: meanOf(quietCpu.client),
  client_cores_hostile: meanOf(hostileCpu.client),
  load_average_end: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
  hostile_mode: NOOP ? 'noop' : 'hostile',
  server_alive: aliveAtEnd,
  hostile_sent: sent,
  hostile_answers: answered,
};

console.log(
  `quiet:   search p50 ${result.quiet_search_p50_ms} ms, p99 ${result.quiet_search_p99_ms} ms; /healthz p50 ${result.quiet_healthz_p50_ms} ms, p99 ${result.quiet_healthz_p99_ms} ms`,
);
console.log(
  `hostile: search p50 ${result.hostile_search_p50_ms} ms, p99 ${result.hostile_search_p99_ms} ms; /healthz p50 ${result.hostile_healthz_p50_ms} ms, p99 ${result.hostile_healthz_p99_ms} ms`,
);
console.log(
  `search p99 ratio ${result.search_p99_ratio} (target ≤ 2), /healthz p99 ratio ${result.healthz_p99_ratio}; per hostile window against the quiet windows either side: ${windowRatios.join(', ')} (median ${medianRatio})${NOOP ? ' [noop: the hostile loops sent only requests answered 401 at once]' : ''}`,
);
console.log(
  `server alive: ${aliveAtEnd}; resident memory ${result.rss_start_mib} MiB at start, peak ${result.rss_peak_quiet_mib} MiB quiet, ${result.rss_peak_hostile_mib} MiB hostile`,
);
console.log(
  `cores busy (1 = one core): server ${result.server_cores_quiet} quiet, ${result.server_cores_hostile} hostile; load generator ${result.client_cores_quiet} quiet, ${result.client_cores_hostile} hostile; load average ${result.load_average_end}`,
);
console.log(`hostile requests: ${JSON.stringify(answered)}`);

child.stdin.end();
await new Promise<void>((resolve) => {
  if (!alive) resolve();
  child.once('exit', () => resolve());
  setTimeout(() => {
    child.kill('SIGKILL');
    resolve();
  }, 10_000).unref();
});
console.log(JSON.stringify(result));
process.exit(aliveAtEnd ? 0 : 1);
