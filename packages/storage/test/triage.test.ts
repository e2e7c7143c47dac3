/**
 * Triage on a real database, both dialects: repeats merge into one alert with a count, a
 * suppression stores the alert as suppressed instead of raising it, related alerts join the
 * open incident (observables, alert links, journal entries in the same transaction), a
 * low-level alert alone opens nothing, and a closed incident takes no further alerts.
 */
import type { Clock, Detection, Principal } from '@cordon/core';
import { AccessService, AlertService, LoginThrottle, TriageService } from '@cordon/core';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const system: Principal = { kind: 'system', name: 'test' };
const MIN = 60_000;
const T0 = Date.UTC(2025, 5, 1, 10, 0, 0);

function detection(overrides: Partial<Detection> & { at?: number } = {}): Detection {
  const at = overrides.at ?? T0;
  const fields: Record<string, string> = { 'source.ip': '198.51.100.23', 'host.name': 'bastion' };
  return {
    ruleId: 'rule-ssh',
    ruleName: 'ssh_brute',
    ruleTitle: 'SSH Brute Force',
    level: 'high',
    tags: ['attack.credential-access', 'attack.t1110.001'],
    source: 'server',
    entities: { hosts: ['bastion'], users: [], sourceIps: ['198.51.100.23'], ips: [] },
    firstSeen: at,
    lastSeen: at,
    eventIds: [`ev-${at}`],
    eventCount: 10,
    lookup: (field) => fields[field],
    ...overrides,
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`triage on ${dialect}`, () => {
    let t: TestStore;
    let now = T0 + 5 * MIN;
    const clock: Clock = { now: () => now };
    let tenantId: string;
    let triage: TriageService;
    let alerts: AlertService;

    beforeEach(async () => {
      t = await openTestStore(dialect, clock);
      tenantId = (
        await new AccessService(t.store, clock, new LoginThrottle()).createTenant(system, 'Acme')
      ).id;
      triage = new TriageService(t.store, clock);
      alerts = new AlertService({
        store: t.store,
        clock,
        validateRules: async () => ({ title: 'x', ruleIds: ['x'] }),
      });
    });
    afterEach(async () => t.dispose());

    const journalKinds = async (): Promise<string[]> =>
      t.store.transaction(async (uow) =>
        (await uow.forTenant(tenantId).journal.list({}, 1000)).map((e) => e.kind),
      );

    it('opens an incident in the detected phase with observables, link and journal entries', async () => {
      const outcome = await triage.triage(tenantId, [detection()]);
      expect(outcome).toMatchObject({ raised: 1, merged: 0, suppressed: 0 });
      expect(outcome.incidents).toHaveLength(1);
      const [raised] = outcome.incidents;
      expect(raised).toMatchObject({
        opened: true,
        hosts: ['bastion'],
        originIps: ['198.51.100.23'],
        eventIds: [`ev-${T0}`],
      });
      const incident = raised!.incident;
      expect(incident).toMatchObject({
        phase: 'detected',
        severity: 'high',
        title: 'SSH Brute Force on bastion from 198.51.100.23',
        affectedAssets: ['bastion'],
        attackTechniques: ['T1110.001'],
        origins: [{ address: '198.51.100.23', scope: 'external' }],
        firstActivityAt: T0,
      });
      const { observables, links, alert } = await t.store.transaction(async (uow) => {
        const scope = uow.forTenant(tenantId);
        return {
          observables: await scope.observables.list(incident.id),
          links: await scope.alertLinks.list(incident.id),
          alert: (await scope.detection.alerts.list({}, { limit: 10, offset: 0 })).items[0]!,
        };
      });
      expect(observables.map((o) => `${o.kind}:${o.value}`).sort()).toEqual([
        'host:bastion',
        'ip:198.51.100.23',
      ]);
      expect(links.map((l) => l.alertId)).toEqual([alert.id]);
      expect(alert).toMatchObject({ status: 'open', incidentId: incident.id, count: 1 });
      expect(await journalKinds()).toEqual([
        'tenant.created',
        'alert.raised',
        'incident.created',
        'incident.alert_linked',
        'alert.grouped',
        'incident.observable_recorded',
        'incident.observable_recorded',
      ]);
    });

    it('merges repeats of the same rule and entities within the window, not after', async () => {
      await triage.triage(tenantId, [detection()]);
      const second = await triage.triage(tenantId, [
        detection({ at: T0 + 5 * MIN }),
        detection({ at: T0 + 10 * MIN }),
      ]);
      expect(second).toMatchObject({ raised: 0, merged: 2 });
      // the incident is reported again (grown), not opened
      expect(second.incidents.map((i) => i.opened)).toEqual([false]);
      const page = await alerts.list(system, tenantId, {}, { limit: 10, offset: 0 });
      expect(page.total).toBe(1);
      expect(page.items[0]).toMatchObject({
        count: 3,
        eventCount: 30,
        firstSeen: T0,
        lastSeen: T0 + 10 * MIN,
        eventIds: [`ev-${T0}`, `ev-${T0 + 5 * MIN}`, `ev-${T0 + 10 * MIN}`],
      });
      expect((await journalKinds()).filter((k) => k === 'alert.merged')).toHaveLength(1);
      // 16 minutes after the last one: a new alert, grouped into the same incident.
      const later = await triage.triage(tenantId, [detection({ at: T0 + 26 * MIN })]);
      expect(later).toMatchObject({ raised: 1, merged: 0 });
      expect(later.incidents[0]).toMatchObject({ opened: false });
      const all = await alerts.list(system, tenantId, {}, { limit: 10, offset: 0 });
      expect(all.total).toBe(2);
      expect(new Set(all.items.map((a) => a.incidentId)).size).toBe(1);
    });

    it('folds repeats inside one batch before querying: one alert, one raised entry', async () => {
      const outcome = await triage.triage(tenantId, [
        detection(),
        detection({ at: T0 + MIN }),
        detection({ at: T0 + 2 * MIN }),
        // beyond the merge window of the others: an alert of its own
        detection({ at: T0 + 20 * MIN }),
      ]);
      expect(outcome).toMatchObject({ raised: 2, merged: 2 });
      const page = await alerts.list(system, tenantId, {}, { limit: 10, offset: 0 });
      expect(page.items.map((a) => [a.count, a.eventIds.length, a.eventCount])).toEqual([
        [1, 1, 10],
        [3, 3, 30],
      ]);
      const kinds = await journalKinds();
      expect(kinds.filter((k) => k === 'alert.raised')).toHaveLength(2);
      expect(kinds).not.toContain('alert.merged');
    });

    it('stores a suppressed alert instead of raising it, until the suppression expires', async () => {
      const suppression = await alerts.addSuppression(system, tenantId, {
        ruleId: 'ssh_brute',
        fields: { 'source.ip': ['198.51.100.*'] },
        reason: 'authorised penetration test',
        expiresAt: now + 60 * MIN,
      });
      const outcome = await triage.triage(tenantId, [detection()]);
      expect(outcome).toMatchObject({ raised: 0, suppressed: 1, incidents: [] });
      const [alert] = (
        await alerts.list(system, tenantId, { status: 'suppressed' }, { limit: 5, offset: 0 })
      ).items;
      expect(alert).toMatchObject({ suppressionId: suppression.id, incidentId: null });
      expect((await alerts.suppressions(system, tenantId))[0]).toMatchObject({ hits: 1 });
      expect(await journalKinds()).toContain('alert.suppressed');
      // Another source is not covered.
      const other = await triage.triage(tenantId, [
        detection({
          entities: { hosts: ['bastion'], users: [], sourceIps: ['203.0.113.7'], ips: [] },
          lookup: (f) => ({ 'source.ip': '203.0.113.7' })[f],
        }),
      ]);
      expect(other).toMatchObject({ raised: 1, suppressed: 0 });
      // After expiry the same detection raises.
      now += 2 * 60 * MIN;
      const expired = await triage.triage(tenantId, [detection({ at: T0 + 100 * MIN })]);
      expect(expired).toMatchObject({ raised: 1, suppressed: 0 });
    });

    it('groups related alerts (shared host or user) into the open incident; low alone opens none', async () => {
      const low = await triage.triage(tenantId, [
        detection({
          ruleId: 'rule-recon',
          ruleName: undefined,
          ruleTitle: 'Whoami Executed',
          level: 'low',
          entities: { hosts: ['ws-17'], users: ['jdoe'], sourceIps: [], ips: [] },
        }),
      ]);
      expect(low).toMatchObject({ raised: 1, incidents: [] });
      const high = await triage.triage(tenantId, [
        detection({
          ruleId: 'rule-mimikatz',
          ruleTitle: 'Mimikatz Use',
          entities: { hosts: ['ws-17'], users: ['jdoe'], sourceIps: [], ips: [] },
          at: T0 + MIN,
        }),
        detection({
          ruleId: 'rule-lateral',
          ruleTitle: 'Remote Service Creation',
          level: 'critical',
          entities: { hosts: ['srv-db'], users: ['jdoe'], sourceIps: [], ips: [] },
          at: T0 + 2 * MIN,
        }),
      ]);
      expect(high.incidents).toHaveLength(1);
      const incident = high.incidents[0]!.incident;
      // the critical alert joined through the shared user and raised the severity
      expect(incident).toMatchObject({ severity: 'critical', affectedAssets: ['ws-17', 'srv-db'] });
      const linked = await alerts.list(
        system,
        tenantId,
        { incidentId: incident.id },
        { limit: 10, offset: 0 },
      );
      expect(linked.items.map((a) => a.ruleId).sort()).toEqual(['rule-lateral', 'rule-mimikatz']);
      // filter by host
      const byHost = await alerts.list(
        system,
        tenantId,
        { host: 'WS-17' },
        { limit: 10, offset: 0 },
      );
      expect(byHost.items.map((a) => a.ruleId).sort()).toEqual(['rule-mimikatz', 'rule-recon']);
    });

    it('acknowledges and closes alerts with journal entries; refuses a bad close', async () => {
      await triage.triage(tenantId, [detection()]);
      const [alert] = (await alerts.list(system, tenantId, {}, { limit: 1, offset: 0 })).items;
      expect(await alerts.acknowledge(system, tenantId, alert!.id)).toMatchObject({
        status: 'acknowledged',
      });
      await expect(alerts.close(system, tenantId, alert!.id, '  ')).rejects.toThrow(/reason/);
      expect(await alerts.close(system, tenantId, alert!.id, 'benign')).toMatchObject({
        status: 'closed',
        closedReason: 'benign',
      });
      await expect(alerts.acknowledge(system, tenantId, alert!.id)).rejects.toThrow(/closed/);
      const kinds = await journalKinds();
      expect(kinds).toContain('alert.acknowledged');
      expect(kinds).toContain('alert.closed');
      // a closed alert no longer absorbs repeats
      const again = await triage.triage(tenantId, [detection({ at: T0 + MIN })]);
      expect(again).toMatchObject({ raised: 1, merged: 0 });
    });
  });
}
