/**
 * The response workflow on the incident page, in Debian's Chromium against a real server with
 * the demo tenant (a replayed attack raised real incidents): identification facts with their
 * sources and an analyst's correction, the server containment options with their figures and a
 * recorded decision, a shipped playbook started and a manual step completed, the timeline
 * filtered by kind, and the incident's metrics. Controls are found by role and label; axe-core
 * checks every screen.
 */
import { defaultServerConfig, setUpDemo } from '@cordon/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, launchBrowser, screenshot, seriousViolations } from './browser.ts';
import type { ConsoleServer } from './console-server.ts';
import { PASSWORD, apiCall, startConsoleServer, system } from './console-server.ts';

const UI_TIMEOUT = 15_000;

if (!chromiumAvailable) {
  console.warn('response e2e skipped: /usr/bin/chromium is absent (apt-get install chromium)');
}

describe.skipIf(!chromiumAvailable)('the response workflow in Chromium', () => {
  let c: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let demoTenant: string;
  let incidentPath: string;
  let demoToken: string;

  const checkScreen = async (name: string): Promise<void> => {
    const found = await seriousViolations(page);
    expect(found, `${name}: ${JSON.stringify(found, null, 1)}`).toEqual([]);
  };
  const openTab = async (name: string) => {
    await page.getByRole('tab', { name }).click();
    await page.getByRole('tab', { name, selected: true }).waitFor();
  };
  /** The tab's content at the top of the viewport: what a person scrolls to. */
  const shootPanel = async (name: string) => {
    await page.getByRole('tablist', { name: 'Incident records' }).evaluate((el) => {
      el.scrollIntoView({ block: 'start' });
      window.scrollBy(0, -70);
    });
    await screenshot(page, name);
  };

  beforeAll(async () => {
    c = await startConsoleServer({
      incidentMinLevel: defaultServerConfig.detection.incidentMinLevel,
    });
    const demo = await setUpDemo(c.server);
    demoTenant = demo.tenantId;
    await c.server.services.access.createUser(system, {
      email: 'lead@mssp.example',
      password: PASSWORD,
      role: 'incident_lead',
      tenantId: demoTenant,
    });
    demoToken = (
      await c.server.services.access.createToken(system, {
        tenantId: demoTenant,
        role: 'incident_lead',
      })
    ).token;
    const incidents = await c.server.services.incidents.list(
      system,
      demoTenant,
      {},
      {
        limit: 50,
        offset: 0,
      },
    );
    const ssh = incidents.items.find((i) => i.title.startsWith('SSH Brute Force'));
    if (!ssh) throw new Error('the demo raised no SSH brute-force incident');
    incidentPath = `/t/${demoTenant}/incidents/${ssh.id}`;
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(UI_TIMEOUT);
    page = await context.newPage();
    await page.goto(`${c.url}/sign-in`);
    await page.getByLabel('Email').fill('lead@mssp.example');
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('table', { name: 'Tenants' }).waitFor();
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) {
      await page.screenshot({
        path: `/tmp/response-e2e-failure-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`,
      });
    }
  });

  afterAll(async () => {
    await browser?.close();
    await c?.dispose();
  });

  it('shows identification facts with names and sources, and records a correction', async () => {
    await page.goto(`${c.url}${incidentPath}?tab=identification`);
    const techniques = page.getByRole('table', { name: 'ATT&CK techniques' });
    const row = techniques.getByRole('row', { name: /T1110\.001/ });
    await row.getByRole('cell', { name: 'Password Guessing' }).waitFor();
    await row.getByText(/ATT&CK catalogue/).waitFor();
    const assets = page.getByRole('table', { name: 'Affected assets' });
    await assets
      .getByRole('row', { name: /lnx-web-01/ })
      .getByText('high')
      .waitFor();
    await assets.getByText(/Order intake \(web shop\): MTD 120 min/).waitFor();
    await assets.getByText(/inventory, matched by hostname/).waitFor();
    const origins = page.getByRole('table', { name: 'Origins' });
    await origins.getByRole('row', { name: /198\.51\.100\.23/ }).waitFor();
    const panel = page.getByRole('tabpanel', { name: 'Identification' });
    await panel.getByText('credential attack', { exact: true }).waitFor();
    await checkScreen('identification');
    await shootPanel('incident-identification');

    await panel.getByLabel('Correct the attack category').click();
    await page.getByRole('option', { name: 'web attack' }).click();
    const dialog = page.getByRole('dialog', { name: 'Set the category to web attack' });
    await dialog.getByLabel('Reason').fill('The brute force targets the shop login page');
    await dialog.getByRole('button', { name: 'Record the correction' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await panel.getByText('web attack', { exact: true }).waitFor();
    await panel.getByText(/corrected by .*The brute force targets the shop login page/).waitFor();
  });

  it('offers the server containment options with their figures and records a decision', async () => {
    await openTab('Containment');
    const options = page.getByRole('table', { name: 'Containment options for lnx-web-01' });
    const isolate = options.getByRole('row', { name: /^isolate\b/ });
    // 18,000 an hour for the shop's order intake over the expected 240 minutes, past its MTD.
    await isolate.getByText(/72,000 over 240 min/).waitFor();
    await isolate.getByText('MTD exceeded').first().waitFor();
    await isolate.getByText(/unavailable: no enrolled agent answers for lnx-web-01/).waitFor();
    await checkScreen('containment-options');
    await page
      .getByRole('heading', { name: 'Server containment options' })
      .scrollIntoViewIfNeeded();
    await shootPanel('incident-containment-options');

    await options.getByRole('button', { name: 'Choose watch for lnx-web-01' }).click();
    const dialog = page.getByRole('dialog', { name: 'Decide: watch for lnx-web-01' });
    await dialog
      .getByLabel('Rationale')
      .fill('No agent on the web server; watch until one is enrolled');
    await dialog.getByRole('button', { name: 'Record the decision' }).click();
    const decisions = page.getByRole('table', { name: 'Containment decisions' });
    await decisions.getByText('lnx-web-01: watch').waitFor();
    await decisions.getByText('No agent on the web server; watch until one is enrolled').waitFor();
  });

  it('starts the shipped playbook suggested for the corrected category and shows its steps', async () => {
    await openTab('Playbook');
    await page.getByText('No playbook run').waitFor();
    const picker = page.getByRole('tabpanel', { name: 'Playbook' }).getByLabel('Playbook', {
      exact: true,
    });
    // The category was corrected to web attack above: the suggestion follows the correction.
    await expect.poll(() => picker.inputValue()).toMatch(/^Web server compromise/);
    await page.getByRole('button', { name: 'Start playbook' }).click();
    const steps = page.getByRole('table', {
      name: 'Steps of Web server compromise',
    });
    // The demo's web server has no agent: the run does what it can and says why it stopped.
    await page.getByLabel(/^Run status: (running|waiting|failed|completed)$/).waitFor();
    await steps
      .getByLabel(/^Step .*: (done|skipped|failed|waiting|running)$/)
      .first()
      .waitFor();
    const rows = await steps.getByRole('row').count();
    expect(rows).toBeGreaterThan(3);
    await checkScreen('playbook');
    // Every state badge shows its whole word (none cut to "SKIP…"), and the last column is
    // inside the page at 1280 px.
    const badges = steps.getByLabel(/^Step .*: [a-z]+$/);
    const clipped = await badges.evaluateAll((elements) =>
      elements
        .filter((badge) =>
          [badge, ...badge.querySelectorAll('*')].some((e) => e.scrollWidth > e.clientWidth + 1),
        )
        .map((badge) => badge.getAttribute('aria-label')),
    );
    expect(await badges.count()).toBeGreaterThan(3);
    expect(clipped).toEqual([]);
    const last = await steps.getByRole('columnheader', { name: 'Do' }).boundingBox();
    expect(last).not.toBeNull();
    expect(last!.x + last!.width).toBeLessThanOrEqual(1280);
    await shootPanel('incident-playbook');
    const waiting = steps.getByRole('button', { name: /^Complete step / });
    if ((await waiting.count()) > 0) {
      const label = (await waiting.first().getAttribute('aria-label')) ?? '';
      await waiting.first().click();
      await steps.getByLabel(`Step ${label.replace(/^Complete step /, '')}: done`).waitFor();
    }
  });

  it('shows the timeline filtered by kind, in the URL', async () => {
    await openTab('Analysis');
    const timeline = page.getByRole('table', { name: 'Timeline' });
    await timeline
      .getByText(/SSH Brute Force Against a Host \(high/)
      .first()
      .waitFor();
    await timeline
      .getByText(/Failed password for root from 198\.51\.100\.23/)
      .first()
      .waitFor();
    await page
      .getByRole('group', { name: 'Timeline kinds' })
      .getByText('alert', { exact: true })
      .click();
    await expect.poll(() => new URL(page.url()).searchParams.get('kinds')).toBe('alert');
    await expect.poll(() => timeline.getByText(/Failed password for root/).count()).toBe(0);
    await timeline
      .getByText(/SSH Brute Force Against a Host \(high/)
      .first()
      .waitFor();
    await page.getByText(/No process events for lnx-web-01/).waitFor();
    await checkScreen('analysis');
    await shootPanel('incident-analysis');
  });

  it('shows eradication, recovery and verification status with the incident metrics', async () => {
    await openTab('Progress and metrics');
    const metrics = page.getByRole('table', { name: 'Incident metrics' });
    const detect = metrics.getByRole('row', { name: /Time to detect/ });
    await expect.poll(() => detect.innerText()).toMatch(/\d+ (s|min|h)/);
    expect(await metrics.getByRole('row', { name: /Time to contain/ }).innerText()).toMatch(/—/);
    await page
      .getByRole('region', { name: 'Recovery' })
      .getByText(/no restore recorded/)
      .waitFor();
    await page
      .getByRole('region', { name: 'Eradication' })
      .getByText(/no eradication tasks recorded/)
      .waitFor();
    await checkScreen('progress');
    await shootPanel('incident-progress');
  });

  it('fits the alert queue in 1280 px, sorts its columns, filters by time and keeps saved views', async () => {
    await page.goto(`${c.url}/t/${demoTenant}/alerts`);
    const table = page.getByRole('table', { name: 'Alerts' });
    await table
      .getByRole('button', { name: /^Open alert / })
      .first()
      .waitFor();
    const status = table.getByRole('columnheader', { name: /Status/ });
    const box = await status.boundingBox();
    expect(box && box.x + box.width).toBeLessThanOrEqual(1280);
    expect(await table.evaluate((t) => t.scrollWidth <= t.parentElement!.clientWidth)).toBe(true);
    const all = await apiCall<{ total: number }>(
      c,
      'GET',
      `/tenants/${demoTenant}/alerts`,
      undefined,
      demoToken,
    );
    expect(all.total).toBeGreaterThan(1);
    await page.getByText(`${all.total} alerts`, { exact: true }).waitFor();

    const RANK = ['informational', 'low', 'medium', 'high', 'critical'];
    const levels = () =>
      table
        .locator('tbody tr[aria-rowindex]')
        .evaluateAll((rows) => rows.map((r) => r.children[1]?.textContent?.trim() ?? ''))
        .then((found) => found.map((l) => RANK.indexOf(l.toLowerCase())));
    await table.getByRole('button', { name: 'Sort by Level' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('level.asc');
    await expect
      .poll(() => table.getByRole('columnheader', { name: /Level/ }).getAttribute('aria-sort'))
      .toBe('ascending');
    const ascending = await levels();
    expect(ascending).toEqual([...ascending].sort((a, b) => a - b));
    await table.getByRole('button', { name: 'Sort by Level' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('level.desc');
    await expect
      .poll(() => table.getByRole('columnheader', { name: /Level/ }).getAttribute('aria-sort'))
      .toBe('descending');
    const descending = await levels();
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    // The demo's alerts are of more than one level, so the two orders differ.
    expect(descending[0]).toBeGreaterThan(ascending[0] ?? 0);

    await page.getByRole('search', { name: 'Alert filters' }).getByLabel('Last seen').click();
    await page.getByRole('option', { name: 'Last hour' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('range')).toBe('1h');
    const from = new Date(Date.now() - 3_600_000).toISOString();
    const recent = await apiCall<{ total: number }>(
      c,
      'GET',
      `/tenants/${demoTenant}/alerts?from=${encodeURIComponent(from)}`,
      undefined,
      demoToken,
    );
    await page
      .getByText(
        recent.total === 0
          ? 'No alerts match'
          : `${recent.total} alert${recent.total === 1 ? '' : 's'}`,
        {
          exact: true,
        },
      )
      .waitFor();
    await checkScreen('alert-queue-demo');

    await page.getByRole('button', { name: 'Saved views' }).click();
    await page.getByRole('menuitem', { name: 'Save this view…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save this view' });
    await dialog.getByLabel('View name').fill('Worst first, last hour');
    await dialog.getByRole('button', { name: 'Save view' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.goto(`${c.url}/t/${demoTenant}/alerts`);
    await page.getByRole('button', { name: 'Saved views' }).click();
    await page.getByRole('menuitem', { name: 'Worst first, last hour' }).click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('level.desc');
    expect(new URL(page.url()).searchParams.get('range')).toBe('1h');
    await page.goto(`${c.url}/t/${demoTenant}/alerts?sort=level.desc`);
    await table
      .getByRole('button', { name: /^Open alert / })
      .first()
      .waitFor();
    await screenshot(page, 'alert-queue-sorted');
  });
});
