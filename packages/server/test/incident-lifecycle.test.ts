import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { signatureVerifier, verifyStoredJournal } from '@cordon/storage';
import { TriageService, systemClock } from '@cordon/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(
    `incident lifecycle over the API (${dialect})`,
    () => {
      let t: TestServer;
      let tenantId: string;
      let analyst: Record<string, string>;
      let lead: Record<string, string>;
      let viewer: Record<string, string>;
      beforeAll(async () => {
        t = await startTestServer(dialect);
        tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
        analyst = bearer(await t.token(tenantId, 'analyst'));
        lead = bearer(await t.token(tenantId, 'incident_lead'));
        viewer = bearer(await t.token(tenantId, 'client_viewer'));
      });
      afterAll(async () => t.dispose());

      /** An alert below the incident level: stored, linked to no incident. */
      const lowAlert = async (tenant: string): Promise<string> => {
        await new TriageService(t.server.store, systemClock).triage(tenant, [
          {
            ruleId: 'low-rule',
            ruleName: undefined,
            ruleTitle: 'Low alert',
            level: 'low',
            tags: [],
            source: 'server',
            entities: { hosts: ['h1'], users: [], sourceIps: [], ips: [] },
            firstSeen: Date.now(),
            lastSeen: Date.now(),
            eventIds: [],
            eventCount: 1,
            lookup: () => undefined,
          },
        ]);
        const { items } = await t.server.detection.alerts.list(
          system,
          tenant,
          {},
          { limit: 1, offset: 0 },
        );
        return items[0]!.id;
      };

      const api = (
        method: 'GET' | 'POST' | 'PATCH',
        url: string,
        headers: Record<string, string>,
        payload?: object,
      ) =>
        t.server.app.inject({
          method,
          url: `/api/v1/tenants/${tenantId}${url}`,
          headers,
          ...(payload ? { payload } : {}),
        });

      it('walks every phase, refusing premature moves and recording an override', async () => {
        const created = await api('POST', '/incidents', analyst, {
          title: 'Ransomware on FIN-WS-07',
          severity: 'critical',
          firstActivityAt: new Date(Date.now() - 3_600_000).toISOString(),
        });
        expect(created.statusCode).toBe(201);
        const incident = created.json();
        expect(incident).toMatchObject({ phase: 'detected', reference: 'INC-1' });
        const id: string = incident.id;
        const move = (headers: Record<string, string>, body: object) =>
          api('POST', `/incidents/${id}/transitions`, headers, body);

        expect(
          (await api('POST', '/incidents', viewer, { title: 'x', severity: 'low' })).statusCode,
        ).toBe(403);

        // Skipping a phase is not a guard: nobody may do it.
        const skip = await move(lead, {
          to: 'contained',
          overrideJustification: 'skip it, we are in a hurry',
        });
        expect(skip.statusCode).toBe(409);

        const premature = await move(analyst, { to: 'identified' });
        expect(premature.statusCode).toBe(422);
        expect(premature.json().error).toMatchObject({ code: 'guard_failed' });
        expect(premature.json().error.details.unmet).toHaveLength(3);

        const analystOverride = await move(analyst, {
          to: 'identified',
          overrideJustification: 'I am sure enough about this',
        });
        expect(analystOverride.statusCode).toBe(403);

        const facts = await api('PATCH', `/incidents/${id}`, analyst, {
          affectedAssets: ['FIN-WS-07'],
          attackTechniques: ['T1486', 'T1566.001'],
          origins: [{ address: '203.0.113.50', scope: 'external' }],
        });
        expect(facts.statusCode).toBe(200);
        expect((await move(analyst, { to: 'identified' })).statusCode).toBe(200);

        const uncontained = await move(analyst, { to: 'contained' });
        expect(uncontained.statusCode).toBe(422);
        const override = await move(lead, {
          to: 'contained',
          overrideJustification:
            'Host powered off by the client on site; isolation confirmed by phone.',
        });
        expect(override.statusCode).toBe(200);
        expect(override.json().transition).toMatchObject({
          from: 'identified',
          to: 'contained',
          overrideJustification:
            'Host powered off by the client on site; isolation confirmed by phone.',
          unmetConditions: ['no containment record (what was contained, or why not)'],
        });

        expect((await move(analyst, { to: 'analysed' })).statusCode).toBe(422);
        await api('PATCH', `/incidents/${id}`, analyst, {
          rootCause: 'Macro in a phishing attachment',
          scope: 'One workstation, one file share',
        });
        expect((await move(analyst, { to: 'analysed' })).statusCode).toBe(200);
        // Recovery asks for a change record answering a finding (issue 14).
        const change = await api('POST', `/incidents/${id}/changes`, analyst, {
          area: 'system',
          title: 'Macros from the internet zone blocked by policy',
          reason: 'The macro ran from a phishing attachment',
          changedBy: 'Client IT',
          finding: 'root_cause',
        });
        expect(change.statusCode).toBe(201);

        for (const [phase, title] of [
          ['eradicated', 'Remove the scheduled task persistence'],
          ['recovered', 'Restore the share from the 02:00 backup'],
          ['verified', 'Re-hunt the hashes over 24 h of telemetry'],
        ] as const) {
          expect((await move(analyst, { to: phase })).statusCode).toBe(422);
          const task = await api('POST', `/incidents/${id}/tasks`, analyst, { phase, title });
          expect(task.statusCode).toBe(201);
          expect((await move(analyst, { to: phase })).json().error.details.unmet).toEqual([
            `1 of 1 ${phase === 'eradicated' ? 'eradication tasks' : phase === 'recovered' ? 'return-to-service checklist items' : 'verification checks'} not done`,
          ]);
          expect(
            (
              await api('PATCH', `/incidents/${id}/tasks/${task.json().id}`, analyst, {
                status: 'done',
              })
            ).statusCode,
          ).toBe(200);
          expect((await move(analyst, { to: phase })).statusCode).toBe(200);
        }

        expect((await move(analyst, { to: 'closed' })).statusCode).toBe(409);
        expect((await move(analyst, { to: 'closed', closureReason: 'resolved' })).statusCode).toBe(
          422,
        );
        await api('PATCH', `/incidents/${id}`, analyst, {
          lessonsLearned: 'Block macros from the internet zone.',
        });
        const closed = await move(analyst, { to: 'closed', closureReason: 'resolved' });
        expect(closed.statusCode).toBe(200);
        expect(closed.json().incident).toMatchObject({
          phase: 'closed',
          closureReason: 'resolved',
        });
        expect(Object.keys(closed.json().incident.phaseTimes)).toEqual([
          'detected',
          'identified',
          'contained',
          'analysed',
          'eradicated',
          'recovered',
          'verified',
          'closed',
        ]);
        expect(
          (await api('PATCH', `/incidents/${id}`, analyst, { summary: 'late edit' })).statusCode,
        ).toBe(409);

        const transitions = (await api('GET', `/incidents/${id}/transitions`, viewer)).json();
        expect(transitions.map((x: { to: string }) => x.to)).toEqual([
          'identified',
          'contained',
          'analysed',
          'eradicated',
          'recovered',
          'verified',
          'closed',
        ]);

        const metrics = (await api('GET', `/incidents/${id}/metrics`, viewer)).json();
        expect(metrics.timeToDetectMs).toBeGreaterThanOrEqual(3_600_000);
        expect(metrics.timeToContainMs).toBeGreaterThanOrEqual(0);
        expect(metrics.timeToRecoverMs).toBeGreaterThanOrEqual(metrics.timeToContainMs);
        const tenantMetrics = (await api('GET', '/metrics', viewer)).json();
        expect(tenantMetrics).toMatchObject({
          incidents: 1,
          mttc: { count: 1 },
          mttr: { count: 1 },
        });

        const journal = (await api('GET', `/journal?incidentId=${id}&limit=1000`, viewer)).json();
        const overrideEntry = journal.find(
          (e: { kind: string }) => e.kind === 'incident.phase_overridden',
        );
        expect(overrideEntry.payload).toMatchObject({
          from: 'identified',
          to: 'contained',
          justification: expect.stringContaining('powered off'),
        });
        expect(overrideEntry.actor).toMatch(/^token:/);

        await t.server.services.journal.checkpoint(tenantId);
        const checkpoints = (await api('GET', '/journal/checkpoints', viewer)).json();
        expect(checkpoints.at(-1)).toMatchObject({
          number: checkpoints.length,
          entries: checkpoints.at(-1).seq,
          prevCheckpointHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        });
        const verified = await verifyStoredJournal(
          t.server.store,
          tenantId,
          signatureVerifier(t.server.key.publicKeyPem),
        );
        expect(verified.ok).toBe(true);
      });

      it('records notes, observables and alert links, each journaled', async () => {
        const id = (
          await api('POST', '/incidents', analyst, { title: 'SSH brute force', severity: 'medium' })
        ).json().id;
        expect(
          (
            await api('POST', `/incidents/${id}/notes`, analyst, {
              body: 'Seen 400 failures from one address.',
            })
          ).statusCode,
        ).toBe(201);
        const first = await api('POST', `/incidents/${id}/observables`, analyst, {
          kind: 'ip',
          value: '198.51.100.7',
          firstSeen: '2026-11-01T10:00:00Z',
          lastSeen: '2026-11-01T10:05:00Z',
        });
        expect(first.statusCode).toBe(201);
        const again = await api('POST', `/incidents/${id}/observables`, analyst, {
          kind: 'ip',
          value: '198.51.100.7',
          firstSeen: '2026-11-01T09:00:00Z',
        });
        expect(again.json()).toMatchObject({
          id: first.json().id,
          firstSeen: '2026-11-01T09:00:00.000Z',
          lastSeen: '2026-11-01T10:05:00.000Z',
        });
        // issue 13 item 11: an incident could be linked to an alert id of another tenant, or
        // of none. Only an alert of this tenant links.
        expect(
          (await api('POST', `/incidents/${id}/alerts`, analyst, { alertId: 'alert-1' }))
            .statusCode,
        ).toBe(404);
        const alertId = await lowAlert(tenantId);
        const elsewhere = await lowAlert(
          (await t.server.services.access.createTenant(system, 'Elsewhere')).id,
        );
        expect(
          (await api('POST', `/incidents/${id}/alerts`, analyst, { alertId: elsewhere }))
            .statusCode,
        ).toBe(404);
        expect(
          (await api('POST', `/incidents/${id}/alerts`, analyst, { alertId })).statusCode,
        ).toBe(201);
        expect(
          (await api('POST', `/incidents/${id}/alerts`, analyst, { alertId })).statusCode,
        ).toBe(200);
        expect((await api('GET', `/incidents/${id}/alerts`, viewer)).json()).toEqual([alertId]);
        const kinds = (await api('GET', `/journal?incidentId=${id}`, viewer))
          .json()
          .map((e: { kind: string }) => e.kind);
        expect(kinds).toEqual([
          'incident.created',
          'incident.note_added',
          'incident.observable_recorded',
          'incident.observable_recorded',
          'incident.alert_linked',
          // The linked alert's facts (its host, times) fill in the identification.
          'incident.identification_inferred',
        ]);
      });
    },
  );
}
