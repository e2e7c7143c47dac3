/**
 * `npm run bench:console-api`: the API requests behind the console's first screens — the
 * tenant overview, the MSSP overview, the alert queue's first page (open alerts), the incident
 * list's first page and an incident — over real HTTP on loopback, p50/p95, at 10,000
 * incidents / 100,000 alerts / 200,000 events against the same at 100 / 1,000 / 2,000 in the
 * same run. The ratio large/small shows whether a request grows with the store (1 = not at
 * all). Rounds alternate between the two stores so that machine noise hits both alike.
 * Ends with one JSON line.
 */
import { consoleData } from './console-data.ts';
import type { ConsoleData } from './console-data.ts';
import { ascending, quantile, timeRequest } from './console-timing.ts';

const ROUNDS = Number(process.env['CORDON_BENCH_ROUNDS'] ?? 8);
const PER_ROUND = Number(process.env['CORDON_BENCH_REQUESTS'] ?? 25);
const LARGE = { incidents: 10_000, alerts: 100_000, events: 200_000 };
const SMALL = { incidents: 100, alerts: 1_000, events: 2_000 };

interface Target {
  readonly data: ConsoleData;
  readonly base: string;
}

const requests = (t: Target): Record<string, string> => ({
  overview: `/api/v1/tenants/${t.data.tenantId}/overview`,
  mssp_overview: '/api/v1/overview',
  alert_queue: `/api/v1/tenants/${t.data.tenantId}/alerts?status=open&limit=50`,
  incident_list: `/api/v1/tenants/${t.data.tenantId}/incidents?limit=50`,
  incident_page: `/api/v1/tenants/${t.data.tenantId}/incidents/${t.data.incidentId}`,
});

const timeOnce = (t: Target, path: string): Promise<number> =>
  timeRequest({ base: t.base, path, headers: { authorization: `Bearer ${t.data.token}` } });

async function main(): Promise<void> {
  const fill = async (size: typeof LARGE, label: string): Promise<Target> => {
    const started = performance.now();
    const data = await consoleData(size);
    const base = await data.server.app.listen({ host: '127.0.0.1', port: 0 });
    console.log(
      `${label}: ${size.incidents} incidents, ${size.alerts} alerts, ${size.events} events filled in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    return { data, base };
  };
  const small = await fill(SMALL, 'small');
  const large = await fill(LARGE, 'large');
  try {
    const names = Object.keys(requests(small));
    const samples: Record<string, { small: number[]; large: number[] }> = {};
    for (const name of names) samples[name] = { small: [], large: [] };
    // Warm-up: caches, JIT, connection.
    for (const t of [small, large])
      for (const path of Object.values(requests(t)))
        for (let i = 0; i < 5; i++) await timeOnce(t, path);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [label, t] of [
        ['small', small],
        ['large', large],
      ] as const) {
        const paths = requests(t);
        for (let i = 0; i < PER_ROUND; i++)
          for (const name of names) samples[name]![label].push(await timeOnce(t, paths[name]!));
      }
    }
    const result: Record<string, number> = {};
    console.log('request          small p50/p95 ms   large p50/p95 ms   ratio p50/p95');
    for (const name of names) {
      const s = ascending(samples[name]!.small);
      const l = ascending(samples[name]!.large);
      const r = {
        small_p50_ms: quantile(s, 0.5),
        small_p95_ms: quantile(s, 0.95),
        large_p50_ms: quantile(l, 0.5),
        large_p95_ms: quantile(l, 0.95),
      };
      const ratio50 = r.large_p50_ms / r.small_p50_ms;
      const ratio95 = r.large_p95_ms / r.small_p95_ms;
      console.log(
        `${name.padEnd(16)} ${r.small_p50_ms.toFixed(2).padStart(6)} / ${r.small_p95_ms.toFixed(2).padStart(6)}    ${r.large_p50_ms.toFixed(2).padStart(6)} / ${r.large_p95_ms.toFixed(2).padStart(6)}    ${ratio50.toFixed(2)} / ${ratio95.toFixed(2)}`,
      );
      for (const [key, value] of Object.entries(r))
        result[`${name}_${key}`] = Math.round(value * 100) / 100;
      result[`${name}_ratio_p50`] = Math.round(ratio50 * 100) / 100;
      result[`${name}_ratio_p95`] = Math.round(ratio95 * 100) / 100;
    }
    console.log(
      JSON.stringify({
        bench: 'console-api',
        large_incidents: LARGE.incidents,
        large_alerts: LARGE.alerts,
        large_events: LARGE.events,
        samples_per_request: ROUNDS * PER_ROUND,
        ...result,
      }),
    );
  } finally {
    await small.data.dispose();
    await large.data.dispose();
  }
}

await main();
