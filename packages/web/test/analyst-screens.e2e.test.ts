/**
 * The analyst's other screens end to end, in Debian's Chromium against a real server on
 * loopback: search events (an error marked at its column, the drawer, a pivot, top values),
 * then assets, agents and administration as they land. Controls are found by role and label;
 * axe-core checks every screen visited; each screen leaves a 1280×800 screenshot.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  UI_TIMEOUT,
  chromiumAvailable,
  launchBrowser,
  screenshot,
  seriousViolations,
  signIn,
} from './browser.ts';
import type { ConsoleServer } from './console-server.ts';
import {
  PASSWORD,
  apiCall,
  enrolAgent,
  startConsoleServer,
  system,
  waitUntil,
} from './console-server.ts';

const AGENT_HOST = 'ws-finance-07';
const SSH_HOSTS = ['web-01', 'web-02', 'db-01'] as const;
const SSH_USERS = ['alice', 'bob'] as const;

if (!chromiumAvailable) {
  console.warn(
    'analyst screens e2e skipped: /usr/bin/chromium is absent (apt-get install chromium)',
  );
}

function syslogStamp(at: Date): string {
  return `${at.toUTCString().slice(8, 11)} ${String(at.getUTCDate()).padStart(2, ' ')} ${at.toISOString().slice(11, 19)}`;
}

/** sshd sign-ins on three hosts by two users, through HTTP ingest (the events search reads). */
async function ingestSignIns(c: ConsoleServer): Promise<number> {
  const token = (
    await c.server.services.access.createToken(system, { tenantId: c.tenantId, role: 'ingest' })
  ).token;
  const lines: string[] = [];
  const now = Date.now();
  SSH_HOSTS.forEach((host, h) =>
    SSH_USERS.forEach((user, u) => {
      for (let i = 0; i < 3 + h + u; i += 1) {
        const at = new Date(now - (h * 7 + u * 3 + i) * 60_000);
        lines.push(
          `<38>${syslogStamp(at)} ${host} sshd[${4000 + i}]: Accepted password for ${user} from 198.51.100.${10 + i} port ${50000 + i} ssh2`,
        );
      }
    }),
  );
  const response = await fetch(`${c.url}/api/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
    body: `${lines.join('\n')}\n`,
  });
  if (!response.ok) throw new Error(`ingest: ${response.status} ${await response.text()}`);
  return lines.length;
}

interface Seeded {
  readonly dbPrimary: string;
  readonly dbReplica: string;
  readonly app: string;
}

/** A small documented network: an ERP application on a database pair, one business function. */
async function documentNetwork(c: ConsoleServer): Promise<Seeded> {
  const t = `/tenants/${c.tenantId}`;
  const segment = await apiCall<{ id: string }>(c, 'POST', `${t}/segments`, {
    name: 'servers',
    cidr: '10.20.0.0/24',
    zone: 'server',
  });
  const asset = (name: string, extra: Record<string, unknown>) =>
    apiCall<{ id: string }>(c, 'POST', `${t}/assets`, {
      name,
      kind: 'server',
      segmentId: segment.id,
      ...extra,
    });
  const dbPrimary = await asset('erp-db-01', {
    criticality: 'critical',
    owner: 'Finance IT',
    redundancyGroup: 'erp-db',
    agentInstalled: true,
    addresses: ['10.20.0.11'],
    operationalStatus: 'up',
  });
  const dbReplica = await asset('erp-db-02', {
    criticality: 'high',
    owner: 'Finance IT',
    redundancyGroup: 'erp-db',
    addresses: ['10.20.0.12'],
    operationalStatus: 'down',
  });
  const app = await asset('erp-app-01', { criticality: 'high', owner: 'ERP team' });
  await asset('print-01', { criticality: 'low', owner: 'Facilities' });
  await apiCall(c, 'POST', `${t}/functions`, {
    name: 'Invoicing',
    mtdMinutes: 240,
    costPerHour: 12_000,
    assetIds: [dbPrimary.id, app.id],
  });
  await apiCall(c, 'POST', `${t}/relations`, {
    kind: 'depends_on',
    fromAssetId: app.id,
    toId: dbPrimary.id,
  });
  await apiCall(c, 'POST', `${t}/relations`, {
    kind: 'redundant_with',
    fromAssetId: dbPrimary.id,
    toId: dbReplica.id,
  });
  return { dbPrimary: dbPrimary.id, dbReplica: dbReplica.id, app: app.id };
}

describe.skipIf(!chromiumAvailable)('the analyst screens in Chromium', () => {
  let c: ConsoleServer;
  let browser: Browser;
  let page: Page;
  let ingested = 0;
  let seeded: Seeded;
  let agentId: string;

  /** The count above the results (not the facet badges, which also say "N events"). */
  const resultCount = (text: string) =>
    page
      .getByRole('status')
      .filter({ hasText: new RegExp(`^${text}$`) })
      .waitFor();

  const checkScreen = async (name: string): Promise<void> => {
    const found = await seriousViolations(page);
    expect(found, `${name}: ${JSON.stringify(found, null, 1)}`).toEqual([]);
  };

  beforeAll(async () => {
    c = await startConsoleServer();
    ingested = await ingestSignIns(c);
    seeded = await documentNetwork(c);
    agentId = await enrolAgent(c, AGENT_HOST);
    await waitUntil(
      async () =>
        (await apiCall<{ count: number }>(c, 'POST', `/tenants/${c.tenantId}/events/count`, {}))
          .count === ingested,
      'the ingested events to be searchable',
    );
    browser = await launchBrowser();
    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      reducedMotion: 'reduce',
    });
    context.setDefaultTimeout(UI_TIMEOUT);
    page = await context.newPage();
    await signIn(page, c.url, 'lead@mssp.example');
  }, 120_000);

  afterEach(async (context) => {
    if (context.task.result?.state === 'fail' && page) {
      await page.screenshot({
        path: `/tmp/analyst-e2e-failure-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}.png`,
      });
    }
  });

  afterAll(async () => {
    await browser?.close();
    await c?.dispose();
  });

  describe('search', () => {
    it('finds the events of a host, with their count and histogram', async () => {
      await page.goto(`${c.url}/t/${c.tenantId}/incidents`);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Search' })
        .click();
      await page.getByRole('heading', { name: 'Search' }).waitFor();
      await resultCount(`${ingested} events`);
      await page.getByLabel('Query').fill('host.name:db-01');
      await page.getByLabel('Query').press('Enter');
      // db-01 is the third host: 5 sign-ins by alice and 6 by bob.
      await resultCount('11 events');
      const table = page.getByRole('table', { name: 'Events' });
      expect(await table.getByRole('button', { name: /Open event at/ }).count()).toBe(11);
      expect(await table.getByRole('cell', { name: 'web-01' }).count()).toBe(0);
      await page.getByRole('img', { name: /Events over time: 11 in/ }).waitFor();
      expect(new URL(page.url()).searchParams.get('q')).toBe('host.name:db-01');
    });

    it('marks a query the server refuses at the column it names', async () => {
      await page.getByLabel('Query').fill('host.name:db-01 and (user.name:bob');
      await page.getByRole('button', { name: 'Search' }).click();
      const query = page.getByLabel('Query');
      const error = page.getByText(/\(column \d+\)$/);
      await error.waitFor();
      expect(await query.getAttribute('aria-invalid')).toBe('true');
      const column = Number(/\(column (\d+)\)$/.exec((await error.textContent()) ?? '')?.[1]);
      expect(column).toBeGreaterThan(15);
      // The cursor is put at the column, to fix it from the keyboard.
      expect(await query.evaluate((el: HTMLInputElement) => el.selectionStart)).toBe(
        Math.min(column - 1, 'host.name:db-01 and (user.name:bob'.length),
      );
      expect(await page.getByRole('table', { name: 'Events' }).count()).toBe(0);
      await checkScreen('search-error');
      await screenshot(page, 'search-error');
      await query.fill('host.name:db-01 and (user.name:bob)');
      await query.press('Enter');
      await resultCount('6 events');
    });

    it('opens an event as fields and JSON, and pivots from a value', async () => {
      await page
        .getByRole('button', { name: /Open event at/ })
        .first()
        .click();
      const drawer = page.getByRole('dialog', { name: 'Event' });
      const fields = drawer.getByRole('table', { name: 'Event fields' });
      await fields.getByRole('rowheader', { name: 'host.name' }).waitFor();
      await checkScreen('search-event');
      await drawer.getByRole('tab', { name: 'JSON' }).click();
      await drawer.getByText(/"name": "db-01"/).waitFor();
      await drawer.getByRole('tab', { name: 'Fields' }).click();
      await drawer.getByRole('button', { name: 'Pivot to user.name: bob' }).click();
      await drawer.waitFor({ state: 'hidden' });
      expect(new URL(page.url()).searchParams.get('q')).toBe('user.name:"bob"');
      // bob signed in 4 + 5 + 6 times on the three hosts.
      await resultCount('15 events');
    });

    it('counts the top values of a field and narrows the search by one', async () => {
      const facets = page.getByRole('region', { name: 'Top values' });
      await facets
        .getByRole('button', { name: /^Narrow to host.name: web-02\s*5 events$/ })
        .click();
      await resultCount('5 events');
      expect(new URL(page.url()).searchParams.get('q')).toBe(
        'user.name:"bob" and host.name:"web-02"',
      );
      await checkScreen('search');
      await screenshot(page, 'search');
    });

    it('keeps a search bookmarkable and reachable by keyboard', async () => {
      await page.reload();
      await resultCount('5 events');
      expect(await page.getByLabel('Query').inputValue()).toBe(
        'user.name:"bob" and host.name:"web-02"',
      );
      await page.getByLabel('Query').focus();
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      await page.keyboard.press('Tab');
      let focused = '';
      for (let i = 0; i < 40 && !focused.startsWith('Open event at'); i += 1) {
        await page.keyboard.press('Tab');
        focused = await page.evaluate(
          () => document.activeElement?.getAttribute('aria-label') ?? '',
        );
      }
      expect(focused).toMatch(/^Open event at/);
      await page.keyboard.press('Enter');
      await page.getByRole('dialog', { name: 'Event' }).waitFor();
      await page.keyboard.press('Escape');
    });
  });

  describe('assets', () => {
    it('lists the inventory with criticality, owner, segment, functions and agent', async () => {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Assets' })
        .click();
      await page.getByRole('heading', { name: 'Assets' }).waitFor();
      const table = page.getByRole('table', { name: 'Assets' });
      const row = table
        .getByRole('row')
        .filter({ has: page.getByRole('link', { name: 'erp-db-01' }) });
      await row.waitFor();
      for (const text of ['critical', 'Finance IT', 'servers', 'Invoicing', 'yes']) {
        await row.getByRole('cell', { name: text, exact: true }).waitFor();
      }
      expect(await table.getByRole('link').count()).toBe(4);
      await page.getByRole('combobox', { name: 'Criticality' }).click();
      await page.getByRole('option', { name: 'critical' }).click();
      await table.getByRole('link', { name: 'erp-app-01' }).waitFor({ state: 'detached' });
      expect(await table.getByRole('link').count()).toBe(1);
      expect(new URL(page.url()).searchParams.get('criticality')).toBe('critical');
      await checkScreen('assets');
      await screenshot(page, 'assets');
    });

    it("shows an asset's impact, redundancy and relations, and walks to a neighbour", async () => {
      await page
        .getByRole('table', { name: 'Assets' })
        .getByRole('link', { name: 'erp-db-01' })
        .click();
      await page.getByRole('heading', { name: 'erp-db-01' }).waitFor();
      // The replica is down: nothing carries the load, so invoicing stops.
      await page.getByText('1 business function stops').waitFor();
      await page.getByText(/no healthy peer can carry the load/).waitFor();
      const functions = page.getByRole('table', { name: 'Business functions affected' });
      await functions.getByRole('rowheader', { name: 'Invoicing' }).waitFor();
      await page
        .getByRole('list', { name: 'Redundancy peers' })
        .getByText(/not healthy/)
        .waitFor();
      await page
        .getByRole('list', { name: 'Dependent assets' })
        .getByRole('link', { name: 'erp-app-01' })
        .waitFor();
      const graph = page.getByRole('img', { name: /^Relations of erp-db-01: / });
      const drawn = (await graph.getAttribute('aria-label')) ?? '';
      for (const relation of [
        'erp-app-01 depends on erp-db-01',
        'erp-db-01 redundant with erp-db-02',
        'erp-db-01 runs function Invoicing',
      ]) {
        expect(drawn).toContain(relation);
      }
      await checkScreen('asset');
      await screenshot(page, 'asset');
      await page
        .getByRole('table', { name: 'Relations' })
        .getByRole('link', { name: 'erp-db-02' })
        .click();
      await page.getByRole('heading', { name: 'erp-db-02' }).waitFor();
      expect(new URL(page.url()).pathname).toBe(`/t/${c.tenantId}/assets/${seeded.dbReplica}`);
    });

    it('draws the whole network by segment with redundancy groups, capped and filtered in the URL', async () => {
      const t = `/tenants/${c.tenantId}`;
      const dmz = await apiCall<{ id: string }>(c, 'POST', `${t}/segments`, {
        name: 'dmz',
        cidr: '198.51.100.0/24',
        zone: 'dmz',
      });
      const office = await apiCall<{ id: string }>(c, 'POST', `${t}/segments`, {
        name: 'office',
        cidr: '10.30.0.0/22',
        zone: 'user',
      });
      for (const name of ['web-01', 'web-02']) {
        const web = await apiCall<{ id: string }>(c, 'POST', `${t}/assets`, {
          name,
          kind: 'server',
          criticality: 'high',
          segmentId: dmz.id,
          redundancyGroup: 'shop-web',
        });
        await apiCall(c, 'POST', `${t}/relations`, {
          kind: 'depends_on',
          fromAssetId: web.id,
          toId: seeded.app,
        });
      }
      for (let i = 1; i <= 50; i++) {
        await apiCall(c, 'POST', `${t}/assets`, {
          name: `ws-${String(i).padStart(3, '0')}`,
          kind: 'workstation',
          criticality: 'low',
          segmentId: office.id,
        });
      }
      await apiCall(c, 'POST', `${t}/assets`, { name: 'vpn-laptop', kind: 'workstation' });
      const total = 4 + 2 + 50 + 1;

      await page.goto(`${c.url}/t/${c.tenantId}/assets`);
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Network' })
        .click();
      await page.getByRole('heading', { name: 'Network' }).waitFor();
      const map = page.getByRole('group', { name: /^Network map: / });
      await map.waitFor();
      expect(await map.getAttribute('aria-label')).toBe(
        `Network map: ${total} assets in 4 lanes, 4 relations, 2 redundancy groups`,
      );
      await map.getByRole('link', { name: /^erp-db-01: critical server in servers/ }).waitFor();
      await map
        .getByRole('link', {
          name: 'web-02: high server in dmz · 198.51.100.0/24, redundancy group shop-web',
        })
        .waitFor();
      const segments = page.getByRole('table', { name: 'Segments' });
      await segments.getByRole('row', { name: /office 10\.30\.0\.0\/22 user 50/ }).waitFor();
      await segments.getByRole('rowheader', { name: 'Outside every segment' }).waitFor();
      const groups = page.getByRole('table', { name: 'Redundancy groups' });
      await groups.getByRole('row', { name: 'erp-db erp-db-01, erp-db-02' }).waitFor();
      await groups.getByRole('row', { name: 'shop-web web-01, web-02' }).waitFor();
      await page
        .getByRole('table', { name: 'Relations between the assets shown' })
        .getByRole('row', { name: 'web-01 depends on erp-app-01' })
        .waitFor();
      await checkScreen('network');
      await screenshot(page, 'network');

      // Capped: the most critical are kept, and the screen says how many it left out.
      await page.getByRole('combobox', { name: 'Assets drawn at most' }).click();
      await page.getByRole('option', { name: '50', exact: true }).click();
      await page
        .getByRole('status')
        .filter({ hasText: `Showing 50 of ${total} assets` })
        .waitFor();
      expect(new URL(page.url()).searchParams.get('limit')).toBe('50');
      await map.getByRole('link', { name: /^erp-db-01: / }).waitFor();
      expect(await map.getByRole('link').count()).toBe(50);

      // One segment, bookmarkable; its asset opens from the map.
      await page.getByRole('combobox', { name: 'Segment' }).click();
      await page.getByRole('option', { name: 'dmz (198.51.100.0/24)' }).click();
      await expect.poll(() => new URL(page.url()).searchParams.get('segment')).toBe(dmz.id);
      await expect.poll(() => map.getByRole('link').count()).toBe(2);
      await page.getByText('No relation between the assets shown.').waitFor();
      await checkScreen('network-segment');
      await map.getByRole('link', { name: /^web-01: / }).focus();
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: 'web-01' }).waitFor();
    });

    it("says so when an asset id is another tenant's", async () => {
      await page.goto(`${c.url}/t/${c.otherTenantId}/assets/${seeded.dbPrimary}`);
      await page
        .getByRole('alert')
        .filter({ hasText: /not found|no access/ })
        .waitFor();
      await page.goto(`${c.url}/t/${c.tenantId}/assets/${seeded.app}`);
      await page.getByRole('heading', { name: 'erp-app-01' }).waitFor();
    });
  });

  describe('agents and containment', () => {
    it('lists agents with their status and opens one with its actions', async () => {
      await page
        .getByRole('navigation', { name: 'Main' })
        .getByRole('link', { name: 'Agents' })
        .click();
      await page.getByRole('heading', { name: 'Agents' }).waitFor();
      const table = page.getByRole('table', { name: 'Agents' });
      const row = table.getByRole('row').filter({ hasText: AGENT_HOST });
      // Enrolled over REST, never connected: offline, not isolated.
      await row.getByText('offline').waitFor();
      await row.getByText('not isolated').waitFor();
      await page.getByText('0 of 1 online').waitFor();
      await table.getByRole('button', { name: `Open agent ${AGENT_HOST}` }).click();
      const drawer = page.getByRole('dialog', { name: `Agent on ${AGENT_HOST}` });
      await drawer.getByText('No containment actions yet.').waitFor();
      await drawer.getByRole('button', { name: 'Request isolation' }).click();
      await drawer
        .getByRole('status')
        .filter({ hasText: /^isolate requested/ })
        .waitFor();
      const actions = drawer.getByRole('table', { name: 'Agent actions' });
      await actions.getByRole('cell', { name: 'isolate' }).waitFor();
      const listed = await apiCall<{ items: { state: string; agentId: string }[] }>(
        c,
        'GET',
        `/tenants/${c.tenantId}/actions?agentId=${agentId}`,
      );
      expect(listed.items).toHaveLength(1);
      await actions.getByLabel(`State: ${listed.items[0]!.state}`).waitFor();
      await drawer.getByRole('button', { name: 'Issue break-glass code' }).click();
      const code = drawer.getByLabel('Release code', { exact: true });
      await code.waitFor();
      expect(((await code.textContent()) ?? '').length).toBeGreaterThan(6);
      await checkScreen('agent');
      await screenshot(page, 'agent');
      await page.keyboard.press('Escape');
      await drawer.waitFor({ state: 'hidden' });
    });

    it('edits the containment policy, with the server refusing at the field it names', async () => {
      const policy = page.getByRole('region', { name: 'Containment policy' });
      const rules = policy.getByRole('table', { name: 'Containment rules' });
      // Rows: the header and one per rule; the added rule's number is the row count before.
      const added = await rules.getByRole('row').count();
      await policy.getByRole('button', { name: 'Add rule' }).click();
      await rules.getByRole('combobox', { name: `Rule ${added}: response` }).click();
      await page.getByRole('option', { name: 'isolate automatically' }).click();
      const windowField = policy.getByLabel('Per window of minutes');
      await windowField.fill('0');
      await policy.getByRole('button', { name: 'Save policy' }).click();
      await policy.getByText('must be >= 1').first().waitFor();
      expect(await windowField.getAttribute('aria-invalid')).toBe('true');
      await checkScreen('policy-error');
      await windowField.fill('15');
      await policy.getByRole('button', { name: 'Save policy' }).click();
      await policy.getByRole('status').filter({ hasText: 'Policy saved.' }).waitFor();
      const saved = await apiCall<{
        autoIsolationLimit: { windowMinutes: number };
        rules: { response: string; minSeverity: string; assetRole: string }[];
        isDefault: boolean;
      }>(c, 'GET', `/tenants/${c.tenantId}/containment-policy`);
      expect(saved.isDefault).toBe(false);
      expect(saved.autoIsolationLimit.windowMinutes).toBe(15);
      expect(saved.rules.at(-1)).toEqual({
        minSeverity: 'critical',
        assetRole: 'workstation',
        response: 'isolate',
      });
      await policy.scrollIntoViewIfNeeded();
      await checkScreen('agents');
      await screenshot(page, 'agents');
    });
  });

  describe('administration', () => {
    it('is offered to platform admins only', async () => {
      await page.goto(`${c.url}/t/${c.tenantId}/agents`);
      await page.getByRole('heading', { name: 'Agents' }).waitFor();
      const nav = page.getByRole('navigation', { name: 'Main' });
      expect(await nav.getByRole('link', { name: 'Administration' }).count()).toBe(0);
      // The server decides anyway: an incident lead's token may not list tokens.
      await expect(apiCall(c, 'GET', `/tenants/${c.tenantId}/tokens`)).rejects.toThrow(/403/);
    });

    it('adds a user, creates a token shown once, revokes it, and unlocks a sign-in', async () => {
      await c.server.services.access.createUser(system, {
        email: 'admin@mssp.example',
        password: PASSWORD,
        role: 'platform_admin',
      });
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(UI_TIMEOUT);
      const admin = await context.newPage();
      const previous = page;
      page = admin;
      try {
        await signIn(admin, c.url, 'admin@mssp.example');
        await admin.goto(`${c.url}/t/${c.tenantId}/agents`);
        await admin
          .getByRole('navigation', { name: 'Main' })
          .getByRole('link', { name: 'Administration' })
          .click();
        const users = admin.getByRole('table', { name: 'Users' });
        await users.getByRole('rowheader', { name: 'lead@mssp.example' }).waitFor();
        const addUser = admin.getByRole('form', { name: 'Add a user' });
        await addUser.getByLabel('Email').fill('new.analyst@acme.example');
        await addUser.getByLabel('Initial password').fill('too short');
        await addUser.getByRole('button', { name: 'Add user' }).click();
        await admin
          .getByRole('alert')
          .filter({ hasText: /password/ })
          .waitFor();
        await addUser.getByLabel('Initial password').fill(PASSWORD);
        await addUser.getByRole('button', { name: 'Add user' }).click();
        await users.getByRole('rowheader', { name: 'new.analyst@acme.example' }).waitFor();

        const createToken = admin.getByRole('form', { name: 'Create an API token' });
        await createToken.getByLabel('Token name').fill('firewall shipper');
        await createToken.getByRole('button', { name: 'Create token' }).click();
        const secret = admin.getByLabel('New token secret');
        await secret.waitFor();
        const token = ((await secret.textContent()) ?? '').trim();
        expect(token).toMatch(/^cdn_/);
        // The secret works as an ingest token until it is revoked.
        const sent = await fetch(`${c.url}/api/v1/ingest`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
          body: '<38>Dec  4 10:00:00 fw-01 sshd[1]: Connection closed\n',
        });
        expect(sent.status).toBe(200);
        const tokens = admin.getByRole('table', { name: 'API tokens' });
        await checkScreen('admin');
        await screenshot(admin, 'admin');
        await tokens.getByRole('button', { name: 'Revoke firewall shipper' }).click();
        await tokens.getByText(/^revoked /).waitFor();
        const refused = await fetch(`${c.url}/api/v1/ingest`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
          body: '<38>Dec  4 10:00:00 fw-01 sshd[1]: Connection closed\n',
        });
        expect(refused.status).toBe(401);

        const unlock = admin.getByRole('form', { name: 'Unlock a sign-in' });
        await unlock.getByLabel('Account email').fill('viewer@acme.example');
        await unlock.getByRole('button', { name: 'Unlock sign-in' }).click();
        await admin
          .getByRole('status')
          .filter({ hasText: 'viewer@acme.example was not locked.' })
          .waitFor();
      } finally {
        page = previous;
        await context.close();
      }
    });
  });
});
