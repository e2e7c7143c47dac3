/**
 * The detection screen in Chromium against a real server, through the console only: a rule
 * pasted with a mistake shows the loader's problem at its line and column; the fixed rule is
 * loaded from a .yml file, tested in the browser against pasted events and against events
 * pulled by a search, and saved; it is listed, the server refuses it a second time (a clash),
 * and an event ingested afterwards raises an alert from it. Exclusions and suppressions are
 * added and removed; the rule is deleted after a confirmation. A client viewer reads all of it
 * with no control that changes anything. axe runs on each state.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { apiCall, ingestSyslog, startConsoleServer, waitUntil } from './console-server.ts';

const RULE_ID = '2d6f0a51-7c3e-4b8a-9e21-5f4c3b2a1d09';
const TITLE = 'Password sign-in to a jump host';
const RULE = [
  `title: ${TITLE}`,
  `id: ${RULE_ID}`,
  'status: experimental',
  'level: high',
  'logsource: {product: linux, service: sshd}',
  'detection:',
  '  keywords: ["Accepted password for"]',
  '  condition: keywords',
  'tags: [attack.initial-access, attack.t1078]',
].join('\n');
// The condition one space too deep: the YAML loader names line 8.
const BROKEN = RULE.replace('  condition:', '   condition:');
const PASTED = [
  '{"message": "Accepted password for alice from 203.0.113.9 port 50022 ssh2"}',
  '{"message": "Failed password for alice from 203.0.113.9 port 50022 ssh2"}',
  '{"message": "Accepted password for bob from 198.51.100.4 port 40022 ssh2"}',
].join('\n');

if (!chromiumAvailable) {
  console.warn('detection e2e skipped: /usr/bin/chromium is absent (apt-get install chromium)');
}

interface Listed {
  items: { ruleId: string; ruleTitle: string; source: string; entities: { hosts: string[] } }[];
}

describe.skipIf(!chromiumAvailable)('the detection screen in Chromium', () => {
  let c: ConsoleServer;
  let browser: Browser;
  let files: string;

  beforeAll(async () => {
    c = await startConsoleServer();
    browser = await launchBrowser();
    files = mkdtempSync(join(tmpdir(), 'cordon-detection-e2e-'));
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await c?.dispose();
    if (files) rmSync(files, { recursive: true, force: true });
  });

  it('checks, tests and saves a rule in the browser, and the rule then raises an alert', async () => {
    const { tenantId } = c;
    // An event already stored, for the test against searched events (no rule matches it yet).
    await ingestSyslog(
      c,
      'jump-01',
      'Accepted password for carol from 203.0.113.77 port 51000 ssh2',
    );
    await waitUntil(async () => {
      const found = await apiCall<{ total: number }>(
        c,
        'POST',
        `/tenants/${tenantId}/events/search`,
        {
          query: 'host.name:jump-01',
        },
      );
      return found.total === 1;
    }, 'the stored sshd event');

    const page = await signedInPage(browser, c.url, 'lead@mssp.example');
    await page.goto(`${c.url}/t/${tenantId}/incidents`);
    await page.getByRole('link', { name: 'Detection' }).click();
    await page.getByRole('heading', { name: 'Detection', level: 1 }).waitFor();
    await page.getByText("No rules of the tenant's own").waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    // The tabs are reached and switched from the keyboard.
    await page.getByRole('tab', { name: 'Rules' }).focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Enter');
    await page.getByRole('tab', { name: 'New rule', selected: true }).waitFor();
    expect(new URL(page.url()).searchParams.get('tab')).toBe('editor');
    const editor = page.getByRole('textbox', { name: 'Rule (Sigma YAML)' });
    await editor.fill(BROKEN);
    const problems = page.getByRole('list', { name: 'Rule problems' });
    await problems.getByText(/^rule: invalid YAML: .* at line 8, column \d+/).waitFor();
    expect(await page.getByRole('button', { name: 'Save rule' }).isDisabled()).toBe(true);
    expect(await page.getByRole('button', { name: 'Run test' }).isDisabled()).toBe(true);
    // The cursor goes to the place the loader named.
    await problems.getByRole('button', { name: 'Go to line 8' }).click();
    const caret = await editor.evaluate((el: HTMLTextAreaElement) => el.selectionStart);
    expect(BROKEN.slice(0, caret).split('\n')).toHaveLength(8);
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/detection-error.png' });

    // The fixed rule comes from a file, through the labelled file input.
    const file = join(files, 'jump-host-password.yml');
    writeFileSync(file, RULE);
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: 'Rule file' }).click();
    await (await chooser).setFiles(file);
    await page.getByRole('status').filter({ hasText: 'Loads: 1 rule' }).waitFor();
    expect(await editor.inputValue()).toBe(RULE);
    expect(await problems.count()).toBe(0);

    await page.getByRole('textbox', { name: 'Test events' }).fill(PASTED);
    await page.getByText('3 events read').waitFor();
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.getByRole('status').filter({ hasText: '2 of 3 events matched' }).waitFor();
    const results = page.getByRole('table', { name: 'Test results' });
    const row = (label: string) =>
      results.getByRole('row').filter({ has: page.getByRole('rowheader', { name: label }) });
    await row('line 1').getByText(`match: ${TITLE}`).waitFor();
    await row('line 2').getByText('no match').waitFor();
    await row('line 3').getByText(`match: ${TITLE}`).waitFor();
    expect(await results.getByRole('row').count()).toBe(4);
    expect(await seriousViolations(page)).toEqual([]);
    await page
      .getByRole('heading', { name: 'Test against events' })
      .evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await screenshot(page, 'detection-test');

    // The same rule against the stored event, pulled by a search.
    const searched = page.getByRole('radio', { name: 'Searched events' });
    // The segmented control's radios are visually hidden under their labels: click the label.
    await page.locator(`label[for="${await searched.getAttribute('id')}"]`).click();
    expect(await searched.isChecked()).toBe(true);
    await page.getByRole('textbox', { name: 'Search query' }).fill('host.name:jump-01');
    await page.getByRole('button', { name: 'Fetch events' }).click();
    await page.getByRole('status').filter({ hasText: '1 event fetched' }).waitFor();
    await page.getByRole('button', { name: 'Run test' }).click();
    await page.getByRole('status').filter({ hasText: '1 of 1 event matched' }).waitFor();
    await results.getByText(`match: ${TITLE}`).waitFor();

    await page.getByRole('button', { name: 'Save rule' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Saved “${TITLE}”` })
      .waitFor();
    const listed = page.getByRole('table', { name: 'Tenant rules' });
    const rule = listed.getByRole('row').filter({ hasText: TITLE });
    await rule.getByText('high').waitFor();
    await rule.getByText('experimental').waitFor();
    await rule.getByText('T1078').waitFor();
    const enabled = rule.getByRole('switch', { name: `Enabled: ${TITLE}` });
    expect(await enabled.isChecked()).toBe(true);
    // Off and on again from the keyboard; the server holds each state.
    const enabledAtServer = async () =>
      (await apiCall<{ enabled: boolean }[]>(c, 'GET', `/tenants/${tenantId}/detection/rules`))[0]
        ?.enabled;
    await enabled.focus();
    await page.keyboard.press('Space');
    await rule.getByText('off', { exact: true }).waitFor();
    expect(await enabledAtServer()).toBe(false);
    await enabled.focus();
    await page.keyboard.press('Space');
    await rule.getByText('on', { exact: true }).waitFor();
    expect(await enabledAtServer()).toBe(true);
    const stored = await apiCall<{ ruleIds: string[]; yaml: string }[]>(
      c,
      'GET',
      `/tenants/${tenantId}/detection/rules`,
    );
    expect(stored.map((r) => [r.ruleIds, r.yaml])).toEqual([[[RULE_ID], RULE]]);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'detection');

    // The server's refusal is shown as it says it: the same rule ids again.
    await page.getByRole('tab', { name: 'New rule' }).click();
    await editor.fill(RULE);
    await page.getByRole('status').filter({ hasText: 'Loads: 1 rule' }).waitFor();
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page
      .getByRole('alert')
      .filter({ hasText: 'The rule was not saved' })
      .getByText(`the tenant already has rule(s) ${RULE_ID}`)
      .waitFor();

    // A correlation on a rule outside the text is only a warning here; the server, which knows
    // its own rules, refuses it and says why.
    await editor.fill(
      [
        'title: Many password sign-ins',
        'id: 5e8c1d2a-3b4f-4a6e-8d7c-9b0a1f2e3d4c',
        'correlation:',
        '  type: event_count',
        '  rules: [no_such_rule]',
        '  group-by: [source.ip]',
        '  timespan: 5m',
        '  condition: {gte: 10}',
        'level: high',
      ].join('\n'),
    );
    await page
      .getByRole('status')
      .filter({ hasText: 'Loads: 1 rule' })
      .getByText(/not in this text/)
      .waitFor();
    await page.getByRole('button', { name: 'Save rule' }).click();
    await page
      .getByRole('list', { name: 'Server problems' })
      .getByText('Many password sign-ins: correlation references unknown rule(s): no_such_rule')
      .waitFor();

    // Live detection runs it on the next event the tenant sends.
    await ingestSyslog(
      c,
      'jump-02',
      'Accepted password for dave from 203.0.113.80 port 52000 ssh2',
    );
    await waitUntil(async () => {
      const alerts = await apiCall<Listed>(
        c,
        'GET',
        `/tenants/${tenantId}/alerts?ruleId=${RULE_ID}`,
      );
      return alerts.items.some(
        (a) => a.source === 'tenant' && a.entities.hosts.includes('jump-02'),
      );
    }, 'an alert from the saved rule');
    // …and the rule's row leads to its alerts in the queue.
    await page.getByRole('tab', { name: 'Rules' }).click();
    await page.getByRole('link', { name: `Alerts from ${TITLE}` }).click();
    await page.waitForURL((url) => url.pathname.endsWith('/alerts'));
    expect(new URL(page.url()).searchParams.get('rule')).toBe(RULE_ID);
    await page
      .getByRole('table', { name: 'Alerts' })
      .getByRole('button', { name: `Open alert ${TITLE}` })
      .waitFor();
    await page.goBack();

    // Exclusions and suppressions: added with a reason (and expiry), listed, removed.
    await page.getByRole('tab', { name: 'Exclusions' }).click();
    await page.getByText('No exclusions').waitFor();
    await page.getByRole('textbox', { name: 'Rule id or name' }).fill(RULE_ID);
    await page.getByRole('textbox', { name: 'Field conditions' }).fill('host.name = jump-03');
    await page.getByRole('textbox', { name: 'Reason' }).fill('jump-03 is the break-glass bastion');
    await page.getByRole('button', { name: 'Add exclusion' }).click();
    const exclusions = page.getByRole('table', { name: 'Exclusions' });
    await exclusions.getByRole('row').filter({ hasText: 'host.name = jump-03' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await page
      .getByRole('button', { name: 'Remove the exclusion: jump-03 is the break-glass bastion' })
      .click();
    await page
      .getByRole('dialog', { name: 'Remove this exclusion?' })
      .getByRole('button', { name: 'Remove exclusion' })
      .click();
    await page.getByText('No exclusions').waitFor();

    await page.getByRole('tab', { name: 'Suppressions' }).click();
    await page.getByText('No suppressions').waitFor();
    await page
      .getByRole('textbox', { name: 'Field conditions' })
      .fill('user.name = svc-backup\nuser.name = svc-scan');
    await page.getByRole('textbox', { name: 'Reason' }).fill('service accounts, ticket 4711');
    await page.getByRole('textbox', { name: 'Expires after (days)' }).fill('7');
    await page.getByRole('button', { name: 'Add suppression' }).click();
    const suppressions = page.getByRole('table', { name: 'Suppressions' });
    const suppression = suppressions.getByRole('row').filter({ hasText: 'ticket 4711' });
    await suppression.getByText('user.name = svc-backup | svc-scan').waitFor();
    await suppression.getByText('every rule').waitFor();
    const saved = await apiCall<{ expiresAt: string }[]>(
      c,
      'GET',
      `/tenants/${tenantId}/suppressions`,
    );
    const days = (Date.parse(saved[0]!.expiresAt) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
    expect(await seriousViolations(page)).toEqual([]);
    await page
      .getByRole('button', { name: 'Remove the suppression: service accounts, ticket 4711' })
      .click();
    await page
      .getByRole('dialog', { name: 'Remove this suppression?' })
      .getByRole('button', { name: 'Remove suppression' })
      .click();
    await page.getByText('No suppressions').waitFor();

    // Deleting the rule is asked twice.
    await page.getByRole('tab', { name: 'Rules' }).click();
    await page.getByRole('button', { name: `Delete ${TITLE}` }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this rule?' });
    await confirm.getByRole('button', { name: 'Cancel' }).click();
    await confirm.waitFor({ state: 'hidden' });
    expect(await listed.getByRole('row').filter({ hasText: TITLE }).count()).toBe(1);
    await page.getByRole('button', { name: `Delete ${TITLE}` }).click();
    await confirm.getByRole('button', { name: 'Delete rule' }).click();
    await page.getByText("No rules of the tenant's own").waitFor();
    expect(await apiCall<unknown[]>(c, 'GET', `/tenants/${tenantId}/detection/rules`)).toEqual([]);
    await page.context().close();
  }, 180_000);

  it('shows a client viewer the rules, exclusions and suppressions with no write control', async () => {
    const { tenantId } = c;
    await apiCall(c, 'POST', `/tenants/${tenantId}/detection/rules`, { yaml: RULE });
    await apiCall(c, 'POST', `/tenants/${tenantId}/detection/exclusions`, {
      fields: { 'host.name': ['scanner-01'] },
      reason: 'the vulnerability scanner',
    });
    await apiCall(c, 'POST', `/tenants/${tenantId}/suppressions`, {
      ruleId: RULE_ID,
      reason: 'change window',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    });
    const page = await signedInPage(browser, c.url, 'viewer@acme.example');
    await page.goto(`${c.url}/t/${tenantId}/detection`);
    const rule = page
      .getByRole('table', { name: 'Tenant rules' })
      .getByRole('row')
      .filter({ hasText: TITLE });
    await rule.getByText('T1078').waitFor();
    expect(await page.getByRole('tab', { name: 'New rule' }).count()).toBe(0);
    expect(await page.getByRole('switch').count()).toBe(0);
    expect(await page.getByRole('button', { name: /^Delete / }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    // The editor is not reachable by its address either.
    await page.goto(`${c.url}/t/${tenantId}/detection?tab=editor`);
    await page.getByRole('table', { name: 'Tenant rules' }).waitFor();
    expect(await page.getByRole('textbox', { name: 'Rule (Sigma YAML)' }).count()).toBe(0);

    await page.getByRole('tab', { name: 'Exclusions' }).click();
    await page
      .getByRole('table', { name: 'Exclusions' })
      .getByText('the vulnerability scanner')
      .waitFor();
    expect(await page.getByRole('button', { name: /^Remove|^Add/ }).count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0);
    await page.getByRole('tab', { name: 'Suppressions' }).click();
    await page.getByRole('table', { name: 'Suppressions' }).getByText('change window').waitFor();
    expect(await page.getByRole('button', { name: /^Remove|^Add/ }).count()).toBe(0);
    expect(await page.getByRole('textbox').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 90_000);
});
