/**
 * The console end to end, in Debian's Chromium against a real server on loopback: sign in,
 * triage an alert into an incident, walk the incident through phases (a guard refusing, an
 * override with a justification), approve a held containment action and watch its state
 * change arrive live, and a client viewer who sees one tenant and no write control. Controls
 * are found by role and label, as a person would; axe-core checks every screen visited.
 */
import { sql } from 'kysely';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AxeFinding } from './browser.ts';
import { chromiumAvailable, launchBrowser, screenshot, seriousViolations } from './browser.ts';
import type { ConsoleServer } from './console-server.ts';
import {
  ALERT_RULE_ID,
  ALERT_RULE_TITLE,
  PASSWORD,
  apiCall,
  enrolAgent,
  raiseAlert,
  startConsoleServer,
  waitUntil,
} from './console-server.ts';

const HOST = 'ws-finance-07';
const UI_TIMEOUT = 15_000;

if (!chromiumAvailable) {
  console.warn('console e2e skipped: /usr/bin/chromium is absent (apt-get install chromium)');
}

describe.skipIf(!chromiumAvailable)('the console in Chromium', () => {
  let c: ConsoleServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let agentId: string;
  let incidentUrl: string;
  const axe: Record<string, AxeFinding[]> = {};

  const checkScreen = async (name: string): Promise<void> => {
    axe[name] = await seriousViolations(page);
    expect(axe[name], `${name}: ${JSON.stringify(axe[name], null, 1)}`).toEqual([]);
  };

  beforeAll(async () => {
    c = await startConsoleServer();
    await raiseAlert(c, HOST);
    await waitUntil(
      async () =>
        (await apiCall<{ total: number }>(c, 'GET', `/tenants/${c.tenantId}/alerts?status=open`))
          .total === 1,
      'detection to raise the alert',
    );
    agentId = await enrolAgent(c, HOST);
    browser = await launchBrowser();
    context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(UI_TIMEOUT);
    page = await context.newPage();
  }, 120_000);

  // A failed step leaves a picture of what the browser showed (not committed: /tmp).
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) {
      await page.screenshot({
        path: `/tmp/console-e2e-failure-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`,
      });
    }
  });

  afterAll(async () => {
    await browser?.close();
    await c?.dispose();
  });

  it('serves the console with its CSP, and refuses a wrong password with the reason', async () => {
    const response = await page.goto(`${c.url}/t/${c.tenantId}/alerts?status=open`);
    expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'/);
    // Not signed in: the console sends us to sign-in, remembering where we were going.
    await page.getByRole('heading', { name: 'Sign in to Cordon' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next')).toBe(
      `/t/${c.tenantId}/alerts?status=open`,
    );
    await page.getByLabel('Email').fill('lead@mssp.example');
    await page.getByRole('textbox', { name: 'Password' }).fill('not the password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'wrong email or password' }).waitFor();
    await checkScreen('sign-in');
    await screenshot(page, 'sign-in');
  });

  it('signs in and lands on the alert queue it was sent away from', async () => {
    await page.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Alert queue' }).waitFor();
    await page.getByRole('button', { name: `Open alert ${ALERT_RULE_TITLE}` }).waitFor();
    expect(
      await page.getByRole('button', { name: /Signed in as lead@mssp.example/ }).isVisible(),
    ).toBe(true);
  });

  it('shows every tenant the user may see on the overview', async () => {
    await page.getByRole('link', { name: 'Overview' }).click();
    const table = page.getByRole('table', { name: 'Tenants' });
    await table.getByRole('rowheader', { name: /Acme Manufacturing/ }).waitFor();
    await table.getByRole('rowheader', { name: /Borealis Logistics/ }).waitFor();
    await page
      .getByRole('link', { name: '1 alert awaiting triage at Acme Manufacturing' })
      .waitFor();
    await checkScreen('overview');
    await screenshot(page, 'overview');
  });

  it('opens an alert with its fields, rule and events', async () => {
    await page.getByRole('link', { name: '1 alert awaiting triage at Acme Manufacturing' }).click();
    await page.getByRole('heading', { name: 'Alert queue' }).waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('open');
    await page.getByRole('button', { name: `Open alert ${ALERT_RULE_TITLE}` }).click();
    const drawer = page.getByRole('dialog', { name: 'Alert' });
    await drawer.getByText(ALERT_RULE_ID).waitFor();
    await drawer
      .getByText(/Accepted password for alice/)
      .first()
      .waitFor();
    await checkScreen('alert-detail');
    await screenshot(page, 'alert-detail');
    await page.keyboard.press('Escape');
    await drawer.waitFor({ state: 'hidden' });
    await checkScreen('alert-queue');
    await screenshot(page, 'alert-queue');
  });

  it('triages the alert into a new incident', async () => {
    await page
      .getByRole('checkbox', { name: `Select alert ${ALERT_RULE_TITLE} on ${HOST}` })
      .check();
    await page.getByRole('button', { name: 'Attach to incident…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Attach 1 alert to an incident' });
    expect(await dialog.getByLabel('Title').inputValue()).toBe(`${ALERT_RULE_TITLE} on ${HOST}`);
    await dialog.getByRole('button', { name: 'Create incident and attach' }).click();
    await page.getByRole('heading', { name: `INC-1 · ${ALERT_RULE_TITLE}` }).waitFor();
    incidentUrl = page.url();
    const alerts = await apiCall<{ items: { status: string }[] }>(
      c,
      'GET',
      `/tenants/${c.tenantId}/alerts`,
    );
    expect(alerts.items.map((a) => a.status)).toEqual(['acknowledged']);
  });

  it('shows what the guard needs, refuses the move, and moves once the facts are recorded', async () => {
    const next = page.getByRole('region', { name: 'Next phase' });
    // Identification filled itself in from the alert (host, ATT&CK tag, source address).
    await next.getByText(/Everything Identified needs is recorded/).waitFor();
    await checkScreen('incident');
    await screenshot(page, 'incident');
    await next.getByRole('button', { name: 'Move to Identified' }).click();
    await next.getByText('Next: Contained').waitFor();
    await next.getByText('no containment record (what was contained, or why not)').waitFor();
    await next.getByRole('button', { name: 'Move to Contained' }).click();
    await page.getByRole('alert').filter({ hasText: 'The move was refused' }).waitFor();

    await page
      .getByLabel('Containment record')
      .fill(`Isolated ${HOST}; the account of alice is disabled.`);
    await page.getByRole('button', { name: 'Save facts' }).click();
    await next.getByText(/Everything Contained needs is recorded/).waitFor();
    await next.getByRole('button', { name: 'Move to Contained' }).click();
    await next.getByText('Next: Analysed').waitFor();
    await next.getByText('no root cause recorded').waitFor();
  });

  it('lets the incident lead override a guard with a written justification', async () => {
    const next = page.getByRole('region', { name: 'Next phase' });
    await next.getByRole('button', { name: 'Override guard…' }).click();
    const dialog = page.getByRole('dialog', { name: /without what the guard needs/ });
    await dialog
      .getByLabel('Justification')
      .fill('Root cause is known from the client; the write-up follows.');
    await checkScreen('override-dialog');
    await dialog.getByRole('button', { name: 'Override and move' }).click();
    await next.getByText('Next: Eradicated').waitFor();
    await page.getByRole('tab', { name: 'Journal' }).click();
    await page
      .getByRole('table', { name: 'Journal entries' })
      .getByText('incident.phase_overridden')
      .waitFor();
    // Signed by the server every few seconds: either state may show first.
    await page
      .getByRole('status')
      .filter({ hasText: /Chain verified to checkpoint|Entries not yet covered by a checkpoint/ })
      .waitFor();
    const checkpoint = await c.server.services.journal.checkpoint(c.tenantId);
    await page.reload();
    await page.getByRole('tab', { name: 'Journal', selected: true }).waitFor();
    const verified = page
      .getByRole('status')
      .filter({ hasText: /Chain verified to checkpoint \d+ at / });
    await verified.waitFor();
    if (checkpoint) expect(await verified.textContent()).toContain(`at entry ${checkpoint.seq}`);
    await checkScreen('journal');
    await screenshot(page, 'incident-journal');
  });

  it('shows a held containment action live, approves it, and follows its state as the server moves it', async () => {
    await page.getByRole('tab', { name: 'Containment' }).click();
    await page.getByText('No containment actions').waitFor();
    const incidentId = new URL(incidentUrl).pathname.split('/').pop()!;
    // Auto-containment holds the isolation of the host for a lead (server side, no reload here).
    const held = await c.server.containment.queue.request({
      tenantId: c.tenantId,
      agentId,
      action: { kind: 'isolate' },
      requestedBy: 'policy:auto-containment',
      requiresApproval: true,
      incidentId,
    });
    const table = page.getByRole('table', { name: 'Containment actions' });
    await table.getByLabel('State: requested').waitFor();
    await checkScreen('containment');
    await screenshot(page, 'containment');
    await table.getByRole('button', { name: 'Approve isolate' }).click();
    await table.getByLabel('State: approved').waitFor();
    // The agent's side of the story, as the gateway records it: the page follows without reload.
    await c.server.containment.queue.transition(c.tenantId, held.id, 'sent', 'gateway');
    await table.getByLabel('State: sent').waitFor();
    await c.server.containment.queue.transition(
      c.tenantId,
      held.id,
      'applied',
      `agent:${agentId}`,
      {
        detail: 'isolated; server reachable, forbidden target unreachable',
      },
    );
    await table.getByLabel('State: applied').waitFor();
    await table.getByText('isolated; server reachable, forbidden target unreachable').waitFor();
  });

  it('lists incidents with filters in the URL', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Incidents' })
      .click();
    const table = page.getByRole('table', { name: 'Incidents' });
    await table.getByRole('link', { name: 'INC-1' }).waitFor();
    await page.goto(`${c.url}/t/${c.tenantId}/incidents?phase=closed`);
    await page.getByText('No incidents match').waitFor();
    await page.goto(`${c.url}/t/${c.tenantId}/incidents?phase=analysed`);
    await page
      .getByRole('table', { name: 'Incidents' })
      .getByRole('link', { name: 'INC-1' })
      .waitFor();
    await checkScreen('incidents');
    await screenshot(page, 'incidents');
  });

  it('backs off and says live updates are degraded while the stream cap refuses it, then recovers', async () => {
    // Fill the lead's share of live streams (4 per caller) from outside the page, with the
    // page's own session, until the server refuses one.
    const cookie = (await context.cookies(c.url)).map((k) => `${k.name}=${k.value}`).join('; ');
    const held: AbortController[] = [];
    const live = `${c.url}/api/v1/tenants/${c.tenantId}/live`;
    let refused = false;
    for (let i = 0; i < 5 && !refused; i++) {
      const abort = new AbortController();
      const response = await fetch(live, { headers: { cookie }, signal: abort.signal });
      if (response.status === 429) {
        refused = true;
        await response.body?.cancel();
      } else {
        expect(response.status).toBe(200);
        held.push(abort);
      }
    }
    expect(refused).toBe(true);
    const p = await context.newPage();
    const attempts: number[] = [];
    p.on('request', (request) => {
      if (new URL(request.url()).pathname.endsWith('/live')) attempts.push(Date.now());
    });
    try {
      await p.goto(`${c.url}/t/${c.tenantId}/incidents`);
      const indicator = p.getByRole('status').filter({ hasText: 'Live updates degraded' });
      await indicator.waitFor();
      await checkScreen('live-degraded');
      // Watched for 7 s: the first attempt and at most one retry (the first wait is 3–5 s).
      const since = attempts[0] ?? Date.now();
      await new Promise((r) => setTimeout(r, 7_000));
      const inWindow = attempts.filter((at) => at - since <= 7_000);
      expect(inWindow.length).toBeGreaterThanOrEqual(1);
      expect(inWindow.length).toBeLessThanOrEqual(2);
      expect(await indicator.isVisible()).toBe(true);
      for (const abort of held) abort.abort();
      held.length = 0;
      await p
        .getByRole('status')
        .filter({ hasText: /^Live$/ })
        .waitFor({ timeout: 30_000 });
    } finally {
      for (const abort of held) abort.abort();
      await p.close();
    }
  }, 60_000);

  it('shows a client viewer one tenant and no write control', async () => {
    const viewer = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    viewer.setDefaultTimeout(UI_TIMEOUT);
    const p = await viewer.newPage();
    await p.goto(`${c.url}/sign-in`);
    await p.getByLabel('Email').fill('viewer@acme.example');
    await p.getByRole('textbox', { name: 'Password' }).fill(PASSWORD);
    await p.getByRole('button', { name: 'Sign in' }).click();
    const table = p.getByRole('table', { name: 'Tenants' });
    await table.getByRole('rowheader', { name: /Acme Manufacturing/ }).waitFor();
    expect(await table.getByRole('rowheader').count()).toBe(1);
    await p.goto(incidentUrl);
    await p.getByRole('heading', { name: /INC-1/ }).waitFor();
    await p.getByText('Next: Eradicated').waitFor();
    expect(await p.getByRole('button', { name: /Move to/ }).count()).toBe(0);
    expect(await p.getByRole('button', { name: 'Save facts' }).count()).toBe(0);
    await p.goto(`${c.url}/t/${c.tenantId}/alerts`);
    await p.getByRole('button', { name: `Open alert ${ALERT_RULE_TITLE}` }).waitFor();
    expect(await p.getByRole('toolbar', { name: 'Bulk triage' }).count()).toBe(0);
    await p.goto(`${c.url}/t/${c.otherTenantId}/incidents`);
    await p.getByRole('alert').filter({ hasText: 'no access to this tenant' }).waitFor();

    // The viewer reads the journal and its chain status; a changed entry shows as a break.
    await p.goto(`${incidentUrl}?tab=journal`);
    await p.getByRole('table', { name: 'Journal entries' }).getByText('incident.created').waitFor();
    const incidentId = new URL(incidentUrl).pathname.split('/').pop()!;
    const [first] = await c.server.services.journal.list(
      { kind: 'system', name: 'test' },
      c.tenantId,
      { incidentId },
      1,
    );
    await sql`UPDATE journal_entries SET actor = ${'someone else'} WHERE tenant_id = ${c.tenantId} AND seq = ${first!.seq}`.execute(
      c.server.store.database.kysely,
    );
    await p.reload();
    await p
      .getByRole('alert')
      .filter({ hasText: `BROKEN at entry ${first!.seq}` })
      .filter({ hasText: 'altered' })
      .waitFor();
    axe['journal-broken'] = await seriousViolations(p);
    expect(axe['journal-broken']).toEqual([]);
    await screenshot(p, 'incident-journal-broken');
    await viewer.close();
  });
});
