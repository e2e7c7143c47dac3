/**
 * `npm run bench:hostile`: does one hostile tenant slow down everyone else, and what does each
 * of its inputs cost the server? Three processes besides this one, on loopback: the server
 * (hostile-server.ts: SQLite, live detection with our shipped rules, the agent gateway), the
 * normal tenant's client (hostile-normal.ts: an analyst searching 20,000 events and a monitor
 * polling `/healthz`) and the hostile tenant's load generator (hostile-load.ts, at nice 19:
 * the attacker's machine is not the server's, so what it costs is not the server's to pay).
 *
 * Latency: quiet and hostile windows alternate (BENCH_ROUNDS, default 4, each hostile window
 * between two quiet ones, since the machine is shared and its load drifts); it prints the
 * normal tenant's search and `/healthz` p50/p99 in both, pooled, their ratio (target: search
 * p99 within 2× of the quiet windows), and each hostile window's ratio against the quiet
 * windows either side.
 *
 * CPU: latency on a shared machine measures mostly the machine; CPU time does not. For every
 * window it reads the server's CPU time (all threads, and its main thread — the one that serves
 * requests — apart) from /proc; then each hostile class runs alone, with no normal traffic, for
 * a fixed number of requests (BENCH_CLASS_REQUESTS), and the server's CPU per request of that
 * class is what it used over the idle rate (settling included), divided by the requests sent. It ends with one JSON line. BENCH_HOSTILE=noop sends in the hostile loops
 * only requests the server answers at once (401); BENCH_HOSTILE_ONLY=a,b runs only those
 * classes; BENCH_SERVER_NODE_ARGS passes flags (`--cpu-prof`) to the
 * server; BENCH_HEAP_GROWING_PERCENT=0 runs the server with V8's own heap growth instead of
 * `cordon serve`'s (heap-tuning.ts).
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startCommandChild } from './bench-commands.ts';
import type { AttackCommand, AttackReport, HostileClass } from './hostile-classes.ts';
import { HOSTILE_CLASSES } from './hostile-classes.ts';
import type { MeasureCommand, NormalSamples } from './hostile-normal.ts';
import type { ServerInfo } from './hostile-server-info.ts';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 4);
const QUIET_MS = Number(process.env['BENCH_QUIET_MS'] ?? 6_000);
const HOSTILE_MS = Number(process.env['BENCH_HOSTILE_MS'] ?? 8_000);
/**
 * Each class alone, for the CPU it costs per request: this many requests (a tenth for the
 * classes whose requests are large), or as many as fit in BENCH_CLASS_MS.
 */
const CLASS_REQUESTS = Number(process.env['BENCH_CLASS_REQUESTS'] ?? 400);
const CLASS_MS = Number(process.env['BENCH_CLASS_MS'] ?? 20_000);
const classRequests = (name: HostileClass): number =>
  name === 'long-values' || name === 'oversized-frame'
    ? Math.ceil(CLASS_REQUESTS / 10)
    : CLASS_REQUESTS;
/** After a hostile window: the last answers and the work they queued (detection) settle. */
const SETTLE_MS = 1_500;
const NOOP = process.env['BENCH_HOSTILE'] === 'noop';
const only = (process.env['BENCH_HOSTILE_ONLY'] ?? '').split(',').filter(Boolean) as HostileClass[];
for (const name of only)
  if (!HOSTILE_CLASSES.includes(name)) throw new Error(`BENCH_HOSTILE_ONLY: no class ${name}`);

const serverArgs = (process.env['BENCH_SERVER_NODE_ARGS'] ?? '').split(' ').filter(Boolean);
const server = spawn(
  process.execPath,
  [...serverArgs, join(import.meta.dirname, 'hostile-server.ts')],
  { stdio: ['pipe', 'pipe', 'inherit'] },
);
const info = await new Promise<ServerInfo>((resolve, reject) => {
  const lines = createInterface({ input: server.stdout });
  lines.once('line', (line) => resolve(JSON.parse(line) as ServerInfo));
  server.once('exit', (code) =>
    reject(new Error(`the server exited (${code}) before it was ready`)),
  );
});
let alive = true;
server.once('exit', () => (alive = false));
const normal = startCommandChild<MeasureCommand, NormalSamples>(
  join(import.meta.dirname, 'hostile-normal.ts'),
  [JSON.stringify(info)],
);
const hostile = startCommandChild<AttackCommand, AttackReport>(
  join(import.meta.dirname, 'hostile-load.ts'),
  [JSON.stringify(info)],
);

// ---- what the processes use, from /proc ----
const TICKS_PER_SECOND = 100;
/** CPU seconds (user + system) in a /proc stat line: fields 14 and 15. */
const statSeconds = (path: string): number => {
  try {
    const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
};
interface CpuReading {
  readonly at: number;
  /** The server process, every thread (those that ended included). */
  readonly server: number;
  /** The server's main thread: the one every HTTP request waits for. */
  readonly serverMain: number;
  readonly normalClient: number;
  readonly hostileClient: number;
}
const readCpu = (): CpuReading => ({
  at: performance.now(),
  server: statSeconds(`/proc/${server.pid}/stat`),
  serverMain: statSeconds(`/proc/${server.pid}/task/${server.pid}/stat`),
  normalClient: statSeconds(`/proc/${normal.process.pid}/stat`),
  hostileClient: statSeconds(`/proc/${hostile.process.pid}/stat`),
});
/** Cores busy (1 = one core) between two readings. */
const coresBetween = (a: CpuReading, b: CpuReading) => {
  const wall = (b.at - a.at) / 1000;
  const rate = (key: Exclude<keyof CpuReading, 'at'>): number => (b[key] - a[key]) / wall;
  return {
    server: rate('server'),
    serverMain: rate('serverMain'),
    normalClient: rate('normalClient'),
    hostileClient: rate('hostileClient'),
  };
};
/** The server's threads by name, CPU seconds each (workers are named after their job). */
const serverThreads = (): Record<string, number> => {
  const threads: Record<string, number> = {};
  try {
    for (const tid of readdirSync(`/proc/${server.pid}/task`)) {
      const name = readFileSync(`/proc/${server.pid}/task/${tid}/comm`, 'utf8').trim();
      threads[name] = (threads[name] ?? 0) + statSeconds(`/proc/${server.pid}/task/${tid}/stat`);
    }
  } catch {
    // the server has gone: reported by `alive`
  }
  return threads;
};
const rssBytes = (): number => {
  try {
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
};
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const percentile = (values: readonly number[], p: number): number => {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
};
const round2 = (value: number): number => Math.round(value * 100) / 100;
const mean = (values: readonly number[]): number =>
  round2(values.reduce((a, b) => a + b, 0) / Math.max(1, values.length));

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssBytes())), 100);

// ---- latency: quiet and hostile windows ----
await normal.send({ ms: 2_000 }); // warm-up: JIT, page cache, connections
const rssBefore = rssBytes();
interface Pooled {
  search: number[];
  health: number[];
  errors: number;
}
const pool = (into: Pooled, from: NormalSamples): void => {
  into.search.push(...from.search);
  into.health.push(...from.health);
  into.errors += from.errors;
};
const quiet: Pooled = { search: [], health: [], errors: 0 };
const loaded: Pooled = { search: [], health: [], errors: 0 };
const quietWindows: NormalSamples[] = [];
const hostileWindows: NormalSamples[] = [];
type Cores = ReturnType<typeof coresBetween>;
const quietCores: Cores[] = [];
const hostileCores: Cores[] = [];
const sent: Record<string, number> = {};
const answered: Record<string, Record<number, number>> = {};
const tally = (report: AttackReport): void => {
  for (const [name, count] of Object.entries(report.sent)) sent[name] = (sent[name] ?? 0) + count;
  for (const [name, counts] of Object.entries(report.answered)) {
    const into = (answered[name] ??= {});
    for (const [status, count] of Object.entries(counts))
      into[Number(status)] = (into[Number(status)] ?? 0) + count;
  }
};
let quietPeakRss = 0;
let hostilePeakRss = 0;
for (let round = 0; round <= ROUNDS && alive; round++) {
  peakRss = 0;
  let before = readCpu();
  const calm = await normal.send({ ms: QUIET_MS });
  quietCores.push(coresBetween(before, readCpu()));
  quietPeakRss = Math.max(quietPeakRss, peakRss, rssBytes());
  quietWindows.push(calm);
  pool(quiet, calm);
  if (round === ROUNDS) break;
  peakRss = 0;
  before = readCpu();
  const [busy, report] = await Promise.all([
    normal.send({ ms: HOSTILE_MS }),
    hostile.send({
      ms: HOSTILE_MS,
      ...(only.length > 0 ? { only } : {}),
      ...(NOOP ? { noop: true } : {}),
    }),
  ]);
  hostileCores.push(coresBetween(before, readCpu()));
  hostilePeakRss = Math.max(hostilePeakRss, peakRss, rssBytes());
  hostileWindows.push(busy);
  pool(loaded, busy);
  tally(report);
  await sleep(SETTLE_MS);
}

// ---- CPU: each class alone ----
interface ClassCost {
  readonly requests: number;
  readonly answers: Record<number, number>;
  /** Server CPU per request over the idle rate: all threads, and the main thread. */
  readonly server_cpu_ms_per_request: number;
  readonly server_main_cpu_ms_per_request: number;
  /** Cores the server used while this class ran (settling included), over the idle rate. */
  readonly server_cores: number;
  readonly server_main_cores: number;
}
const idleStart = readCpu();
await sleep(2_000);
const idle = coresBetween(idleStart, readCpu());
const classCost: Partial<Record<HostileClass, ClassCost>> = {};
const threadsBefore = serverThreads();
for (const name of only.length > 0 ? only : HOSTILE_CLASSES) {
  if (!alive) break;
  const before = readCpu();
  const report = await hostile.send({ ms: CLASS_MS, only: [name], count: classRequests(name) });
  await sleep(SETTLE_MS);
  const after = readCpu();
  const wall = (after.at - before.at) / 1000;
  const requests = report.sent[name] ?? 0;
  const over = (key: 'server' | 'serverMain'): number =>
    Math.max(0, after[key] - before[key] - idle[key] * wall);
  classCost[name] = {
    requests,
    answers: report.answered[name] ?? {},
    server_cpu_ms_per_request: round2((over('server') * 1000) / Math.max(1, requests)),
    server_main_cpu_ms_per_request: round2((over('serverMain') * 1000) / Math.max(1, requests)),
    server_cores: round2(over('server') / wall),
    server_main_cores: round2(over('serverMain') / wall),
  };
}
const threadsAfter = serverThreads();
clearInterval(sampler);
const aliveAtEnd =
  alive &&
  (await fetch(`${info.address}/healthz`)
    .then((r) => r.status)
    .catch(() => 0)) === 200;

/** Each hostile window's search p99 over the mean of the quiet windows' either side of it. */
const windowRatios = hostileWindows.map((busy, i) => {
  const before = percentile(quietWindows[i]!.search, 99);
  const after = percentile(quietWindows[i + 1]!.search, 99);
  return round2(percentile(busy.search, 99) / ((before + after) / 2));
});
const medianRatio = percentile(windowRatios, 50);
const figure = (values: readonly number[], p: number): number =>
  Math.round(percentile(values, p) * 10) / 10;
const coresOf = (windows: readonly Cores[], key: keyof Cores): number =>
  mean(windows.map((w) => w[key]));
const threadCpu: Record<string, number> = {};
for (const [name, seconds] of Object.entries(threadsAfter))
  threadCpu[name] = round2(seconds - (threadsBefore[name] ?? 0));
const result = {
  quiet_search_p50_ms: figure(quiet.search, 50),
  quiet_search_p99_ms: figure(quiet.search, 99),
  hostile_search_p50_ms: figure(loaded.search, 50),
  hostile_search_p99_ms: figure(loaded.search, 99),
  search_p99_ratio: round2(percentile(loaded.search, 99) / percentile(quiet.search, 99)),
  quiet_healthz_p50_ms: figure(quiet.health, 50),
  quiet_healthz_p99_ms: figure(quiet.health, 99),
  hostile_healthz_p50_ms: figure(loaded.health, 50),
  hostile_healthz_p99_ms: figure(loaded.health, 99),
  healthz_p99_ratio: round2(percentile(loaded.health, 99) / percentile(quiet.health, 99)),
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
  server_cores_quiet: coresOf(quietCores, 'server'),
  server_cores_hostile: coresOf(hostileCores, 'server'),
  server_main_thread_cores_quiet: coresOf(quietCores, 'serverMain'),
  server_main_thread_cores_hostile: coresOf(hostileCores, 'serverMain'),
  normal_client_cores_quiet: coresOf(quietCores, 'normalClient'),
  normal_client_cores_hostile: coresOf(hostileCores, 'normalClient'),
  hostile_client_cores_hostile_nice19: coresOf(hostileCores, 'hostileClient'),
  server_cores_idle: round2(idle.server),
  // Each class alone (BENCH_CLASS_MS), server CPU over the idle rate.
  cpu_per_class: classCost,
  // CPU seconds of the server's live threads over the per-class windows, by thread name.
  server_thread_cpu_s_per_class_windows: threadCpu,
  load_average_end: Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]),
  hostile_mode: NOOP ? 'noop' : only.length > 0 ? only.join(',') : 'hostile',
  server_alive: aliveAtEnd,
  hostile_sent: sent,
  hostile_requests_per_second: Object.fromEntries(
    Object.entries(sent).map(([name, count]) => [
      name,
      Math.round((count / ((hostileWindows.length * HOSTILE_MS) / 1000)) * 10) / 10,
    ]),
  ),
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
  `cores busy (1 = one core): server ${result.server_cores_quiet} quiet → ${result.server_cores_hostile} hostile (main thread ${result.server_main_thread_cores_quiet} → ${result.server_main_thread_cores_hostile}); normal client ${result.normal_client_cores_quiet} → ${result.normal_client_cores_hostile}; hostile load generator (nice 19) ${result.hostile_client_cores_hostile_nice19}; load average ${result.load_average_end}`,
);
console.log(
  `server CPU per hostile request, each class alone (${CLASS_REQUESTS} requests, a tenth for long-values and oversized-frame; idle ${result.server_cores_idle} cores subtracted):`,
);
for (const [name, cost] of Object.entries(classCost))
  console.log(
    `  ${name.padEnd(16)} ${String(cost.requests).padStart(5)} requests ${JSON.stringify(cost.answers)}: ${cost.server_cpu_ms_per_request} ms (main thread ${cost.server_main_cpu_ms_per_request} ms) a request; server ${cost.server_cores} cores (main ${cost.server_main_cores})`,
  );
console.log(`server threads, CPU s over the per-class windows: ${JSON.stringify(threadCpu)}`);
console.log(
  `hostile requests in the latency windows: ${JSON.stringify(answered)}; a second: ${JSON.stringify(result.hostile_requests_per_second)}`,
);

normal.close();
hostile.close();
server.stdin.end();
await new Promise<void>((resolve) => {
  if (!alive) resolve();
  server.once('exit', () => resolve());
  setTimeout(() => {
    server.kill('SIGKILL');
    resolve();
  }, 10_000).unref();
});
console.log(JSON.stringify(result));
process.exit(aliveAtEnd ? 0 : 1);
