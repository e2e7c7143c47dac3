/**
 * issue 16: the service guarantee's ledger over the API, on both databases — the deductible,
 * the per-incident limit, the year's limit shared by two incidents, a service and a category
 * the contract does not cover, the exclusion of an incident opened after the client was told
 * of a readiness gap that still fails, and a correction (reversal + replacement) that changes
 * what is covered while the original entry stays as it was.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { adminSession, bearer, startTestServer, system } from './test-server.ts';

interface Line {
  id: string;
  amountMinor: number;
  coveredMinor: number;
  billableMinor: number;
  parts: { reason: string; amountMinor: number }[];
}
interface Statement {
  lines: Line[];
  totals: { amountMinor: number; coveredMinor: number; billableMinor: number };
  incidents: { incidentId: string; exclusion: string | null; contractVersion: number | null }[];
}

const terms = {
  currency: 'EUR',
  categories: ['ransomware', 'malware'],
  services: ['response_hours', 'forensics'],
  perIncidentLimitMinor: 500_000,
  perYearLimitMinor: 800_000,
  deductibleMinor: 50_000,
  rates: [
    { role: 'incident_lead', hourlyMinor: 20_000 },
    { role: 'responder', hourlyMinor: 15_000 },
  ],
  exclusions: [{ kind: 'ignored_readiness_gap', check: 'roles_staffed', graceDays: 0 }],
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`guarantee ledger (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let admin: Record<string, string>;
    let lead: Record<string, string>;
    let viewer: Record<string, string>;
    const base = Date.now() - 3_600_000;
    const at = (seconds: number): string => new Date(base + seconds * 1000).toISOString();

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      admin = await adminSession(t);
      lead = bearer(await t.token(tenantId, 'incident_lead'));
      viewer = bearer(await t.token(tenantId, 'client_viewer'));
    });
    afterAll(async () => t?.dispose());

    const api = async (
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      headers: Record<string, string>,
      payload?: object,
    ) => {
      const response = await t.server.app.inject({
        method,
        url: `/api/v1/tenants/${tenantId}${url}`,
        headers,
        ...(payload ? { payload } : {}),
      });
      return { status: response.statusCode, body: response.json<Record<string, unknown>>() };
    };

    const incident = async (title: string, category: string): Promise<string> => {
      const created = await api('POST', '/incidents', lead, { title, severity: 'high' });
      expect(created.status).toBe(201);
      const id = created.body['id'] as string;
      const set = await api('POST', `/incidents/${id}/identification/corrections`, lead, {
        action: 'set',
        kind: 'category',
        category,
      });
      expect(set.status).toBe(200);
      return id;
    };

    const entry = async (incidentId: string, body: object): Promise<string> => {
      const r = await api('POST', `/incidents/${incidentId}/guarantee/entries`, lead, body);
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return r.body['id'] as string;
    };
    const forensics = (amountMinor: number, second: number) => ({
      kind: 'cost',
      responder: 'Dana',
      role: 'responder',
      service: 'forensics',
      phase: 'analysed',
      activity: 'disk images',
      amountMinor,
      occurredAt: at(second),
    });
    const statement = async (incidentId: string): Promise<Statement> => {
      const r = await api('GET', `/incidents/${incidentId}/guarantee/statement`, viewer);
      expect(r.status).toBe(200);
      return r.body as unknown as Statement;
    };
    const reasons = (line: Line | undefined) => line?.parts.map((p) => [p.reason, p.amountMinor]);

    let a: string;
    let b: string;
    let lines: Record<string, string> = {};

    it('takes a contract from a platform admin only, as a new version each time', async () => {
      expect((await api('PUT', '/guarantee/contract', lead, terms)).status).toBe(403);
      const bad = await api('PUT', '/guarantee/contract', admin, {
        ...terms,
        deductibleMinor: 1.5,
      });
      expect(bad.status).toBe(400);
      const first = await api('PUT', '/guarantee/contract', admin, terms);
      expect(first.status).toBe(200);
      expect(first.body['version']).toBe(1);
      const got = await api('GET', '/guarantee/contract', viewer);
      expect((got.body['current'] as { version: number }).version).toBe(1);
    });

    it('bills the deductible, covers up to the per-incident limit, bills services not covered', async () => {
      a = await incident('ransomware at HQ', 'ransomware');
      lines = {
        hours: await entry(a, {
          kind: 'time',
          responder: 'Lee',
          role: 'incident_lead',
          service: 'response_hours',
          phase: 'contained',
          activity: 'containment calls',
          minutes: 180,
          occurredAt: at(10),
        }),
        forensics: await entry(a, forensics(400_000, 20)),
        recovery: await entry(a, {
          kind: 'time',
          responder: 'Sam',
          role: 'responder',
          service: 'recovery',
          phase: 'recovered',
          activity: 'restore file server',
          minutes: 120,
          occurredAt: at(30),
        }),
        more: await entry(a, forensics(200_000, 40)),
      };
      const s = await statement(a);
      const byId = (id: string | undefined) => s.lines.find((l) => l.id === id);
      // 3 h × 200.00 = 600.00: 500.00 deductible, 100.00 covered.
      expect(reasons(byId(lines['hours']))).toEqual([
        ['deductible', 50_000],
        ['covered', 10_000],
      ]);
      expect(reasons(byId(lines['forensics']))).toEqual([['covered', 400_000]]);
      expect(reasons(byId(lines['recovery']))).toEqual([['service_not_covered', 30_000]]);
      expect(reasons(byId(lines['more']))).toEqual([
        ['covered', 90_000],
        ['incident_limit_reached', 110_000],
      ]);
      expect(s.totals).toEqual({
        amountMinor: 690_000,
        coveredMinor: 500_000,
        billableMinor: 190_000,
      });
    });

    it("covers a second incident only up to what is left of the year's limit", async () => {
      b = await incident('malware on a laptop', 'malware');
      const id = await entry(b, forensics(400_000, 50));
      const s = await statement(b);
      expect(reasons(s.lines.find((l) => l.id === id))).toEqual([
        ['deductible', 50_000],
        ['covered', 300_000],
        ['year_limit_reached', 50_000],
      ]);
    });

    it('bills an incident of a category the contract does not name', async () => {
      const c = await incident('phishing wave', 'phishing');
      await entry(c, forensics(10_000, 60));
      const s = await statement(c);
      expect(reasons(s.lines[0])).toEqual([['category_not_covered', 10_000]]);
    });

    it('excludes an incident opened after an ignored readiness gap was notified', async () => {
      // Without a failing snapshot there is nothing to notify.
      const early = await api('POST', '/guarantee/gap-notices', admin, {
        check: 'roles_staffed',
        note: 'staff the response roles',
      });
      expect(early.status).toBe(409);
      expect((await api('POST', '/readiness/snapshots', lead)).status).toBe(201);
      const notice = await api('POST', '/guarantee/gap-notices', admin, {
        check: 'roles_staffed',
        note: 'staff the response roles',
      });
      expect(notice.status, JSON.stringify(notice.body)).toBe(201);
      const d = await incident('ransomware again', 'ransomware');
      await entry(d, forensics(100_000, 70));
      const s = await statement(d);
      expect(reasons(s.lines[0])).toEqual([['excluded', 100_000]]);
      expect(s.incidents[0]?.exclusion).toMatch(
        /^readiness gap roles_staffed notified .* still failing/,
      );
      // Incidents opened before the notice keep their cover.
      expect((await statement(a)).totals.coveredMinor).toBe(500_000);
    });

    it('corrects an entry by a reversal and a replacement, never an edit', async () => {
      const refused = await api(
        'POST',
        `/incidents/${b}/guarantee/entries/${lines['forensics']}/correction`,
        lead,
        { reason: 'wrong incident' },
      );
      expect(refused.status).toBe(404);
      const corrected = await api(
        'POST',
        `/incidents/${a}/guarantee/entries/${lines['forensics']}/correction`,
        lead,
        { reason: 'the invoice was 3000.00', replacement: forensics(300_000, 20) },
      );
      expect(corrected.status, JSON.stringify(corrected.body)).toBe(201);
      const again = await api(
        'POST',
        `/incidents/${a}/guarantee/entries/${lines['forensics']}/correction`,
        lead,
        { reason: 'twice' },
      );
      expect(again.status).toBe(409);
      const replacement = (corrected.body['replacement'] as { id: string }).id;
      const reversal = (corrected.body['reversal'] as { id: string }).id;
      const s = await statement(a);
      const byId = (id: string | undefined) => s.lines.find((l) => l.id === id);
      expect(reasons(byId(lines['forensics']))).toEqual([['reversed', 400_000]]);
      expect(byId(lines['forensics'])?.billableMinor).toBe(0);
      expect(reasons(byId(reversal))).toEqual([['reversal', 0]]);
      expect(reasons(byId(replacement))).toEqual([['covered', 300_000]]);
      // 10,000 + 300,000 covered before: 190,000 of the last 200,000 fits under the limit.
      expect(reasons(byId(lines['more']))).toEqual([
        ['covered', 190_000],
        ['incident_limit_reached', 10_000],
      ]);
      const entries = await api('GET', `/incidents/${a}/guarantee/entries`, viewer);
      const items = entries.body['items'] as { id: string; amountMinor?: number }[];
      expect(items).toHaveLength(6);
      expect(items.find((e) => e.id === lines['forensics'])?.amountMinor).toBe(400_000);
      const journal = await t.server.services.journal.list(
        system,
        tenantId,
        { incidentId: a },
        500,
      );
      const kinds = journal.map((e) => e.kind).filter((k) => k.startsWith('guarantee.'));
      expect(kinds.filter((k) => k === 'guarantee.entry_recorded')).toHaveLength(5);
      expect(kinds.filter((k) => k === 'guarantee.entry_reversed')).toHaveLength(1);
    });

    it('states a month over every incident, and refuses what a role may not do', async () => {
      const month = new Date(base).toISOString().slice(0, 7);
      const monthly = await api('GET', `/guarantee/statement?month=${month}`, viewer);
      expect(monthly.status).toBe(200);
      const m = monthly.body as unknown as Statement;
      if (new Date(base + 70_000).toISOString().slice(0, 7) === month) {
        expect(m.lines).toHaveLength(9);
        // A: 500,000 covered; B: 300,000; the year's limit is spent.
        expect(m.totals.coveredMinor).toBe(800_000);
      }
      expect((await api('GET', '/guarantee/statement?month=2026-13', viewer)).status).toBe(400);
      expect(
        (await api('POST', `/incidents/${a}/guarantee/entries`, viewer, forensics(1, 80))).status,
      ).toBe(403);
    });
  });
}
