/**
 * The normal tenant of `bench:hostile`, in its own process (at the default priority, like any
 * client of the server): its analyst searches the tenant's 20,000 events and a monitor polls
 * `/healthz`, each in a loop with a 20 ms pause, for as long as a `measure` command says, and
 * answers with every latency seen.
 */
import type { ServerInfo } from './hostile-server-info.ts';
import { serveCommands } from './bench-commands.ts';

export interface MeasureCommand {
  readonly ms: number;
}
export interface NormalSamples {
  readonly search: number[];
  readonly health: number[];
  errors: number;
}

const info = JSON.parse(process.argv[2]!) as ServerInfo;
const PAUSE_MS = 20;
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const searchBody = JSON.stringify({
  query: 'user.name:u7 and event.outcome:failure',
  from: '2026-11-27T00:00:00Z',
  to: '2026-11-28T00:00:00Z',
  limit: 50,
});

async function status(path: string, init: RequestInit): Promise<number> {
  const response = await fetch(`${info.address}${path}`, {
    ...init,
    signal: AbortSignal.timeout(60_000),
  });
  await response.arrayBuffer();
  return response.status;
}

async function measure({ ms }: MeasureCommand): Promise<NormalSamples> {
  const until = Date.now() + ms;
  const samples: NormalSamples = { search: [], health: [], errors: 0 };
  const loop = async (kind: 'search' | 'health'): Promise<void> => {
    while (Date.now() < until) {
      const started = performance.now();
      try {
        const answer =
          kind === 'search'
            ? await status(`/api/v1/tenants/${info.normal.tenantId}/events/search`, {
                method: 'POST',
                headers: {
                  authorization: `Bearer ${info.normal.analyst}`,
                  'content-type': 'application/json',
                },
                body: searchBody,
              })
            : await status('/healthz', {});
        if (answer !== 200) samples.errors++;
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

serveCommands(measure);
