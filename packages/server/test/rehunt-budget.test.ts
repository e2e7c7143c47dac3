/**
 * A re-hunt over a window larger than its budget, through the API on both dialects (issue 14).
 * It used to end as an error once the window held more than 50,000 events (and to step past a
 * crowded millisecond). Now the rules page through the window by keyset within a per-run budget
 * (here 40 events in pages of 15): the first run stops short — `incomplete`, never `passed` —
 * with the cursor it reached; resuming continues from that cursor and finds the rule's hit that
 * lies beyond the first budget; a clean window's chain ends `passed`. Many events share one
 * millisecond, so paging by time alone would skip or repeat them.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
type Json = any;

const RULE_ID = '8c7e4f1a-2b3d-4e5f-9a0b-1c2d3e4f5a6b';
const RULE = [
  'title: Cryptominer started',
  `id: ${RULE_ID}`,
  'level: high',
  'logsource: {product: linux, category: process_creation}',
  'detection:',
  "  selection: {Image|endswith: '/xmrig'}",
  '  condition: selection',
].join('\n');

const BUDGET = 40;

/** A process start on web01 at `ms`; `image` decides whether the rule fires. */
const processStart = (ms: number, image: string) => ({
  '@timestamp': new Date(ms).toISOString(),
  event: { kind: 'event', category: ['process'] },
  host: { name: 'web01' },
  message: `started ${image}`,
  log_source: { product: 'linux', category: 'process_creation' },
  fields: { Image: image },
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`a re-hunt within its budget (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let analyst: Record<string, string>;
    let lead: Record<string, string>;
    const api = async (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) => {
      const response = await t.server.app.inject({
        method,
        url: `/api/v1/tenants/${tenantId}${url}`,
        headers: method === 'POST' && url === '/detection/rules' ? lead : analyst,
        ...(payload ? { payload } : {}),
      });
      return { status: response.statusCode, body: response.json<Json>() };
    };

    /** A recovered incident with a re-hunt check of the rule; its recovery time. */
    const recovered = async (title: string) => {
      const created = await api('POST', '/incidents', { title, severity: 'high' });
      const id = created.body.id as string;
      await api('PATCH', `/incidents/${id}`, {
        affectedAssets: ['web01'],
        attackTechniques: ['T1496'],
        origins: [{ address: '203.0.113.50', scope: 'external' }],
        containmentNote: 'web01 isolated',
        rootCause: 'a leaked deploy key',
        scope: 'web01',
      });
      for (const to of ['identified', 'contained', 'analysed']) {
        const moved = await api('POST', `/incidents/${id}/transitions`, { to });
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      }
      for (const phase of ['eradicated', 'recovered']) {
        const task = await api('POST', `/incidents/${id}/tasks`, { phase, title: phase });
        await api('PATCH', `/incidents/${id}/tasks/${task.body.id}`, { status: 'done' });
        if (phase === 'recovered')
          await api('POST', `/incidents/${id}/changes`, {
            area: 'system',
            title: 'Deploy key rotated',
            reason: 'leaked',
            changedBy: 'SOC',
            finding: 'root_cause',
          });
        const moved = await api('POST', `/incidents/${id}/transitions`, { to: phase });
        expect(moved.status, JSON.stringify(moved.body)).toBe(200);
      }
      const check = await api('POST', `/incidents/${id}/verification/checks`, {
        kind: 'rehunt',
        ruleIds: [RULE_ID],
      });
      expect(check.status, JSON.stringify(check.body)).toBe(201);
      const incident = await api('GET', `/incidents/${id}`);
      return {
        id,
        checkId: check.body.id as string,
        recoveredAt: Date.parse(incident.body.phaseTimes.recovered),
      };
    };

    /** 70 clean process starts after `from`, 30 of them in one millisecond; `dirty` makes #55 the miner. */
    const fill = async (incidentId: string, from: number, dirty: boolean) => {
      const events = Array.from({ length: 70 }, (_, n) =>
        processStart(
          n < 30 ? from + 10 : from + 10 + n,
          dirty && n === 55 ? '/tmp/.x/xmrig' : `/usr/bin/tool${n}`,
        ),
      );
      await t.server.store.events.appendBatch(tenantId, { batchId: `w-${incidentId}`, events });
      // The window ends when a run starts: let the last event's time pass first.
      while (Date.now() <= from + 100) await new Promise((resolve) => setTimeout(resolve, 20));
    };

    beforeAll(async () => {
      t = await startTestServer(dialect, {
        verification: { maxRehuntEvents: BUDGET, rehuntPageSize: 15 },
      });
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      analyst = bearer(await t.token(tenantId, 'analyst'));
      lead = bearer(await t.token(tenantId, 'incident_lead'));
      const rule = await api('POST', '/detection/rules', { yaml: RULE });
      expect(rule.status, JSON.stringify(rule.body)).toBe(201);
    }, 60_000);
    afterAll(async () => t?.dispose());

    it('stops short as incomplete with its cursor; resuming finds the hit beyond the budget', async () => {
      const { id, checkId, recoveredAt } = await recovered('Miner, large window');
      await fill(id, recoveredAt, true);
      const base = `/incidents/${id}/verification`;

      const first = await api('POST', `${base}/checks/${checkId}/runs`);
      expect(first.status, JSON.stringify(first.body)).toBe(201);
      expect(first.body).toMatchObject({
        status: 'incomplete',
        findings: {
          ruleHits: [],
          eventsScanned: BUDGET,
          eventsScannedTotal: BUDGET,
          cursor: expect.any(String),
        },
      });
      expect(first.body.reason).toMatch(/ran over 40 events of the window, not all of it/);
      // Not a pass: the verified guard still waits, and the incident stays recovered.
      const guard = await api('POST', `/incidents/${id}/transitions`, { to: 'verified' });
      expect(guard.status).toBe(422);
      expect(guard.body.error.details.unmet).toEqual([
        'check "Re-hunt the observables and rules since recovery" incomplete',
      ]);
      expect((await api('GET', `/incidents/${id}`)).body.phase).toBe('recovered');

      const resumed = await api('POST', `${base}/runs/${first.body.id}/resume`);
      expect(resumed.status, JSON.stringify(resumed.body)).toBe(201);
      expect(resumed.body).toMatchObject({
        status: 'failed',
        reason: `rule ${RULE_ID} fired again`,
        findings: { resumedFrom: first.body.id, ruleHits: [{ ruleId: RULE_ID }] },
      });
      // The resumed run read only what the first had not: the events after its cursor.
      expect(resumed.body.findings.eventsScanned).toBe(70 - BUDGET);
      expect(resumed.body.findings.eventsScannedTotal).toBe(70);
      const hit = resumed.body.findings.ruleHits[0].eventIds[0] as string;
      const event = (await api('GET', `/events/${hit}`)).body;
      expect(JSON.stringify(event)).toContain('/tmp/.x/xmrig');
      expect((await api('GET', `/incidents/${id}`)).body.phase).toBe('analysed');
      // Resuming again is refused: the latest run is no longer incomplete.
      expect((await api('POST', `${base}/runs/${first.body.id}/resume`)).status).toBe(409);
    });

    it('a clean window passes only once the chain has seen all of it', async () => {
      const { id, checkId, recoveredAt } = await recovered('Miner, clean window');
      await fill(id, recoveredAt, false);
      const base = `/incidents/${id}/verification`;
      const first = await api('POST', `${base}/checks/${checkId}/runs`);
      expect(first.body.status).toBe('incomplete');
      // Run-all continues the incomplete run instead of starting over.
      const all = await api('POST', `${base}/runs`);
      expect(all.status).toBe(201);
      expect(all.body).toHaveLength(1);
      expect(all.body[0]).toMatchObject({
        status: 'passed',
        findings: { resumedFrom: first.body.id, eventsScannedTotal: 70 },
      });
      const moved = await api('POST', `/incidents/${id}/transitions`, { to: 'verified' });
      expect(moved.status, JSON.stringify(moved.body)).toBe(200);
    });

    it('refuses to resume a run that is not an incomplete re-hunt', async () => {
      const { id, checkId } = await recovered('Miner, nothing stored');
      const base = `/incidents/${id}/verification`;
      const run = await api('POST', `${base}/checks/${checkId}/runs`);
      expect(run.body.status).toBe('passed');
      expect((await api('POST', `${base}/runs/${run.body.id}/resume`)).status).toBe(409);
      expect(
        (await api('POST', `${base}/runs/00000000-0000-4000-8000-000000000000/resume`)).status,
      ).toBe(404);
    });
  });
}
