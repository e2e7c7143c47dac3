/**
 * issue 16, SLAs and regulatory clocks through the API on both databases, with the server's
 * clock pinned: a Berlin business-hours contract over the spring-forward weekend and the Easter
 * holidays; an SLA clock at risk, paused while waiting on the client, resumed, breached and
 * then missed — each at-risk and breach journalled once by the scheduler; a reportability
 * determination that starts GDPR, NIS2 and SEC 8-K deadlines; notices recorded with their
 * content hash; a deadline near and one missed, journalled once; the CISA-style draft; the
 * tenant's and the MSSP's SLA reports; and the refusals (roles, bad input).
 */
import type { JournalEntry } from '@cordon/core';
import { DIALECTS, dialectAvailable, postgresUrl } from '@cordon/storage/testing';
import type { DialectName } from '@cordon/storage';
import { DateTime } from 'luxon';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CordonServer, ServerConfig } from '../src/index.ts';
import { createServer, defaultServerConfig } from '../src/index.ts';
import { bearer, system } from './test-server.ts';

const berlin = (iso: string): number => DateTime.fromISO(iso, { zone: 'Europe/Berlin' }).toMillis();
const iso = (at: number): string => new Date(at).toISOString();
const PASSWORD = 'correct horse battery staple';

const contract = {
  calendar: {
    timeZone: 'Europe/Berlin',
    hours: Object.fromEntries(['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, ['09:00-17:00']])),
    holidays: ['2026-04-03', '2026-04-06'],
  },
  sla: { atRiskShare: 0.75, targets: { high: { acknowledge: 60, contain: 240, resolve: 960 } } },
  regimes: ['gdpr', 'nis2', 'sec-8k', 'us-ca-residents'],
  customRegimes: [
    {
      id: 'us-ca-residents',
      title: 'State breach law (example entry)',
      jurisdiction: 'a US state',
      reference: 'the state statute, as the tenant configured it',
      obligations: [
        {
          id: 'residents',
          title: 'Notice to residents',
          recipient: 'affected residents',
          limits: [{ trigger: { kind: 'awareness' }, within: { kind: 'days', days: 30 } }],
        },
      ],
    },
  ],
  reporting: {
    organisation: 'Acme Logistics GmbH',
    contactName: 'Dana Client',
    location: 'Hamburg',
  },
};

function configFor(dialect: DialectName, dataDir: string): ServerConfig {
  return {
    ...defaultServerConfig,
    dataDir,
    port: 0,
    ...(dialect === 'postgres'
      ? {
          databaseUrl: postgresUrl(),
          databaseSchema: `s_${process.pid}_${Math.random().toString(36).slice(2, 10)}`,
        }
      : {}),
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`SLA and regulatory clocks (${dialect})`, () => {
    let now = berlin('2026-03-27T16:30');
    let server: CordonServer;
    let dataDir: string;
    let config: ServerConfig;
    let tenantId: string;
    let lead: Record<string, string>;
    let viewer: Record<string, string>;
    let admin: Record<string, string>;
    let incidentId: string;
    const base = () => `/api/v1/tenants/${tenantId}`;
    const call = async (
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) => {
      const response = await server.app.inject({
        method,
        url,
        headers,
        ...(payload ? { payload } : {}),
      });
      return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
    };
    const entries = async (kind: string): Promise<JournalEntry[]> =>
      (
        await server.store.transaction((uow) =>
          uow.forTenant(tenantId).journal.list({ incidentId }, 1_000),
        )
      ).filter((e) => e.kind === kind);
    const clockOf = async (metric: string) => {
      const { body } = await call('GET', `${base()}/incidents/${incidentId}/sla`, lead);
      return (body['clocks'] as Record<string, unknown>[]).find((c) => c['metric'] === metric)!;
    };
    const deadline = async (regime: string, obligation: string) => {
      const { body } = await call('GET', `${base()}/incidents/${incidentId}/regulatory`, viewer);
      return (body['deadlines'] as Record<string, unknown>[]).find(
        (d) => d['regimeId'] === regime && d['obligationId'] === obligation,
      )!;
    };

    /** A platform admin's browser session (the MSSP); sessions expire as the pinned clock moves. */
    const signIn = async (): Promise<Record<string, string>> => {
      const login = await server.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: 'mssp@example.com', password: PASSWORD },
      });
      const cookie = login.headers['set-cookie']!.toString().split(';')[0]!;
      return { cookie, 'x-csrf-token': login.json<{ csrfToken: string }>().csrfToken };
    };

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'cordon-contract-test-'));
      config = configFor(dialect, dataDir);
      server = await createServer({ config, logger: false, clock: { now: () => now } });
      const { access } = server.services;
      tenantId = (await access.createTenant(system, 'Acme')).id;
      const token = async (role: 'incident_lead' | 'client_viewer') =>
        bearer((await access.createToken(system, { tenantId, role })).token);
      lead = await token('incident_lead');
      viewer = await token('client_viewer');
      await access.createUser(system, {
        email: 'mssp@example.com',
        password: PASSWORD,
        role: 'platform_admin',
      });
      admin = await signIn();
    });

    afterAll(async () => {
      await server.close();
      if (config.databaseSchema) {
        const client = new pg.Client({ connectionString: postgresUrl() });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${config.databaseSchema} CASCADE`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('takes the contract from a platform admin only, and refuses a bad one', async () => {
      expect((await call('PUT', `${base()}/contract`, lead, contract)).status).toBe(403);
      const bad = { ...contract, calendar: { timeZone: 'Europe/Atlantis' } };
      const refused = await call('PUT', `${base()}/contract`, admin, bad);
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('time zone');
      const unknown = await call('PUT', `${base()}/contract`, admin, {
        ...contract,
        regimes: ['x-none'],
      });
      expect(unknown.status).toBe(400);
      const set = await call('PUT', `${base()}/contract`, admin, contract);
      expect(set.status, JSON.stringify(set.body)).toBe(200);
      expect(set.body).toMatchObject({ version: 1, updatedBy: 'user:mssp@example.com' });
      const read = await call('GET', `${base()}/contract`, viewer);
      expect(read.body['calendar']).toMatchObject({ timeZone: 'Europe/Berlin' });
      const created = await call('POST', `${base()}/incidents`, lead, {
        title: 'Mailbox rule exfiltration',
        severity: 'high',
      });
      incidentId = created.body['id'] as string;
    });

    it('is at risk on Monday morning after the DST weekend, journalled once', async () => {
      const friday = await clockOf('acknowledge');
      expect(friday).toMatchObject({ state: 'running', remainingMs: 3_600_000 });
      // 30 min left at 17:00 Friday; the weekend (and its lost hour) does not count.
      expect(friday['dueAt']).toBe(iso(berlin('2026-03-30T09:30')));
      now = berlin('2026-03-30T09:20');
      const marks = await server.contracts.scheduler.tick();
      expect(marks.map((m) => `${m.clock}/${m.mark}`)).toEqual(['sla:acknowledge/at_risk']);
      expect(await server.contracts.scheduler.tick()).toEqual([]);
      const [entry] = await entries('sla.at_risk');
      expect(entry).toMatchObject({
        actor: 'system:contract-clocks',
        payload: { metric: 'acknowledge', state: 'at_risk', targetMinutes: 60 },
      });
      expect(await entries('sla.at_risk')).toHaveLength(1);
    });

    it('pauses while waiting on the client (who and why), then resumes', async () => {
      now = berlin('2026-03-30T09:25');
      const url = `${base()}/incidents/${incidentId}/sla`;
      expect((await call('POST', `${url}/pause`, viewer, { reason: 'x' })).status).toBe(403);
      const paused = await call('POST', `${url}/pause`, lead, {
        reason: 'waiting on the client for the VPN logs',
      });
      expect(paused.status).toBe(201);
      expect((await call('POST', `${url}/pause`, lead, { reason: 'again' })).status).toBe(409);
      now = berlin('2026-03-31T08:00');
      expect(await clockOf('acknowledge')).toMatchObject({ state: 'paused', dueAt: null });
      expect(await server.contracts.scheduler.tick()).toEqual([]);
      now = berlin('2026-03-31T09:00');
      expect((await call('POST', `${url}/resume`, lead)).status).toBe(200);
      const resumed = await clockOf('acknowledge');
      // 55 min counted before the pause; 5 min left from Tuesday 09:00.
      expect(resumed).toMatchObject({ state: 'at_risk', elapsedMs: 55 * 60_000 });
      expect(resumed['dueAt']).toBe(iso(berlin('2026-03-31T09:05')));
      const [pauseEntry] = await entries('sla.paused');
      expect(pauseEntry).toMatchObject({
        payload: { reason: 'waiting on the client for the VPN logs' },
      });
      expect(await entries('sla.resumed')).toHaveLength(1);
    });

    it('journals the breach once, and a late acknowledgement stays missed', async () => {
      now = berlin('2026-03-31T09:10');
      const marks = await server.contracts.scheduler.tick();
      expect(marks.map((m) => `${m.clock}/${m.mark}`)).toEqual(['sla:acknowledge/breached']);
      expect(
        (await call('POST', `${base()}/incidents/${incidentId}/acknowledge`, lead)).status,
      ).toBe(200);
      expect(await clockOf('acknowledge')).toMatchObject({ state: 'missed' });
      expect(await server.contracts.scheduler.tick()).toEqual([]);
      expect(await entries('sla.breached')).toHaveLength(1);
    });

    it('starts regulatory deadlines from a recorded determination', async () => {
      now = berlin('2026-03-31T10:00');
      const url = `${base()}/incidents/${incidentId}/regulatory/determination`;
      const determination = {
        reportable: true,
        regimes: ['gdpr', 'nis2', 'sec-8k', 'us-ca-residents'],
        reason: 'personal data of 1,200 customers read by the attacker; material per counsel',
        awarenessAt: iso(berlin('2026-03-31T09:00')),
      };
      expect((await call('POST', url, viewer, determination)).status).toBe(403);
      const other = await call('POST', url, lead, { ...determination, regimes: ['hipaa'] });
      expect(other.status).toBe(400);
      const recorded = await call('POST', url, lead, determination);
      expect(recorded.status, JSON.stringify(recorded.body)).toBe(201);
      expect(recorded.body).toMatchObject({ determinedBy: expect.stringMatching(/^token:/) });
      // GDPR: 72 elapsed hours from awareness.
      expect(await deadline('gdpr', 'authority')).toMatchObject({
        state: 'open',
        dueAt: iso(berlin('2026-04-03T09:00')),
      });
      // SEC 8-K: Wed, Thu, (Good Friday), (Easter Monday), Tue, Wed: the end of Wed 8 April.
      expect((await deadline('sec-8k', 'form-8k'))['dueAt']).toBe(iso(berlin('2026-04-09T00:00')));
      expect(await deadline('nis2', 'final-report')).toMatchObject({
        state: 'pending',
        dueAt: null,
      });
      expect((await deadline('us-ca-residents', 'residents'))['dueAt']).toBe(
        iso(berlin('2026-04-30T09:00')),
      );
      expect(await entries('regulatory.determined')).toHaveLength(1);
    });

    it('journals a near deadline, records notices with their hash, and a missed one', async () => {
      now = berlin('2026-04-01T03:30');
      const near = await server.contracts.scheduler.tick();
      // Contain (4 business hours) went past its target on Tuesday, straight to breached.
      expect(near.map((m) => `${m.clock}/${m.mark}`)).toEqual([
        'sla:contain/breached',
        'regulatory:nis2:early-warning/near',
      ]);
      now = berlin('2026-04-01T08:00');
      const url = `${base()}/incidents/${incidentId}/regulatory/notices`;
      const content = 'NIS2 early warning: suspected unlawful access to a mailbox of Acme.';
      const early = await call('POST', url, lead, {
        regime: 'nis2',
        obligation: 'early-warning',
        channel: 'CSIRT portal',
        content,
      });
      expect(early.status, JSON.stringify(early.body)).toBe(201);
      const sha = createHash('sha256').update(content).digest('hex');
      expect(early.body['contentSha256']).toBe(sha);
      const notice = await call('POST', url, lead, {
        regime: 'nis2',
        obligation: 'notification',
        channel: 'CSIRT portal',
        content: 'NIS2 incident notification …',
        sentAt: iso(berlin('2026-04-01T07:30')),
      });
      expect(notice.status).toBe(201);
      const stray = await call('POST', url, lead, {
        regime: 'hipaa',
        obligation: 'individuals',
        channel: 'mail',
        content: 'x',
      });
      expect(stray.status).toBe(400);
      expect(await deadline('nis2', 'early-warning')).toMatchObject({ state: 'met' });
      expect((await deadline('nis2', 'final-report'))['dueAt']).toBe(
        iso(berlin('2026-05-01T07:30')),
      );
      const [sent] = await entries('regulatory.notice_sent');
      expect(sent).toMatchObject({ payload: { contentSha256: sha, late: false } });

      now = berlin('2026-04-04T10:00');
      const missed = await server.contracts.scheduler.tick();
      expect(missed.map((m) => `${m.clock}/${m.mark}`)).toContain(
        'regulatory:gdpr:authority/missed',
      );
      expect(await server.contracts.scheduler.tick()).toEqual([]);
      const [entry] = await entries('regulatory.deadline_missed');
      expect(entry).toMatchObject({
        payload: { regimeId: 'gdpr', obligationId: 'authority', state: 'missed' },
      });
    });

    it('drafts a CISA-style report from the incident facts', async () => {
      const { status, body } = await call(
        'GET',
        `${base()}/incidents/${incidentId}/regulatory/cisa-draft`,
        viewer,
      );
      expect(status).toBe(200);
      expect(body).toMatchObject({
        reference: 'INC-1',
        organisation: 'Acme Logistics GmbH',
        severity: 'high',
        location: { site: 'Hamburg' },
        contact: { name: 'Dana Client' },
        time: { awarenessAt: iso(berlin('2026-03-31T09:00')) },
      });
      expect(body['othersInformed']).toHaveLength(2);
      expect(body['missing']).toEqual(expect.arrayContaining(['sector', 'affected']));
    });

    it("reports the tenant's SLA results, and every tenant's to the MSSP only", async () => {
      const query = `from=${iso(berlin('2026-03-01T00:00'))}&to=${iso(berlin('2026-04-30T00:00'))}`;
      const report = await call('GET', `${base()}/sla-report?${query}`, viewer);
      expect(report.status).toBe(200);
      const ack = (report.body['metrics'] as Record<string, unknown>[]).find(
        (m) => m['metric'] === 'acknowledge',
      );
      expect(ack).toMatchObject({ counts: { missed: 1 }, metShare: 0 });
      expect(report.body['failures']).toEqual([
        { incidentId, number: 1, metric: 'acknowledge', state: 'missed' },
        { incidentId, number: 1, metric: 'contain', state: 'breached' },
        { incidentId, number: 1, metric: 'resolve', state: 'breached' },
      ]);
      expect((await call('GET', `/api/v1/sla-report?${query}`, lead)).status).toBe(403);
      admin = await signIn();
      const mssp = await call('GET', `/api/v1/sla-report?${query}`, admin);
      expect(mssp.status).toBe(200);
      expect((mssp.body['tenants'] as { tenantId: string }[]).map((r) => r.tenantId)).toContain(
        tenantId,
      );
    });
  });
}
