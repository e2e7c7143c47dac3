/**
 * The preparation screen in Chromium against a real server: the readiness gaps of a tenant
 * with nothing documented, an asset inventory checked by a dry run (a bad row refused with its
 * line and reason, nothing changed) and then imported, the documentation check moving with it,
 * a snapshot recorded into the history, and a client viewer who reads the gaps but gets no
 * import and no snapshot control.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chromiumAvailable,
  launchBrowser,
  screenshot,
  seriousViolations,
  signedInPage,
} from './browser.ts';
import type { ConsoleServer } from './console-server.ts';
import { apiCall, startConsoleServer } from './console-server.ts';

const INVENTORY = [
  'name,kind,addresses,criticality,owner,segment',
  'erp-db-01,server,10.20.0.11,critical,finance-it,',
  'ws-finance-07,workstation,10.20.1.7,medium,j.meyer,',
  'bad row,server,10.20.0.99,critical,,',
].join('\n');

if (!chromiumAvailable) {
  console.warn('preparation e2e skipped: /usr/bin/chromium is absent (apt-get install chromium)');
}

describe.skipIf(!chromiumAvailable)('the preparation screen in Chromium', () => {
  let c: ConsoleServer;
  let browser: Browser;

  beforeAll(async () => {
    c = await startConsoleServer();
    browser = await launchBrowser();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await c?.dispose();
  });

  it('reads the gaps, imports an inventory after a dry run, and records a snapshot', async () => {
    const page = await signedInPage(browser, c.url, 'lead@mssp.example');
    await page.goto(`${c.url}/t/${c.tenantId}/incidents`);
    await page.getByRole('link', { name: 'Preparation' }).click();
    await page.getByRole('heading', { name: 'Preparation' }).waitFor();
    const gaps = page.getByRole('table', { name: 'Readiness gaps' });
    await gaps
      .getByRole('row')
      .filter({ hasText: 'Hosts documented' })
      .getByText('0 assets documented')
      .waitFor();
    const before = await apiCall<{ score: number; gaps: { id: string }[] }>(
      c,
      'GET',
      `/tenants/${c.tenantId}/readiness`,
    );
    expect(await gaps.getByRole('row').count()).toBe(before.gaps.length + 1);
    expect(
      await page.getByRole('heading', { name: new RegExp(`^${before.gaps.length} gaps`) }).count(),
    ).toBe(1);

    await page.getByRole('textbox', { name: 'Inventory' }).fill(INVENTORY);
    await page.getByRole('button', { name: 'Check (dry run)' }).click();
    const dry = page
      .getByRole('status')
      .filter({ hasText: 'Dry run: 3 rows read, nothing changed' });
    await dry.waitFor();
    await dry.getByText('Would create 2').waitFor();
    const refused = page.getByRole('list', { name: 'Refused rows' });
    await refused.getByText(/^line 4: /).waitFor();
    const assets = () =>
      apiCall<unknown[] | { items: unknown[] }>(c, 'GET', `/tenants/${c.tenantId}/assets`);
    const count = async () => {
      const listed = await assets();
      return Array.isArray(listed) ? listed.length : listed.items.length;
    };
    expect(await count()).toBe(0);
    await page.screenshot({ path: '/tmp/preparation-dry-run.png' });

    await page.getByRole('button', { name: 'Import', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Imported: 2 assets changed' }).waitFor();
    expect(await count()).toBe(2);

    await page.getByRole('button', { name: 'Record a snapshot' }).click();
    const history = page.getByRole('table', { name: 'Readiness history' });
    await history.getByRole('row').nth(1).waitFor();
    // The inventory moved the documentation check: what it measured is shown anew.
    await gaps
      .getByRole('row')
      .filter({ hasText: 'Hosts documented' })
      .getByText('no hosts seen in telemetry')
      .waitFor();
    await page
      .getByRole('table', { name: 'Readiness checks' })
      .getByRole('rowheader', { name: 'Hosts documented' })
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'preparation');
    await page.context().close();
  });

  it('shows a client viewer the gaps and no control that changes anything', async () => {
    const page = await signedInPage(browser, c.url, 'viewer@acme.example');
    await page.goto(`${c.url}/t/${c.tenantId}/preparation`);
    await page.getByRole('table', { name: 'Readiness gaps' }).waitFor();
    expect(await page.getByRole('button', { name: 'Import', exact: true }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Record a snapshot' }).count()).toBe(0);
    expect(await page.getByRole('textbox', { name: 'Inventory' }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  });
});
