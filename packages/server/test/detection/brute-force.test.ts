/**
 * The brute-force scenario end to end, as a client's bastion would produce it: sshd failure
 * lines from one address against one host, sent as syslog over a real TCP socket to a real
 * server (its own listener, pipeline, event store and consumers) → the SSH brute-force
 * correlation alert → an incident in the detected phase with the origin address and the
 * affected host as observables, its journal entries, and the incident listeners told.
 * Noise beside it (another source below the threshold, successful logins) raises nothing.
 */
import type { Alert, Incident } from '@cordon/core';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RaisedIncident } from '../../src/pipeline/contracts.ts';
import { sendStream } from '../ingest/ingest-test-support.ts';
import type { TestServer } from '../test-server.ts';
import { startTestServer, system } from '../test-server.ts';

const ATTACKER = '198.51.100.23';

function sshdLine(n: number, source: string, user: string): string {
  const second = String(n % 60).padStart(2, '0');
  return `<38>Oct 11 22:14:${second} bastion sshd[${4100 + n}]: Failed password for ${user} from ${source} port ${50000 + n} ssh2`;
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`SSH brute force over syslog (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    const heard: RaisedIncident[] = [];
    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'acme')).id;
      t.server.incidentListeners.push(async (raised) => void heard.push(raised));
    });
    afterAll(async () => t?.dispose());

    it('raises one correlation alert and opens an incident with origin and host', async () => {
      const listener = await t.server.ingestion.addListener({
        transport: 'tcp',
        host: '127.0.0.1',
        port: 0,
        tenant: tenantId,
      });
      const users = ['root', 'admin', 'ubuntu', 'oracle', 'test', 'pi'];
      const lines = [
        ...Array.from({ length: 14 }, (_, n) =>
          sshdLine(n * 3, ATTACKER, users[n % users.length]!),
        ),
        // a user mistyping twice from the office, and a successful deploy: not an attack
        sshdLine(5, '192.0.2.10', 'alice'),
        sshdLine(6, '192.0.2.10', 'alice'),
        '<38>Oct 11 22:14:50 bastion sshd[4300]: Accepted publickey for deploy from 192.0.2.11 port 50100 ssh2: ED25519 SHA256:abc',
      ];
      const text = lines.join('\n') + '\n';
      // split the stream mid-line, as TCP may deliver it
      await sendStream(listener.port, [text.slice(0, 333), text.slice(333)]);

      const alert = await waitFor<Alert>('the brute-force alert', async () => {
        const page = await t.server.detection.alerts.list(
          system,
          tenantId,
          {},
          { limit: 10, offset: 0 },
        );
        return page.items.find((a) => a.incidentId !== null);
      });
      // give the pipeline a moment to deliver anything else it would raise
      await new Promise((resolve) => setTimeout(resolve, 300));
      const all = await t.server.detection.alerts.list(
        system,
        tenantId,
        {},
        { limit: 10, offset: 0 },
      );
      expect(all.items.map((a) => a.ruleTitle)).toEqual(['SSH Brute Force Against a Host']);
      expect(alert).toMatchObject({
        level: 'high',
        status: 'open',
        entities: { hosts: ['bastion'], sourceIps: [ATTACKER] },
      });
      expect(alert.eventCount).toBe(10);
      expect(alert.eventIds).toHaveLength(10);

      const { incidents } = t.server.services;
      const incident: Incident = await incidents.get(system, tenantId, alert.incidentId!);
      expect(incident).toMatchObject({
        phase: 'detected',
        severity: 'high',
        affectedAssets: ['bastion'],
        origins: [{ address: ATTACKER, scope: 'external' }],
        attackTechniques: ['T1110.001'],
      });
      expect(incident.title).toBe(`SSH Brute Force Against a Host on bastion from ${ATTACKER}`);
      const observables = await incidents.observables(system, tenantId, incident.id);
      expect(observables.map((o) => `${o.kind}:${o.value}`).sort()).toEqual([
        'host:bastion',
        `ip:${ATTACKER}`,
      ]);
      expect(await incidents.alertLinks(system, tenantId, incident.id)).toEqual([alert.id]);

      const journal = await t.server.store.transaction(async (uow) =>
        uow.forTenant(tenantId).journal.list({}, 100),
      );
      const kinds = journal.map((e) => e.kind);
      for (const kind of [
        'alert.raised',
        'incident.created',
        'incident.alert_linked',
        'alert.grouped',
        'incident.observable_recorded',
      ])
        expect(kinds, kind).toContain(kind);
      expect(journal.find((e) => e.kind === 'alert.raised')?.actor).toBe('system:detection');

      // the alert's event references are the stored sshd events
      const stored = await t.server.store.events.getEvent(tenantId, alert.eventIds[0]!);
      expect(stored).toBeDefined();

      await waitFor('the incident listener', async () => (heard.length > 0 ? true : undefined));
      expect(heard).toHaveLength(1);
      expect(heard[0]).toMatchObject({
        tenantId,
        opened: true,
        hosts: ['bastion'],
        originIps: [ATTACKER],
      });
      expect(heard[0]!.incident.id).toBe(incident.id);
      expect(t.server.detection.service.stats.batches).toBeGreaterThan(0);
      const metrics = await t.server.app.inject({ method: 'GET', url: '/metrics' });
      expect(metrics.body).toMatch(/^cordon_detection_batch_seconds_count [1-9]/m);
      expect(metrics.body).toMatch(/^cordon_detection_events_total 17$/m);
    });
  });
}
