/**
 * `npm run bench:contain`: how fast does a detection contain a host? Over 50 trials, the time
 * from the triggering events entering ingestion (an HTTP POST of sshd failure lines to
 * /api/v1/ingest, clock read just before it) to the isolation being enforced — the first
 * connection attempt from the lab's attacker to the host that fails — through live detection
 * (the shipped SSH brute-force correlation), the incident, the default auto-containment policy,
 * the action queue, the agent gateway, the agent in the host's namespace and nftables.
 *
 * In-run baselines: the round trip of a no-op command (REST → gateway → agent → signed result
 * → REST), and the bare `nft -f` of the same isolation table in a scratch namespace.
 * Needs root, nft, ip, openssl and unshare. Last line: one JSON object, units in the keys.
 */
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

import { fileURLToPath } from 'node:url';
import { isolationScript, parseIsolationPolicy, removeTableScript } from '@cordon/agent';
import { startLabServer } from '../test/fixtures/lab-server.ts';

const TRIALS = Number(process.env['BENCH_TRIALS'] ?? 50);
const WATCH = fileURLToPath(new URL('../src/tools/tcp-watch.ts', import.meta.url));

if (process.getuid?.() !== 0) {
  console.error('bench:contain needs root (network namespaces and nftables)');
  process.exit(1);
}

const percentile = (sorted: readonly number[], q: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
const summary = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted.at(-1)! };
};
const round = (n: number): number => Math.round(n * 10) / 10;

function syslogNow(): string {
  const d = new Date();
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  return `${month} ${String(d.getUTCDate()).padStart(2, ' ')} ${d.toISOString().slice(11, 19)}`;
}

const t = await startLabServer({ name: `bench${process.pid % 10000}`, hosts: 1 });
let watcher: ChildProcess | undefined;
try {
  const host = t.lab.hosts[0]!;
  const { server, tenantId, lab } = t;
  // Without live detection in this build, measure from the incident being raised instead.
  const fromIngestion = (server as unknown as Record<string, unknown>)['detection'] !== undefined;
  if (!fromIngestion)
    console.log('no live detection in this server: measuring from the incident being raised');
  await lab.listen(host.namespace, '::', 22);
  const ingestToken = (
    await server.services.access.createToken(
      { kind: 'system', name: 'bench' },
      { tenantId, role: 'ingest', name: 'bench' },
    )
  ).token;

  // The attacker's view: every change of reachability of the host's ssh port, timestamped.
  const changes: { up: boolean; at: number }[] = [];
  watcher = await lab.spawnNode(lab.attacker.namespace, WATCH, [host.ipv4, '22', '25']);
  let buffered = '';
  watcher.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line !== '') changes.push(JSON.parse(line));
  });
  const waitFor = async (up: boolean, after: number, timeoutMs = 10_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = changes.find((c) => c.up === up && c.at >= after);
      if (found !== undefined) return found;
      if (Date.now() > deadline) throw new Error(`host never became ${up ? 'reachable' : 'cut'}`);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };
  await waitFor(true, 0);

  // Baseline 1: a no-op command's round trip over the API.
  const pingMs: number[] = [];
  for (let i = 0; i < 20; i += 1) pingMs.push((await t.act(host, { kind: 'ping' })).ms);

  // Baseline 2: the bare `nft -f` of the same table, in a scratch namespace.
  const scratch = `${lab.layout.bridgeNamespace.replace(/bridge$/, '')}scratch`;
  execFileSync('ip', ['netns', 'add', scratch]);
  const table = isolationScript(
    parseIsolationPolicy({
      server: [
        { address: lab.layout.gatewayIpv4, port: 8443 },
        { address: lab.layout.gatewayIpv6, port: 8443 },
      ],
      allow: [],
    }),
  );
  const nftMs: number[] = [];
  for (let i = 0; i < 20; i += 1) {
    const started = performance.now();
    execFileSync('ip', ['netns', 'exec', scratch, 'nft', '-f', '-'], { input: table });
    nftMs.push(performance.now() - started);
    execFileSync('ip', ['netns', 'exec', scratch, 'nft', '-f', '-'], {
      input: removeTableScript('cordon_isolation'),
    });
  }

  // The trials.
  const containMs: number[] = [];
  for (let trial = 0; trial < TRIALS; trial += 1) {
    const source = `203.0.113.${(trial % 250) + 1}`;
    const lines = Array.from(
      { length: 12 },
      (_, i) =>
        `${syslogNow()} ${host.id} sshd[${5000 + i}]: Failed password for root from ${source} port ${40000 + i} ssh2`,
    ).join('\n');
    let t0: number;
    if (fromIngestion) {
      t0 = performance.timeOrigin + performance.now();
      const response = await fetch(`${t.apiUrl}/api/v1/ingest`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ingestToken}`, 'content-type': 'text/plain' },
        body: `${lines}\n`,
      });
      if (!response.ok) throw new Error(`ingest: HTTP ${response.status} ${await response.text()}`);
    } else {
      const incident = await server.services.incidents.create(
        { kind: 'system', name: 'bench' },
        tenantId,
        { title: `brute force from ${source}`, severity: 'high' },
      );
      t0 = performance.timeOrigin + performance.now();
      for (const listener of server.incidentListeners)
        void listener({
          tenantId,
          incident,
          opened: true,
          hosts: [host.id],
          originIps: [source],
          eventIds: [],
        });
    }
    const cut = await waitFor(false, t0, 15_000);
    containMs.push(cut.at - t0);
    // Wait until the agent has reported (the proof after applying), then release.
    const deadline = Date.now() + 15_000;
    for (;;) {
      const actions = await t.api<{ items: { state: string; requestedBy: string }[] }>(
        'GET',
        `/api/v1/tenants/${tenantId}/actions?state=applied`,
      );
      if (actions.body.items.some((a) => a.requestedBy === 'policy:auto-containment')) break;
      if (Date.now() > deadline) throw new Error('the isolation was never reported applied');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const released = performance.timeOrigin + performance.now();
    if ((await t.act(host, { kind: 'release' })).state !== 'applied')
      throw new Error('release failed');
    await waitFor(true, released);
    console.log(`trial ${trial + 1}/${TRIALS}: ${containMs.at(-1)!.toFixed(1)} ms`);
  }

  const contain = summary(containMs);
  const ping = summary(pingMs);
  const nft = summary(nftMs);
  console.log(
    `${fromIngestion ? 'ingestion' : 'incident raised'} → isolation enforced over ${TRIALS} trials: p50 ${contain.p50.toFixed(1)} ms, p99 ${contain.p99.toFixed(1)} ms (target p99 < 1000 ms)`,
  );
  console.log(
    `baselines: no-op command round trip p50 ${ping.p50.toFixed(1)} ms; bare nft -f of the table p50 ${nft.p50.toFixed(1)} ms`,
  );
  console.log(
    JSON.stringify({
      bench: 'contain',
      trials: TRIALS,
      from: fromIngestion
        ? 'event POSTed to /api/v1/ingest'
        : 'incident raised (no live detection)',
      to: "attacker's first failed connection",
      contain_p50_ms: round(contain.p50),
      contain_p99_ms: round(contain.p99),
      contain_max_ms: round(contain.max),
      baseline_noop_command_p50_ms: round(ping.p50),
      baseline_nft_apply_p50_ms: round(nft.p50),
      contain_p50_over_noop_command_ratio: round(contain.p50 / ping.p50),
      contain_p99_under_1000_ms: contain.p99 < 1000,
    }),
  );
} finally {
  watcher?.kill('SIGKILL');
  await t.dispose();
}
