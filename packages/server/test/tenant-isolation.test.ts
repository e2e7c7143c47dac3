/**
 * Walks every registered route with tenant B's credentials and tenant A's ids, and expects
 * 403 or 404 with none of A's data in the answer. Routes come from the server itself, so a
 * route added later without an entry here fails this test until someone decides how it is
 * scoped and adds a request for it.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { TriageService, systemClock } from '@cordon/core';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

/** A valid body for each route that takes one, so that validation never hides the tenant check. */
const bodies: Record<string, object> = {
  'POST /api/v1/tenants': { name: 'Intruder Inc' },
  'POST /api/v1/tenants/:tenantId/deadletters/replay': { all: true },
  'POST /api/v1/tenants/:tenantId/events/search': { query: 'A-secret*' },
  'POST /api/v1/tenants/:tenantId/events/count': {},
  'POST /api/v1/tenants/:tenantId/events/terms': { field: 'host.name' },
  'POST /api/v1/tenants/:tenantId/events/histogram': {},
  'PUT /api/v1/tenants/:tenantId/events/retention': { days: 1 },
  'POST /api/v1/tenants/:tenantId/members': {
    email: 'mole@example.com',
    password: 'correct horse battery staple',
    role: 'analyst',
  },
  'POST /api/v1/tenants/:tenantId/tokens': { role: 'analyst' },
  'POST /api/v1/tenants/:tenantId/incidents': { title: 'planted', severity: 'low' },
  'PATCH /api/v1/tenants/:tenantId/incidents/:incidentId': { summary: 'overwritten' },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/transitions': {
    to: 'identified',
    overrideJustification: 'cross-tenant attempt',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/notes': { body: 'planted note' },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/observables': {
    kind: 'ip',
    value: '192.0.2.1',
  },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/alerts': { alertId: 'planted' },
  'POST /api/v1/tenants/:tenantId/incidents/:incidentId/tasks': {
    phase: 'eradicated',
    title: 'planted',
  },
  'PATCH /api/v1/tenants/:tenantId/incidents/:incidentId/tasks/:taskId': { status: 'done' },
  'POST /api/v1/tenants/:tenantId/segments': {
    name: 'planted',
    cidr: '192.0.2.0/24',
    zone: 'user',
  },
  'POST /api/v1/tenants/:tenantId/assets': { name: 'planted', kind: 'server' },
  'PATCH /api/v1/tenants/:tenantId/assets/:assetId': { owner: 'intruder' },
  'POST /api/v1/tenants/:tenantId/relations': {
    kind: 'depends_on',
    fromAssetId: '00000000-0000-4000-8000-000000000001',
    toId: '00000000-0000-4000-8000-000000000002',
  },
  'POST /api/v1/tenants/:tenantId/assets/import': {
    format: 'csv',
    content: 'name,kind\nplanted,server\n',
  },
  'POST /api/v1/tenants/:tenantId/reconciliation/resolve': {
    findingId: 'stale:00000000-0000-4000-8000-000000000001',
    action: 'retire',
  },
  'POST /api/v1/tenants/:tenantId/functions': { name: 'planted', mtdMinutes: 60, costPerHour: 1 },
  'POST /api/v1/tenants/:tenantId/backups': {
    name: 'planted',
    rpoMinutes: 60,
    rtoMinutes: 60,
    system: 'x',
  },
  'PATCH /api/v1/tenants/:tenantId/backups/:backupJobId': { offlineCopy: false },
  'POST /api/v1/tenants/:tenantId/plans': { title: 'planted', owner: 'x', body: '# planted' },
  'POST /api/v1/tenants/:tenantId/plans/:planId/versions': { body: '# overwritten' },
  'POST /api/v1/tenants/:tenantId/plans/:planId/review': {},
  'POST /api/v1/tenants/:tenantId/roles': {
    role: 'incident_lead',
    primary: { name: 'Mole', phone: '+1 555 0199', email: null, chat: null },
    backup: null,
  },
  'POST /api/v1/tenants/:tenantId/contacts': {
    kind: 'insurer',
    name: 'planted',
    organisation: null,
    phone: null,
    email: null,
    notes: '',
  },
  'POST /api/v1/tenants/:tenantId/readiness/snapshots': {},
  'POST /api/v1/tenants/:tenantId/oncall': {
    level: 'primary',
    person: { name: 'Mole', phone: '+1 555 0199', email: null, chat: null },
    startsAt: '2030-01-01T00:00:00Z',
    endsAt: '2030-01-01T12:00:00Z',
  },
  'POST /api/v1/tenants/:tenantId/exercises': { kind: 'tabletop', heldAt: '2024-01-01T00:00:00Z' },
  'POST /api/v1/tenants/:tenantId/agents/enrolment-tokens': {},
  'POST /api/v1/tenants/:tenantId/agents/:agentId/release-codes': {},
  'POST /api/v1/tenants/:tenantId/actions': { host: 'A-secret-host', action: { kind: 'isolate' } },
  'POST /api/v1/tenants/:tenantId/actions/:actionId/approve': {},
  'POST /api/v1/tenants/:tenantId/actions/:actionId/deny': { reason: 'cross-tenant attempt' },
  'PUT /api/v1/tenants/:tenantId/containment-policy': { rules: [] },
  'POST /api/v1/tenants/:tenantId/alerts/:alertId/close': { reason: 'cross-tenant attempt' },
  'POST /api/v1/tenants/:tenantId/suppressions': { ruleId: 'x', reason: 'planted' },
  'POST /api/v1/tenants/:tenantId/detection/exclusions': { ruleId: 'x', reason: 'planted' },
  'POST /api/v1/tenants/:tenantId/detection/rules': {
    yaml: 'title: planted\nid: 00000000-0000-4000-8000-00000000abcd\nlogsource: {product: linux}\ndetection: {sel: {a: b}, condition: sel}\n',
  },
  'PATCH /api/v1/tenants/:tenantId/detection/rules/:ruleId': { enabled: false },
};
const rawBodies: Record<string, { contentType: string; query: string; payload: string }> = {
  'POST /api/v1/tenants/:tenantId/evidence': {
    contentType: 'application/octet-stream',
    query: '?filename=planted.bin&collectedFrom=nowhere&method=test',
    payload: 'planted',
  },
};

/** Routes without a tenant in their path: what B may see there. */
const platformRoutes: Record<string, 'own-data-only' | 'forbidden' | 'self'> = {
  'GET /api/v1/tenants': 'own-data-only',
  'POST /api/v1/tenants': 'forbidden',
  'GET /api/v1/auth/me': 'self',
  'POST /api/v1/auth/logout': 'self',
  // Into the caller's own tenant (the token's), or ?tenant= checked like a path tenant.
  'POST /api/v1/ingest': 'self',
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(
    `tenant isolation on every route (${dialect})`,
    () => {
      let t: TestServer;
      const ids: Record<string, string> = {};
      const secrets: string[] = [];
      let tenantB: string;
      beforeAll(async () => {
        t = await startTestServer(dialect);
        const { access, incidents, evidence } = t.server.services;
        const a = await access.createTenant(system, 'Tenant A');
        tenantB = (await access.createTenant(system, 'Tenant B')).id;
        const incident = await incidents.create(system, a.id, {
          title: 'A-secret-incident-title',
          severity: 'high',
        });
        const observable = await incidents.addObservable(system, a.id, incident.id, {
          kind: 'domain',
          value: 'a-secret-domain.example',
        });
        const task = await incidents.addTask(system, a.id, incident.id, {
          phase: 'eradicated',
          title: 'A-secret-task',
        });
        await incidents.addNote(system, a.id, incident.id, 'A-secret-note');
        const item = await evidence.add(
          system,
          a.id,
          { filename: 'A-secret-file.txt', collectedFrom: 'A-host', method: 'copy' },
          Readable.from([Buffer.from('A-secret-evidence-bytes')]),
        );
        const token = await access.createToken(system, {
          tenantId: a.id,
          role: 'analyst',
          name: 'A-secret-token-name',
        });
        const { assets, continuity, responsePlan } = t.server.services.preparation;
        const server = await assets.create(system, a.id, {
          name: 'A-secret-server',
          kind: 'server',
        });
        const peer = await assets.create(system, a.id, { name: 'A-secret-peer', kind: 'server' });
        const relation = await assets.relate(system, a.id, {
          kind: 'redundant_with',
          fromAssetId: server.id,
          toId: peer.id,
        });
        const backup = await continuity.createBackupJob(system, a.id, {
          name: 'A-secret-backup',
          assetId: server.id,
          rpoMinutes: 60,
          rtoMinutes: 60,
        });
        const plan = await responsePlan.createPlan(system, a.id, {
          title: 'A-secret-plan',
          owner: 'A-secret-owner',
          body: '# A-secret-plan-body',
        });
        const shift = await responsePlan.addShift(system, a.id, {
          level: 'primary',
          person: { name: 'A-secret-on-call', phone: '+1 555 0100', email: null, chat: null },
          startsAt: Date.now(),
          endsAt: Date.now() + 3_600_000,
        });
        const agentId = 'agent-00112233445566aa';
        await t.server.store.transaction(async (uow) =>
          uow.forTenant(a.id).containment.agents.put({
            tenantId: a.id,
            agentId,
            publicKey: 'A-secret-agent-key',
            enrolledAt: 0,
            facts: {
              hostname: 'A-secret-host',
              os: { platform: 'linux', release: '6' },
              addresses: { v4: ['192.0.2.10'], v6: [] },
              agentVersion: '0.1.0',
              isolated: false,
            },
            online: false,
            lastSeenAt: 0,
            telemetrySeq: 0,
          }),
        );
        const action = await t.server.containment.queue.request({
          tenantId: a.id,
          agentId,
          action: { kind: 'isolate' },
          requestedBy: 'policy:auto-containment',
          incidentId: incident.id,
          requiresApproval: true,
        });
        const { events } = t.server.store;
        const [eventId] = (
          await events.appendBatch(a.id, {
            batchId: 'A-secret-batch',
            events: [
              {
                '@timestamp': new Date().toISOString(),
                event: { kind: 'event', dataset: 'test.a' },
                message: 'A-secret-event',
                host: { name: 'A-secret-host' },
                log_source: {},
                fields: {},
              },
            ],
          })
        ).ids;
        const [deadLetterId] = await events.addDeadLetters(a.id, [
          {
            source: 'http',
            reason: 'A-secret-reason',
            code: 'invalid_json',
            raw: Buffer.from('A-secret-raw-bytes'),
            receivedAt: Date.now(),
          },
        ]);
        const { detection } = t.server;
        const [raised] = (
          await new TriageService(t.server.store, systemClock).triage(a.id, [
            {
              ruleId: 'A-secret-rule',
              ruleName: undefined,
              ruleTitle: 'A-secret-alert',
              level: 'high',
              tags: [],
              source: 'server',
              entities: { hosts: ['a-secret-host'], users: [], sourceIps: [], ips: [] },
              firstSeen: Date.now(),
              lastSeen: Date.now(),
              eventIds: ['A-secret-event'],
              eventCount: 1,
              lookup: () => undefined,
            },
          ])
        ).incidents;
        const [alert] = (await detection.alerts.list(system, a.id, {}, { limit: 1, offset: 0 }))
          .items;
        const suppression = await detection.alerts.addSuppression(system, a.id, {
          ruleId: 'A-secret-rule',
          fields: {},
          reason: 'A-secret-reason',
          expiresAt: null,
        });
        const exclusion = await detection.alerts.addExclusion(system, a.id, {
          ruleId: 'A-secret-rule',
          fields: {},
          reason: 'A-secret-reason',
        });
        const rule = await detection.alerts.addRule(
          system,
          a.id,
          'title: A-secret-tenant-rule\nid: 00000000-0000-4000-8000-0000000a5ec7\nlogsource: {product: linux}\ndetection: {sel: {a: b}, condition: sel}\n',
        );
        expect(raised?.opened).toBe(true);
        Object.assign(ids, {
          alertId: alert!.id,
          suppressionId: suppression.id,
          exclusionId: exclusion.id,
          ruleId: rule.id,
        });
        Object.assign(ids, {
          eventId,
          deadLetterId,
          agentId,
          actionId: action.id,
          shiftId: shift.id,
          assetId: server.id,
          relationId: relation.id,
          backupJobId: backup.job.id,
          planId: plan.id,
          tenantId: a.id,
          incidentId: incident.id,
          observableId: observable.id,
          taskId: task.id,
          evidenceId: item.id,
          tokenId: token.record.id,
        });
        secrets.push('A-secret', 'Tenant A', a.id, incident.id, item.sha256);
      });
      afterAll(async () => t.dispose());

      const leaks = (body: string, allowed: readonly string[]): string[] =>
        secrets.filter((s) => body.includes(s) && !allowed.includes(s));

      const request = async (method: string, url: string, token: string, key: string) => {
        const raw = rawBodies[key];
        return t.server.app.inject({
          method: method as 'GET',
          url: raw ? url + raw.query : url,
          headers: { ...bearer(token), ...(raw ? { 'content-type': raw.contentType } : {}) },
          ...(raw ? { payload: raw.payload } : bodies[key] ? { payload: bodies[key] } : {}),
        });
      };

      for (const role of ['incident_lead', 'client_viewer'] as const) {
        it(`refuses tenant B's ${role} token on A's ids, on every route`, async () => {
          const token = await t.token(tenantB, role);
          const tenantRoutes = t.server.routes.filter(
            (r) => !r.public && r.url.includes(':tenantId'),
          );
          expect(tenantRoutes.length).toBeGreaterThan(20);
          for (const route of t.server.routes.filter((r) => !r.public)) {
            const key = `${route.method} ${route.url}`;
            const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
            for (const p of params)
              expect(ids[p], `${key}: the test has no id for :${p}; add one`).toBeDefined();
            if (!route.url.includes(':tenantId')) {
              expect(
                platformRoutes[key],
                `${key} has no tenant in its path: decide its scoping and list it in platformRoutes`,
              ).toBeDefined();
              const response = await request(route.method, route.url, token, key);
              if (platformRoutes[key] === 'forbidden') expect(response.statusCode, key).toBe(403);
              expect(leaks(response.body, []), `${key} leaked A's data`).toEqual([]);
              continue;
            }
            if (
              ['POST', 'PATCH', 'PUT'].includes(route.method) &&
              params.length === 1 &&
              !bodies[key] &&
              !rawBodies[key]
            ) {
              throw new Error(`${key}: add a valid body for it to this test`);
            }
            // 1. A's tenant in the path: refused outright.
            const inA = route.url.replace(/:(\w+)/g, (_m, p: string) => ids[p]!);
            const first = await request(route.method, inA, token, key);
            expect(
              [403, 404],
              `${key} with A's tenant answered ${first.statusCode}: ${first.body}`,
            ).toContain(first.statusCode);
            expect(leaks(first.body, []), `${key} leaked A's data`).toEqual([]);
            // 2. B's own tenant in the path, A's ids for everything else: nothing found.
            if (params.length > 1) {
              const inB = route.url.replace(/:(\w+)/g, (_m, p: string) =>
                p === 'tenantId' ? tenantB : ids[p]!,
              );
              const second = await request(route.method, inB, token, key);
              expect(
                [403, 404],
                `${key} with A's ids under B answered ${second.statusCode}: ${second.body}`,
              ).toContain(second.statusCode);
              expect(leaks(second.body, []), `${key} leaked A's data`).toEqual([]);
            }
          }
        });
      }

      it('leaves A untouched after the walk', async () => {
        const { incidents } = t.server.services;
        expect(
          await t.server.containment.queue.get(ids['tenantId']!, ids['actionId']!),
        ).toMatchObject({ state: 'requested' });
        const incident = await incidents.get(system, ids['tenantId']!, ids['incidentId']!);
        expect(incident).toMatchObject({ phase: 'detected', summary: '' });
        expect(await incidents.notes(system, ids['tenantId']!, ids['incidentId']!)).toHaveLength(1);
        expect(
          (await incidents.tasks(system, ids['tenantId']!, ids['incidentId']!))[0],
        ).toMatchObject({ status: 'open' });
        const { assets, responsePlan } = t.server.services.preparation;
        expect(await assets.get(system, ids['tenantId']!, ids['assetId']!)).toMatchObject({
          owner: null,
          retiredAt: null,
        });
        expect(await assets.list(system, ids['tenantId']!)).toHaveLength(2);
        expect(await t.server.store.events.retention(ids['tenantId']!)).toBeNull();
        expect(await responsePlan.plans(system, ids['tenantId']!)).toMatchObject([
          { currentVersion: 1, approvedAt: null, lastReviewedAt: null },
        ]);
      });
    },
  );
}
