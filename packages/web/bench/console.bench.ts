/**
 * `npm run bench:console`: how long the console's first screens take in a real browser at
 * 10,000 incidents and 100,000 alerts (and 200,000 events), against the bare API time of the
 * same requests, measured in the same run.
 *
 * Debian's Chromium (playwright-core, headless) signs in once, then loads the MSSP overview,
 * the alert queue (open alerts) and an incident page N times each, each a fresh navigation
 * (a new document; the HTTP cache keeps the hashed bundle, as for an analyst who comes back).
 * A screen counts as ready at the first frame after its main content is in the document —
 * the named heading and the first table row or key figure — once the main thread is free
 * again (a macrotask after that frame), in the page's own clock from navigation start.
 * After each load, role-based locators check that it is the screen meant (not sign-in or an
 * error state). The API requests the page made during that load (the live stream aside) are
 * then sent bare over HTTP, one after another with the session's cookie — the API's share
 * of the screen. Rounds interleave browser and bare API so that the machine's noise hits
 * both. Prints a table, the last load's waterfall per screen, and one JSON line.
 */
import type { Page } from 'playwright-core';
import { loadavg } from 'node:os';
import { consoleData } from '@cordon/server/bench/console-data';
import { ascending, quantile, timeRequest } from '@cordon/server/bench/console-timing';
import { ensureConsoleBuilt } from '../scripts/console-build.ts';
import { chromiumAvailable, launchBrowser } from '../test/browser.ts';

const ROUNDS = Number(process.env['CORDON_BENCH_ROUNDS'] ?? 20);
const WARMUP = 3;
const SIZE = {
  incidents: 10_000,
  alerts: 100_000,
  events: Number(process.env['CORDON_BENCH_EVENTS'] ?? 200_000),
};
const TARGET_P95_MS = 1_000;
const TARGET_RATIO = 3;

/** What the page's own observer waits for: an h1 whose text matches, and a content element. */
interface ReadySpec {
  readonly path: string;
  readonly heading: string;
  readonly content: string;
}

interface Screen {
  readonly name: string;
  readonly url: string;
  readonly ready: ReadySpec;
  /** Role-based check, after the load, that the screen shown is the one meant. */
  check(page: Page): Promise<void>;
}

/**
 * Runs in the page at document start (every navigation): records, in the page's clock
 * (milliseconds since navigation start), when the screen's content first appears and when
 * the frame after it has been produced and the main thread is free.
 */
function watchReady(specs: readonly ReadySpec[]): void {
  const marks = { contentMs: -1, readyMs: -1 };
  (window as unknown as { benchReady: typeof marks }).benchReady = marks;
  const spec = specs.find((s) => location.pathname === s.path);
  if (spec === undefined) return;
  const heading = new RegExp(spec.heading);
  const observer = new MutationObserver(() => {
    if (marks.contentMs >= 0) return;
    const named = [...document.querySelectorAll('h1')].some((h) =>
      heading.test(h.textContent ?? ''),
    );
    if (!named || document.querySelector(spec.content) === null) return;
    marks.contentMs = performance.now();
    observer.disconnect();
    requestAnimationFrame(() =>
      setTimeout(() => {
        marks.readyMs = performance.now();
      }, 0),
    );
  });
  observer.observe(document, { childList: true, subtree: true, characterData: true });
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

async function visible(page: Page, locator: ReturnType<Page['getByRole']>, what: string) {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: 10_000 });
  } catch (error) {
    throw new Error(`${what} not visible at ${page.url()}`, { cause: error });
  }
}

interface Load {
  readonly readyMs: number;
  readonly apiPaths: readonly string[];
}

async function loadScreen(page: Page, base: string, screen: Screen): Promise<Load> {
  const apiPaths: string[] = [];
  const onRequest = (request: { url(): string }) => {
    const url = new URL(request.url());
    if (url.pathname.startsWith('/api/v1/') && !url.pathname.endsWith('/live'))
      apiPaths.push(url.pathname + url.search);
  };
  page.on('request', onRequest);
  try {
    await page.goto(`${base}${screen.url}`, { waitUntil: 'commit' });
    await page.waitForFunction(
      () => (window as unknown as { benchReady?: { readyMs: number } }).benchReady!.readyMs >= 0,
      undefined,
      { timeout: 30_000, polling: 50 },
    );
    const readyMs = await page.evaluate(
      () => (window as unknown as { benchReady: { readyMs: number } }).benchReady.readyMs,
    );
    await screen.check(page);
    return { readyMs, apiPaths };
  } finally {
    page.off('request', onRequest);
  }
}

/** The page's resource timings of its last load: the bundle and the API, in start order. */
async function waterfall(page: Page): Promise<string[]> {
  return page.evaluate(() =>
    performance
      .getEntriesByType('resource')
      .map((e) => e as PerformanceResourceTiming)
      .filter((e) => !e.name.endsWith('/live'))
      .sort((a, b) => a.startTime - b.startTime)
      .map((e) => {
        const url = new URL(e.name);
        const name = (url.pathname + url.search).slice(0, 70);
        return `${e.startTime.toFixed(0).padStart(6)} → ${e.responseEnd.toFixed(0).padStart(6)} ms  ${name}`;
      }),
  );
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: {
    readonly functionName: string;
    readonly url: string;
    readonly lineNumber: number;
    readonly columnNumber: number;
  };
}

/**
 * With `CORDON_BENCH_PROFILE=1`: one more load of the screen under the CPU profiler, and the
 * functions that took the most time of their own (where the time after the data went).
 */
async function profileLoad(page: Page, base: string, screen: Screen): Promise<string[]> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  await loadScreen(page, base, screen);
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as {
    profile: {
      nodes: ProfileNode[];
      samples: number[];
      timeDeltas: number[];
    };
  };
  await cdp.detach();
  const byNode = new Map(profile.nodes.map((n) => [n.id, n]));
  const self = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const frame = byNode.get(id)!.callFrame;
    const file = frame.url.split('/').pop() ?? '';
    const key = `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}:${frame.columnNumber + 1}`;
    self.set(key, (self.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 15)
    .map(([key, ms]) => `${ms.toFixed(1).padStart(7)} ms  ${key}`);
}

async function main(): Promise<void> {
  if (!chromiumAvailable) {
    console.log(
      'bench:console needs Debian’s Chromium at /usr/bin/chromium (apt-get install chromium)',
    );
    process.exitCode = 1;
    return;
  }
  const startLoad = loadavg();
  await ensureConsoleBuilt();
  const filling = performance.now();
  const data = await consoleData(SIZE);
  const base = await data.server.app.listen({ host: '127.0.0.1', port: 0 });
  console.log(
    `${SIZE.incidents} incidents, ${SIZE.alerts} alerts, ${SIZE.events} events filled in ${((performance.now() - filling) / 1000).toFixed(1)} s`,
  );
  const browser = await launchBrowser();
  try {
    const incident = (await (
      await fetch(`${base}/api/v1/tenants/${data.tenantId}/incidents/${data.incidentId}`, {
        headers: { authorization: `Bearer ${data.token}` },
      })
    ).json()) as { reference: string; phase: string };
    if (incident.phase === 'closed') throw new Error('the bench incident must be open');
    const t = data.tenantId;
    const screens: Screen[] = [
      {
        name: 'overview',
        url: '/overview',
        ready: {
          path: '/overview',
          heading: '^Overview$',
          content: 'table[aria-label="Tenants"] tbody tr',
        },
        check: async (page) => {
          await visible(page, page.getByRole('heading', { level: 1, name: 'Overview' }), 'heading');
          await visible(page, page.getByRole('row', { name: /Bench tenant/ }), 'tenant row');
        },
      },
      {
        name: 'alert_queue',
        url: `/t/${t}/alerts?status=open`,
        ready: {
          path: `/t/${t}/alerts`,
          heading: '^Alert queue$',
          content: 'table[aria-label="Alerts"] tbody tr:not([aria-hidden]) input[type="checkbox"]',
        },
        check: async (page) => {
          await visible(
            page,
            page.getByRole('heading', { level: 1, name: 'Alert queue' }),
            'heading',
          );
          await visible(page, page.getByRole('checkbox', { name: /^Select alert / }), 'alert row');
        },
      },
      {
        name: 'incident_page',
        url: `/t/${t}/incidents/${data.incidentId}`,
        ready: {
          path: `/t/${t}/incidents/${data.incidentId}`,
          heading: `^${escapeRegExp(incident.reference)} · `,
          content: '[role="region"][aria-label="Next phase"]',
        },
        check: async (page) => {
          await visible(
            page,
            page.getByRole('heading', {
              level: 1,
              name: new RegExp(`^${escapeRegExp(incident.reference)} · `),
            }),
            'heading',
          );
          await visible(page, page.getByRole('region', { name: 'Next phase' }), 'next phase');
          await visible(page, page.getByRole('tab', { name: 'Summary and facts' }), 'tabs');
        },
      },
    ];
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    await context.addInitScript(
      watchReady,
      screens.map((s) => s.ready),
    );
    const page = await context.newPage();
    await page.goto(`${base}/sign-in`);
    await page.getByRole('textbox', { name: 'Email' }).fill(data.analyst.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(data.analyst.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor({ timeout: 30_000 });
    const cookie = (await context.cookies(base)).map((c) => `${c.name}=${c.value}`).join('; ');
    const headers = { cookie };

    const samples = new Map(
      screens.map((s) => [s.name, { browser: [] as number[], api: [] as number[] }]),
    );
    const requests = new Map<string, readonly string[]>();
    const bare = async (paths: readonly string[]): Promise<number> => {
      let total = 0;
      for (const path of paths) total += await timeRequest({ base, path, headers });
      return total;
    };
    for (let round = -WARMUP; round < ROUNDS; round++) {
      for (const screen of screens) {
        const load = await loadScreen(page, base, screen);
        if (load.apiPaths.length === 0) throw new Error(`${screen.name}: no API request seen`);
        requests.set(screen.name, load.apiPaths);
        const apiMs = await bare(load.apiPaths);
        if (round < 0) continue;
        samples.get(screen.name)!.browser.push(load.readyMs);
        samples.get(screen.name)!.api.push(apiMs);
      }
    }
    const waterfalls = new Map<string, string[]>();
    for (const screen of screens) {
      await loadScreen(page, base, screen);
      waterfalls.set(screen.name, await waterfall(page));
    }
    if (process.env['CORDON_BENCH_PROFILE'] === '1') {
      for (const screen of screens) {
        console.log(`\n${screen.name}: CPU self time of one more load (top 15)`);
        for (const line of await profileLoad(page, base, screen)) console.log(`  ${line}`);
      }
    }
    await context.close();

    const endLoad = loadavg();
    const result: Record<string, number | string | boolean> = {};
    console.log(
      `\n${ROUNDS} loads per screen (after ${WARMUP} warm-up rounds); load average ${startLoad[0]!.toFixed(1)} at start, ${endLoad[0]!.toFixed(1)} at end`,
    );
    console.log(
      'screen          browser p50 / p95 ms   bare API p50 / p95 ms   ratio p50 / p95   requests',
    );
    let met = true;
    for (const screen of screens) {
      const s = samples.get(screen.name)!;
      const b = ascending(s.browser);
      const a = ascending(s.api);
      const r = {
        p50_ms: quantile(b, 0.5),
        p95_ms: quantile(b, 0.95),
        api_p50_ms: quantile(a, 0.5),
        api_p95_ms: quantile(a, 0.95),
      };
      const ratio50 = r.p50_ms / r.api_p50_ms;
      const ratio95 = r.p95_ms / r.api_p95_ms;
      const screenMet = r.p95_ms <= TARGET_P95_MS && ratio95 <= TARGET_RATIO;
      met &&= screenMet;
      console.log(
        `${screen.name.padEnd(15)} ${r.p50_ms.toFixed(1).padStart(8)} / ${r.p95_ms.toFixed(1).padStart(7)}     ${r.api_p50_ms.toFixed(1).padStart(8)} / ${r.api_p95_ms.toFixed(1).padStart(7)}    ${ratio50.toFixed(1).padStart(6)} / ${ratio95.toFixed(1).padStart(5)}    ${requests.get(screen.name)!.length}${screenMet ? '' : '  (target missed)'}`,
      );
      for (const [key, value] of Object.entries(r))
        result[`${screen.name}_${key}`] = Math.round(value * 10) / 10;
      result[`${screen.name}_ratio_p50`] = Math.round(ratio50 * 100) / 100;
      result[`${screen.name}_ratio_p95`] = Math.round(ratio95 * 100) / 100;
      result[`${screen.name}_api_requests`] = requests.get(screen.name)!.length;
    }
    for (const screen of screens) {
      console.log(`\n${screen.name}: API requests ${requests.get(screen.name)!.join(', ')}`);
      console.log(
        `${screen.name}: waterfall of the last load (start → end, ms since navigation start)`,
      );
      for (const line of waterfalls.get(screen.name)!) console.log(`  ${line}`);
    }
    console.log(
      JSON.stringify({
        bench: 'console',
        incidents: SIZE.incidents,
        alerts: SIZE.alerts,
        events: SIZE.events,
        loads_per_screen: ROUNDS,
        target_p95_ms: TARGET_P95_MS,
        target_ratio: TARGET_RATIO,
        load_average_start: Math.round(startLoad[0]! * 10) / 10,
        load_average_end: Math.round(endLoad[0]! * 10) / 10,
        ...result,
        target_met: met,
      }),
    );
  } finally {
    await browser.close();
    await data.dispose();
  }
}

await main();
