/**
 * issue 14: recovery, verification and closure over the API, on both databases — change
 * records with ATT&CK mitigation suggestions, a restore that updates its backup job, the
 * release checklist refusing then releasing, re-hunts clean then dirty (the dirty one sends the
 * incident back with its reason), the *verified* guard, the closing review and the metrics.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { mitigationsFor } from '@cordon/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`recovery and verification (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let analyst: Record<string, string>;
    let lead: Record<string, string>;
    let responder: Record<string, string>;
    let viewer: Record<string, string>;
    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      analyst = bearer(await t.token(tenantId, 'analyst'));
      lead = bearer(await t.token(tenantId, 'incident_lead'));
      responder = bearer(await t.token(tenantId, 'responder'));
      viewer = bearer(await t.token(tenantId, 'client_viewer'));
    });
    afterAll(async () => t?.dispose());

    const api = (
      method: 'GET' | 'POST' | 'PATCH' | 'PUT',
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

    /** An incident with the facts of identification and analysis recorded. */
    const incident = async (title: string): Promise<string> => {
      const created = await api('POST', '/incidents', analyst, { title, severity: 'high' });
      expect(created.statusCode).toBe(201);
      const id: string = created.json().id;
      const facts = await api('PATCH', `/incidents/${id}`, analyst, {
        affectedAssets: ['web01'],
        attackTechniques: ['T1110.001'],
        origins: [{ address: '203.0.113.50', scope: 'external' }],
        containmentNote: 'web01 isolated',
        rootCause: 'SSH open to the internet with password logins',
        scope: 'web01',
      });
      expect(facts.statusCode).toBe(200);
      return id;
    };
    const moveTo = async (id: string, to: string, headers = analyst) =>
      api('POST', `/incidents/${id}/transitions`, headers, { to });
    const walk = async (id: string, phases: readonly string[]) => {
      for (const to of phases)
        expect((await moveTo(id, to)).json()).toMatchObject({ incident: { phase: to } });
    };

    /** An isolation of the incident applied on an agent (as the gateway records one). */
    const appliedIsolation = async (incidentId: string, agentId: string): Promise<string> => {
      const queue = t.server.containment.queue;
      const action = await queue.request({
        tenantId,
        agentId,
        action: { kind: 'isolate' },
        requestedBy: 'test',
        incidentId,
        requiresApproval: true,
      });
      await queue.transition(tenantId, action.id, 'approved', 'test');
      await queue.transition(tenantId, action.id, 'sent', 'gateway');
      await queue.transition(tenantId, action.id, 'applied', `agent:${agentId}`);
      return action.id;
    };

    it('records change records against findings, with the mitigations of the techniques as suggestions', async () => {
      const id = await incident('Brute force on web01');
      const expected = mitigationsFor('T1110.001').map((m) => m.id);
      expect(expected.length).toBeGreaterThan(0);
      const before = (await api('GET', `/incidents/${id}/changes`, viewer)).json();
      expect(before.items).toEqual([]);
      expect(before.suggestions.map((s: { mitigationId: string }) => s.mitigationId)).toEqual(
        expected,
      );
      expect(before.suggestions.every((s: { adopted: boolean }) => !s.adopted)).toBe(true);

      const mitigation = expected[0]!;
      const change = await api('POST', `/incidents/${id}/changes`, analyst, {
        area: 'system',
        title: 'Password logins off on every SSH server',
        reason: 'The attacker guessed a password over SSH',
        changedBy: 'Client IT (J. Doe)',
        finding: 'technique',
        technique: 'T1110.001',
        mitigation,
      });
      expect(change.statusCode).toBe(201);
      expect(change.json()).toMatchObject({ area: 'system', mitigationId: mitigation });
      const process = await api('POST', `/incidents/${id}/changes`, analyst, {
        area: 'process',
        title: 'Firewall changes reviewed weekly',
        reason: 'Port 22 was opened without review',
        changedBy: 'SOC',
        finding: 'root_cause',
      });
      expect(process.statusCode).toBe(201);
      const after = (await api('GET', `/incidents/${id}/changes`, viewer)).json();
      expect(after.items).toHaveLength(2);
      expect(
        after.suggestions.find((s: { mitigationId: string }) => s.mitigationId === mitigation)
          .adopted,
      ).toBe(true);

      // A finding that is not the incident's, a viewer, and an unknown observable are refused.
      const wrongTechnique = await api('POST', `/incidents/${id}/changes`, analyst, {
        area: 'system',
        title: 'x',
        reason: 'y',
        changedBy: 'z',
        finding: 'technique',
        technique: 'T1486',
      });
      expect(wrongTechnique.statusCode).toBe(400);
      expect(wrongTechnique.json().error.code).toBe('invalid_input');
      expect(
        (
          await api('POST', `/incidents/${id}/changes`, viewer, {
            area: 'system',
            title: 'x',
            reason: 'y',
            changedBy: 'z',
            finding: 'root_cause',
          })
        ).statusCode,
      ).toBe(403);
      const journal = await t.server.services.journal.list(
        system,
        tenantId,
        { incidentId: id },
        100,
      );
      expect(journal.map((e: { kind: string }) => e.kind)).toContain('incident.change_recorded');
    });

    it('records a restore as a task linked to its backup job; the result is the job’s restore test', async () => {
      const id = await incident('Ransomware on the file share');
      const job = await api('POST', '/backups', lead, {
        name: 'Nightly file share',
        system: 'fileshare',
        rpoMinutes: 1440,
        rtoMinutes: 240,
        lastSuccessAt: new Date(Date.now() - 3_600_000).toISOString(),
      });
      expect(job.statusCode).toBe(201);
      const jobId: string = job.json().id;
      expect(job.json().problems).toContain('restore_never_tested');

      const restore = await api('POST', `/incidents/${id}/restores`, analyst, {
        backupJobId: jobId,
        restorePointLabel: 'nightly-2026-12-02',
      });
      expect(restore.statusCode).toBe(201);
      expect(restore.json()).toMatchObject({ status: 'pending', backupJobId: jobId });
      const tasks = (await api('GET', `/incidents/${id}/tasks`, viewer)).json();
      expect(tasks).toEqual([
        expect.objectContaining({
          id: restore.json().taskId,
          phase: 'recovered',
          status: 'open',
          title: 'Restore Nightly file share from nightly-2026-12-02',
        }),
      ]);
      const url = `/incidents/${id}/restores/${restore.json().id}/result`;
      const failed = await api('POST', url, analyst, {
        status: 'failed',
        detail: 'archive corrupt',
      });
      expect(failed.json()).toMatchObject({ status: 'failed', detail: 'archive corrupt' });
      const jobAfterFailure = (await api('GET', '/backups', viewer))
        .json()
        .find((j: { id: string }) => j.id === jobId);
      expect(jobAfterFailure).toMatchObject({ lastRestoreTestPassed: false });
      expect(jobAfterFailure.problems).toContain('restore_test_failed');
      expect((await api('GET', `/incidents/${id}/tasks`, viewer)).json()[0].status).toBe('open');

      const succeeded = await api('POST', url, analyst, {
        status: 'succeeded',
        restorePointLabel: 'nightly-2026-12-01',
      });
      expect(succeeded.json()).toMatchObject({
        status: 'succeeded',
        restorePointLabel: 'nightly-2026-12-01',
      });
      const jobAfter = (await api('GET', '/backups', viewer))
        .json()
        .find((j: { id: string }) => j.id === jobId);
      expect(jobAfter.lastRestoreTestPassed).toBe(true);
      expect(Date.parse(jobAfter.lastRestoreTestAt)).toBeGreaterThan(Date.now() - 60_000);
      expect(jobAfter.problems).toEqual([]);
      expect((await api('GET', `/incidents/${id}/tasks`, viewer)).json()[0].status).toBe('done');
      expect((await api('POST', url, analyst, { status: 'failed' })).statusCode).toBe(409);
      const other = await api('POST', `/incidents/${id}/restores`, analyst, {
        backupJobId: '00000000-0000-4000-8000-000000000000',
      });
      expect(other.statusCode).toBe(404);
    });

    it('refuses to release containment until the checklist holds, then queues the release; the recovered guard waits for it', async () => {
      const id = await incident('Brute force, isolated host');
      const agentId = 'agent-web01';
      const isolation = await appliedIsolation(id, agentId);
      const plan = (await api('GET', `/incidents/${id}/release`, viewer)).json();
      expect(plan).toMatchObject({ ready: false, isolations: [{ agentId, actionId: isolation }] });
      expect(plan.checklist.map((e: { holds: boolean }) => e.holds)).toEqual([false, false, false]);

      const refused = await api('POST', `/incidents/${id}/release`, responder, {});
      expect(refused.statusCode).toBe(422);
      expect(refused.json().error.code).toBe('guard_failed');
      expect(refused.json().error.details.unmet).toHaveLength(3);
      const notLead = await api('POST', `/incidents/${id}/release`, responder, {
        overrideJustification: 'business needs the host back now',
      });
      expect(notLead.statusCode).toBe(403);
      expect((await api('POST', `/incidents/${id}/release`, analyst, {})).statusCode).toBe(403);

      await walk(id, ['identified', 'contained', 'analysed']);
      const eradication = await api('POST', `/incidents/${id}/tasks`, analyst, {
        phase: 'eradicated',
        title: 'Remove the attacker key',
      });
      await api('PATCH', `/incidents/${id}/tasks/${eradication.json().id}`, analyst, {
        status: 'done',
      });
      await walk(id, ['eradicated']);
      const rehunt = await api('POST', `/incidents/${id}/verification/checks`, analyst, {
        kind: 'rehunt',
        repeat: { everyMinutes: 60, forDays: 7 },
      });
      expect(rehunt.statusCode).toBe(201);
      const stillNoRestore = (await api('GET', `/incidents/${id}/release`, viewer)).json();
      expect(stillNoRestore.checklist.map((e: { holds: boolean }) => e.holds)).toEqual([
        true,
        false,
        true,
      ]);

      const released = await api('POST', `/incidents/${id}/release`, responder, {
        noRestoreReason: 'no data was touched',
      });
      expect(released.statusCode).toBe(201);
      expect(released.json()).toMatchObject({ overrideJustification: null });
      expect(released.json().actionIds).toHaveLength(1);
      const releaseAction = await t.server.containment.queue.get(
        tenantId,
        released.json().actionIds[0],
      );
      expect(releaseAction).toMatchObject({
        agentId,
        incidentId: id,
        action: { kind: 'release' },
        state: 'approved',
      });

      // The agent has not applied the release yet: the recovered guard says so.
      await api('POST', `/incidents/${id}/tasks`, analyst, {
        phase: 'recovered',
        title: 'Owner confirms service',
      }).then((r) =>
        api('PATCH', `/incidents/${id}/tasks/${r.json().id}`, analyst, { status: 'done' }),
      );
      const early = await moveTo(id, 'recovered');
      expect(early.statusCode).toBe(422);
      expect(early.json().error.details.unmet).toEqual([
        'no change record (what was changed so that it does not happen again)',
        '1 hosts still isolated (release containment)',
      ]);
      await api('POST', `/incidents/${id}/changes`, analyst, {
        area: 'system',
        title: 'Key-only SSH',
        reason: 'password guessed',
        changedBy: 'client IT',
        finding: 'root_cause',
      });
      const queue = t.server.containment.queue;
      await queue.transition(tenantId, releaseAction!.id, 'sent', 'gateway');
      await queue.transition(tenantId, releaseAction!.id, 'applied', `agent:${agentId}`);
      await queue.transition(tenantId, isolation, 'reverted', `agent:${agentId}`);
      expect((await moveTo(id, 'recovered')).statusCode).toBe(200);
      expect((await api('GET', `/incidents/${id}/releases`, viewer)).json()).toHaveLength(1);
    });

    it('re-hunts clean, then dirty: the dirty run fails, names what it found and sends the incident back', async () => {
      const id = await incident('Brute force, re-hunt');
      await api('POST', `/incidents/${id}/observables`, analyst, {
        kind: 'user',
        value: 'backdoor',
      });
      await walk(id, ['identified', 'contained', 'analysed']);
      for (const phase of ['eradicated', 'recovered'] as const) {
        const task = await api('POST', `/incidents/${id}/tasks`, analyst, {
          phase,
          title: `${phase} work`,
        });
        await api('PATCH', `/incidents/${id}/tasks/${task.json().id}`, analyst, { status: 'done' });
        if (phase === 'recovered')
          await api('POST', `/incidents/${id}/changes`, analyst, {
            area: 'system',
            title: 'Account removed',
            reason: 'backdoor account',
            changedBy: 'SOC',
            finding: 'root_cause',
          });
        await walk(id, [phase]);
      }
      expect(
        (
          await api('POST', `/incidents/${id}/verification/checks`, analyst, {
            kind: 'rehunt',
            reopens: 'verified',
          })
        ).statusCode,
      ).toBe(400);
      const check = await api('POST', `/incidents/${id}/verification/checks`, analyst, {
        kind: 'rehunt',
      });
      expect(check.json()).toMatchObject({ kind: 'rehunt', reopens: 'analysed', lastStatus: null });
      const checkId: string = check.json().id;

      const notRun = await moveTo(id, 'verified');
      expect(notRun.json().error.details.unmet).toEqual([
        'check "Re-hunt the observables and rules since recovery" not run',
      ]);

      const recoveredAt = Date.parse(
        (await api('GET', `/incidents/${id}`, viewer)).json().phaseTimes.recovered,
      );
      const event = (ip: string, user: string, ms: number) => ({
        '@timestamp': new Date(ms).toISOString(),
        event: { kind: 'event', dataset: 'system.auth', outcome: 'success' },
        message: `Accepted password for ${user} from ${ip} port 22 ssh2`,
        host: { name: 'web01' },
        user: { name: user },
        source: { ip },
        related: { ip: [ip], user: [user] },
      });
      await t.server.store.events.appendBatch(tenantId, {
        batchId: `clean-${id}`,
        events: [
          event('198.51.100.7', 'alice', recoveredAt + 1),
          event('203.0.113.50', 'bob', recoveredAt - 86_400_000),
        ],
      });
      const clean = await api(
        'POST',
        `/incidents/${id}/verification/checks/${checkId}/runs`,
        analyst,
      );
      expect(clean.statusCode).toBe(201);
      expect(clean.json()).toMatchObject({ status: 'passed', reason: null });
      expect(clean.json().findings).toMatchObject({ terms: 2, observableHits: [] });

      await t.server.store.events.appendBatch(tenantId, {
        batchId: `dirty-${id}`,
        events: [event('203.0.113.50', 'backdoor', recoveredAt + 2)],
      });
      const dirty = await api(
        'POST',
        `/incidents/${id}/verification/checks/${checkId}/runs`,
        analyst,
      );
      expect(dirty.json()).toMatchObject({ status: 'failed' });
      expect(dirty.json().reason).toBe(
        'user backdoor seen in 1 events; ip 203.0.113.50 seen in 1 events',
      );
      const reopened = (await api('GET', `/incidents/${id}`, viewer)).json();
      expect(reopened.phase).toBe('analysed');
      expect(Object.keys(reopened.phaseTimes)).toEqual([
        'detected',
        'identified',
        'contained',
        'analysed',
      ]);
      const transitions = (await api('GET', `/incidents/${id}/transitions`, viewer)).json();
      expect(transitions.at(-1)).toMatchObject({
        from: 'recovered',
        to: 'analysed',
        unmetConditions: [
          expect.stringMatching(/^verification check "Re-hunt.*" failed: user backdoor/),
        ],
      });
      const journal = await t.server.services.journal.list(
        system,
        tenantId,
        { incidentId: id },
        500,
      );
      expect(journal.map((e: { kind: string }) => e.kind)).toEqual(
        expect.arrayContaining([
          'verification.run_passed',
          'verification.run_failed',
          'incident.phase_reopened',
        ]),
      );
      const runs = (
        await api('GET', `/incidents/${id}/verification/runs?checkId=${checkId}`, viewer)
      ).json();
      expect(runs.map((r: { status: string }) => r.status)).toEqual(['failed', 'passed']);
      const checks = (await api('GET', `/incidents/${id}/verification/checks`, viewer)).json();
      expect(checks[0]).toMatchObject({ lastStatus: 'failed', lastRun: { status: 'failed' } });
    });

    it('repeats a scheduled re-hunt from its persisted next run time', async () => {
      const id = await incident('Scheduled re-hunt');
      await walk(id, ['identified', 'contained', 'analysed']);
      for (const phase of ['eradicated', 'recovered'] as const) {
        const task = await api('POST', `/incidents/${id}/tasks`, analyst, {
          phase,
          title: `${phase} work`,
        });
        await api('PATCH', `/incidents/${id}/tasks/${task.json().id}`, analyst, { status: 'done' });
      }
      await api('POST', `/incidents/${id}/changes`, analyst, {
        area: 'process',
        title: 'x',
        reason: 'y',
        changedBy: 'z',
        finding: 'root_cause',
      });
      await walk(id, ['eradicated', 'recovered']);
      const check = await api('POST', `/incidents/${id}/verification/checks`, analyst, {
        kind: 'rehunt',
        observableKinds: ['ip'],
        repeat: { everyMinutes: 60, forDays: 1 },
      });
      const first = Date.parse(check.json().schedule.nextRunAt);
      expect(first).toBeGreaterThan(Date.now() + 59 * 60_000);
      const before = await t.server.recovery.scheduler.tick(first - 1000);
      expect(before.filter((r) => r.incidentId === id)).toEqual([]);
      const runs = await t.server.recovery.scheduler.tick(first + 1000);
      expect(runs.filter((r) => r.incidentId === id)).toEqual([
        expect.objectContaining({ status: 'passed', actor: 'system:verification-scheduler' }),
      ]);
      const after = (await api('GET', `/incidents/${id}/verification/checks`, viewer)).json()[0];
      expect(Date.parse(after.schedule.nextRunAt)).toBe(first + 3_600_000);
      // The last run of the day leaves no next one.
      await t.server.recovery.scheduler.tick(first + 24 * 3_600_000);
      const done = (await api('GET', `/incidents/${id}/verification/checks`, viewer)).json()[0];
      expect(done.schedule.nextRunAt).toBeNull();
    });

    it('closes with the review as lessons learned, and shows the metrics', async () => {
      const id = await incident('Brute force, closed');
      await walk(id, ['identified', 'contained', 'analysed']);
      for (const phase of ['eradicated', 'recovered'] as const) {
        const task = await api('POST', `/incidents/${id}/tasks`, analyst, {
          phase,
          title: `${phase} work`,
        });
        await api('PATCH', `/incidents/${id}/tasks/${task.json().id}`, analyst, { status: 'done' });
      }
      await api('POST', `/incidents/${id}/changes`, analyst, {
        area: 'system',
        title: 'MFA on SSH',
        reason: 'password guessed',
        changedBy: 'client IT',
        finding: 'root_cause',
      });
      await walk(id, ['eradicated', 'recovered']);
      const check = await api('POST', `/incidents/${id}/verification/checks`, analyst, {
        kind: 'rehunt',
      });
      await api('POST', `/incidents/${id}/verification/runs`, analyst);
      expect(
        (await api('GET', `/incidents/${id}/verification/checks`, viewer)).json()[0].lastStatus,
      ).toBe('passed');
      expect(check.statusCode).toBe(201);
      await walk(id, ['verified']);

      const noReview = await api('POST', `/incidents/${id}/transitions`, analyst, {
        to: 'closed',
        closureReason: 'resolved',
      });
      expect(noReview.json().error.details.unmet).toEqual(['no lessons learned recorded']);
      const due = new Date(Date.now() + 14 * 86_400_000).toISOString();
      const badReview = await api('PUT', `/incidents/${id}/review`, analyst, {
        whatHappened: 'x',
        whatWorked: 'y',
        whatToChange: 'z',
        followUps: [{ title: 'Audit SSH exposure', due }],
      });
      expect(badReview.statusCode).toBe(400);
      const review = await api('PUT', `/incidents/${id}/review`, analyst, {
        whatHappened: 'Password guessing over SSH from 203.0.113.50 succeeded on web01.',
        whatWorked: 'Auto-isolation within a minute of the alert.',
        whatToChange: 'No password logins on internet-facing hosts.',
        followUps: [{ title: 'Audit SSH exposure of every client', owner: 'SOC lead', due }],
      });
      expect(review.statusCode).toBe(200);
      expect(review.json().followUps).toEqual([
        { title: 'Audit SSH exposure of every client', owner: 'SOC lead', due, done: false },
      ]);
      const closed = await api('POST', `/incidents/${id}/transitions`, analyst, {
        to: 'closed',
        closureReason: 'resolved',
      });
      expect(closed.statusCode).toBe(200);
      const summary = (await api('GET', `/incidents/${id}/closure`, viewer)).json();
      expect(summary).toMatchObject({
        phase: 'closed',
        reopened: 0,
        changeRecords: 1,
        checks: { total: 1, passing: 1 },
        openFollowUps: 1,
        review: { whatWorked: 'Auto-isolation within a minute of the alert.' },
      });
      for (const key of [
        'timeToAcknowledgeMs',
        'timeToIdentifyMs',
        'timeToContainMs',
        'timeToEradicateMs',
        'timeToRecoverMs',
        'timeToVerifyMs',
        'timeToCloseMs',
      ])
        expect(summary.metrics[key], key).toBeGreaterThanOrEqual(0);
      expect(summary.metrics.timeToCloseMs).toBeGreaterThanOrEqual(summary.metrics.timeToVerifyMs);
      // After closure the follow-ups may be ticked off, the review text stays.
      const ticked = await api('PUT', `/incidents/${id}/review`, analyst, {
        ...review.json(),
        followUps: [
          { title: 'Audit SSH exposure of every client', owner: 'SOC lead', due, done: true },
        ],
        incidentId: undefined,
        author: undefined,
        createdAt: undefined,
        updatedAt: undefined,
      });
      expect(ticked.statusCode).toBe(200);
      expect((await api('GET', `/incidents/${id}/closure`, viewer)).json().openFollowUps).toBe(0);
    });

    it('replays the detection that opened the incident: it fires, and fails once an exclusion silences it', async () => {
      const replayTenant = (await t.server.services.access.createTenant(system, 'Replay')).id;
      const as = (role: 'incident_lead' | 'ingest') => t.token(replayTenant, role).then(bearer);
      const leadB = await as('incident_lead');
      const call = (method: 'GET' | 'POST', url: string, payload?: object, headers = leadB) =>
        t.server.app.inject({
          method,
          url: `/api/v1/tenants/${replayTenant}${url}`,
          headers,
          ...(payload ? { payload } : {}),
        });
      const ruleId = '5f0c3c3e-0000-4000-8000-00000000beef';
      const rule = await call('POST', '/detection/rules', {
        yaml: `title: replay victim logon failure\nid: ${ruleId}\nlogsource:\n  product: windows\n  service: security\ndetection:\n  sel:\n    EventID: 4625\n    TargetUserName: replay-victim\n  condition: sel\nlevel: high\n`,
      });
      expect(rule.statusCode, rule.body).toBe(201);
      const ingested = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: { ...(await as('ingest')), 'content-type': 'application/x-ndjson' },
        payload: `${JSON.stringify({
          '@timestamp': new Date().toISOString(),
          winlog: {
            channel: 'Security',
            computer_name: 'WS7.corp.example',
            event_id: 4625,
            provider_name: 'Microsoft-Windows-Security-Auditing',
            event_data: { TargetUserName: 'replay-victim', LogonType: '3' },
          },
        })}\n`,
      });
      expect(ingested.statusCode, ingested.body).toBe(200);
      let id = '';
      await expect
        .poll(
          async () => {
            const items = (await call('GET', '/incidents')).json().items as { id: string }[];
            id = items[0]?.id ?? '';
            return items.length;
          },
          { timeout: 60_000, interval: 200 },
        )
        .toBe(1);
      const check = await call('POST', `/incidents/${id}/verification/checks`, {
        kind: 'detection_replay',
      });
      expect(check.json()).toMatchObject({ reopens: 'eradicated' });
      const run = () =>
        call('POST', `/incidents/${id}/verification/checks/${check.json().id}/runs`);
      const fired = (await run()).json();
      expect(fired).toMatchObject({ status: 'passed' });
      expect(fired.findings.alerts).toEqual([
        expect.objectContaining({ ruleId, events: 1, fired: true }),
      ]);
      const exclusion = await call('POST', '/detection/exclusions', {
        ruleId,
        reason: 'too noisy (a weakening the replay must catch)',
      });
      expect(exclusion.statusCode, exclusion.body).toBe(201);
      const silent = (await run()).json();
      expect(silent).toMatchObject({ status: 'failed' });
      expect(silent.reason).toMatch(
        new RegExp(`^rule ${ruleId} no longer fires on the events of alert `),
      );
    }, 90_000);

    it('refuses a reachability check towards an undocumented address, and a user-requested probe action', async () => {
      const id = await incident('Reachability refusal');
      await t.server.services.preparation.assets.create(system, tenantId, {
        name: 'web01',
        kind: 'server',
        addresses: ['198.18.0.10'],
      });
      const agent = {
        agentId: 'agent-probe',
        tenantId,
      };
      await t.server.store.transaction(async (uow) =>
        uow.forTenant(tenantId).containment.agents.put({
          ...agent,
          publicKey: 'x',
          enrolledAt: Date.now(),
          lastSeenAt: Date.now(),
          online: false,
          telemetrySeq: 0,
          facts: {
            hostname: 'probe',
            os: { platform: 'linux', release: '6' },
            addresses: { v4: ['198.18.0.20'], v6: [] },
            agentVersion: 'test',
            isolated: false,
          },
          identity: { hostname: 'probe', addresses: { v4: ['198.18.0.20'], v6: [] } },
        }),
      );
      const before = (await t.server.containment.queue.list(tenantId, { incidentId: id })).length;
      const refused = await api('POST', `/incidents/${id}/verification/checks`, analyst, {
        kind: 'reachability',
        agentId: 'agent-probe',
        probes: [
          { address: '198.18.0.10', port: 22, expect: 'unreachable' },
          { address: '192.0.2.99', port: 443, expect: 'unreachable' },
        ],
      });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.details.undocumented).toEqual(['192.0.2.99']);
      // Documented, it is accepted; running it sends an agent action, which an analyst may not.
      const accepted = await api('POST', `/incidents/${id}/verification/checks`, analyst, {
        kind: 'reachability',
        agentId: 'agent-probe',
        probes: [{ address: '198.18.0.10', port: 22, expect: 'unreachable' }],
      });
      expect(accepted.statusCode).toBe(201);
      const byAnalyst = await api(
        'POST',
        `/incidents/${id}/verification/checks/${accepted.json().id}/runs`,
        analyst,
      );
      expect(byAnalyst.statusCode).toBe(403);
      expect((await api('POST', `/incidents/${id}/verification/runs`, analyst)).statusCode).toBe(
        403,
      );
      expect((await t.server.containment.queue.list(tenantId, { incidentId: id })).length).toBe(
        before,
      );
      const direct = await api('POST', '/actions', lead, {
        host: 'agent-probe',
        action: {
          kind: 'reachability-test',
          probes: [{ address: '192.0.2.99', port: 443 }],
          timeoutMs: 500,
        },
      });
      expect(direct.statusCode).toBe(400);

      // A lead may run it; with its agent offline the run stays running until the deadline,
      // then the scheduler ends it as an error that says why, instead of running for ever.
      const started = await api(
        'POST',
        `/incidents/${id}/verification/checks/${accepted.json().id}/runs`,
        lead,
      );
      expect(started.statusCode, started.body).toBe(201);
      expect(started.json()).toMatchObject({ status: 'running' });
      const { verification } = t.server.recovery;
      const early = await verification.runDue(Date.now() + 60_000);
      expect(early.map((r) => r.id)).not.toContain(started.json().id);
      const late = await verification.runDue(Date.now() + 16 * 60_000);
      expect(late.find((r) => r.id === started.json().id)).toMatchObject({
        status: 'error',
        reason: expect.stringMatching(/^no result from the agent within 15 minutes/),
      });
      const runs = await api(
        'GET',
        `/incidents/${id}/verification/runs?checkId=${accepted.json().id}`,
        lead,
      );
      expect(runs.json()).toEqual([
        expect.objectContaining({ id: started.json().id, status: 'error' }),
      ]);
    });
  });
}
