/**
 * The two-person rule on every path that can isolate a critical asset, through the public API
 * on both dialects (issue 14). It used to hold only the actions of a containment decision: a
 * responder's own isolation request of a critical server was released at once, and an isolation
 * the policy held (or a playbook step asked for) was released by one incident lead. Now the
 * action queue applies the rule to every request: one approval leaves the action held, the same
 * lead again and a responder count for nothing, a second, different lead releases it. The
 * siblings with business impact (disable an account, block, kill a process) are held the same
 * way; an isolation of a non-critical server is not.
 */
import { generateKeyPairSync } from 'node:crypto';
import { CORDON_EXTENSION_ID } from '@cordon/core';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
type Json = any;

const u = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const PLAYBOOK_ID = `playbook--${u(200)}`;
const ext = (params: Record<string, unknown>) => ({ [CORDON_EXTENSION_ID]: params });
/** A playbook of one step: isolate the incident's affected host, asking no one. */
const isolatePlaybook = {
  type: 'playbook',
  spec_version: 'cacao-2.0',
  id: PLAYBOOK_ID,
  name: 'Isolate the affected host',
  created: '2026-12-08T00:00:00.000Z',
  modified: '2026-12-08T00:00:00.000Z',
  workflow_start: `start--${u(1)}`,
  agent_definitions: { [`group--${u(91)}`]: { type: 'group', name: 'agents' } },
  extension_definitions: {},
  playbook_extensions: ext({ categories: ['lateral_movement'], techniques: ['T1021.002'] }),
  playbook_variables: { __affected_host__: { type: 'string', external: true } },
  workflow: {
    [`start--${u(1)}`]: { type: 'start', on_completion: `action--${u(2)}` },
    [`action--${u(2)}`]: {
      type: 'action',
      name: 'Isolate',
      agent: `group--${u(91)}`,
      commands: [{ type: 'x-cordon-agent-action' }],
      step_extensions: ext({
        kind: 'agent-action',
        host: '__affected_host__',
        action: { kind: 'isolate' },
      }),
      on_completion: `end--${u(3)}`,
    },
    [`end--${u(3)}`]: { type: 'end' },
  },
};

/** `n` sshd failures against `host`, as its auth log has them (the shipped brute-force rule). */
const sshdFailures = (host: string, n = 12): string =>
  Array.from(
    { length: n },
    (_, i) =>
      `Oct 11 22:14:${String(i * 2).padStart(2, '0')} ${host} sshd[${4100 + i}]: Failed password for root from 203.0.113.7 port ${50000 + i} ssh2`,
  ).join('\n');

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(
    `the two-person rule on every path (${dialect})`,
    () => {
      let t: TestServer;
      let tenantId: string;
      const tok: Record<string, string> = {};
      const agent: Record<string, string> = {};
      const base = () => `/api/v1/tenants/${tenantId}`;
      const call = async (method: string, url: string, token: string, payload?: object) => {
        const response = await t.server.app.inject({
          method: method as 'GET',
          url: url.startsWith('/api') ? url : `${base()}${url}`,
          headers: bearer(token),
          ...(payload === undefined ? {} : { payload }),
        });
        return { status: response.statusCode, body: response.json<Json>() };
      };
      const enrol = async (hostname: string, address: string) => {
        const issued = await call('POST', '/agents/enrolment-tokens', tok['lead1']!, {});
        const enrolled = await t.server.app.inject({
          method: 'POST',
          url: '/api/v1/agents/enrol',
          payload: {
            token: issued.body.token,
            publicKey: generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x,
            facts: {
              hostname,
              os: { platform: 'linux', release: '6.1' },
              addresses: { v4: [address], v6: [] },
              agentVersion: '0.1.0',
              isolated: false,
            },
          },
        });
        expect(enrolled.statusCode).toBe(201);
        return enrolled.json<{ agentId: string }>().agentId;
      };
      const newIncident = async (title: string, affected: string[]) => {
        const incident = await t.server.services.incidents.create(system, tenantId, {
          title,
          severity: 'high',
        });
        await t.server.services.incidents.update(system, tenantId, incident.id, {
          affectedAssets: affected,
        });
        return incident.id;
      };
      const action = async (id: string): Promise<Json> =>
        (await call('GET', `/actions/${id}`, tok['viewer']!)).body;

      /**
       * The rule as a lead sees it: held for two; the first lead's approval recorded and the action
       * still held; the same lead again refused; a responder refused; the second lead releases it.
       */
      const releasedOnlyByTwoLeads = async (actionId: string) => {
        expect(await action(actionId)).toMatchObject({
          state: 'requested',
          requiredApprovals: 2,
          approvals: [],
        });
        const first = await call('POST', `/actions/${actionId}/approve`, tok['lead1']!, {});
        expect(first.status, JSON.stringify(first.body)).toBe(200);
        expect(first.body).toMatchObject({
          state: 'requested',
          approvals: [{ by: expect.any(String) }],
        });
        const again = await call('POST', `/actions/${actionId}/approve`, tok['lead1']!, {});
        expect(again.status).toBe(409);
        expect(again.body.error.message).toMatch(/already approved it/);
        const responder = await call('POST', `/actions/${actionId}/approve`, tok['responder']!, {});
        expect(responder.status).toBe(403);
        expect(await action(actionId)).toMatchObject({ state: 'requested', approvals: [{}] });
        const second = await call('POST', `/actions/${actionId}/approve`, tok['lead2']!, {});
        expect(second.status, JSON.stringify(second.body)).toBe(200);
        expect(second.body).toMatchObject({ state: 'approved', approvals: [{}, {}] });
      };

      beforeAll(async () => {
        t = await startTestServer(dialect);
        tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
        for (const name of ['lead1', 'lead2']) tok[name] = await t.token(tenantId, 'incident_lead');
        tok['responder'] = await t.token(tenantId, 'responder');
        tok['analyst'] = await t.token(tenantId, 'analyst');
        tok['viewer'] = await t.token(tenantId, 'client_viewer');
        tok['ingest'] = await t.token(tenantId, 'ingest');
        for (const [name, address, criticality] of [
          ['db01', '10.10.0.11', 'critical'],
          ['ldap01', '10.10.0.12', 'critical'],
          ['erp01', '10.10.0.13', 'critical'],
          ['web01', '10.10.0.21', 'medium'],
        ] as const) {
          const created = await call('POST', '/assets', tok['lead1']!, {
            name,
            kind: 'server',
            criticality,
            operationalStatus: 'up',
            addresses: [address],
          });
          expect(created.status, JSON.stringify(created.body)).toBe(201);
          agent[name] = await enrol(name, address);
        }
      }, 60_000);
      afterAll(async () => t?.dispose());

      it('a responder’s isolation of a critical server waits for two different leads', async () => {
        const incidentId = await newIncident('intrusion on db01', ['db01']);
        const requested = await call('POST', '/actions', tok['responder']!, {
          host: 'db01',
          action: { kind: 'isolate' },
          incidentId,
        });
        expect(requested.status, JSON.stringify(requested.body)).toBe(201);
        await releasedOnlyByTwoLeads(requested.body.id as string);
      });

      it('a lead who requests may approve first, never second', async () => {
        const requested = await call('POST', '/actions', tok['lead1']!, {
          host: '10.10.0.11',
          action: { kind: 'isolate' },
        });
        expect(requested.body).toMatchObject({ state: 'requested', requiredApprovals: 2 });
        const id = requested.body.id as string;
        expect((await call('POST', `/actions/${id}/approve`, tok['lead2']!, {})).body.state).toBe(
          'requested',
        );
        const requesterSecond = await call('POST', `/actions/${id}/approve`, tok['lead1']!, {});
        expect(requesterSecond.status).toBe(409);
        expect(requesterSecond.body.error.message).toMatch(/cannot be its second approver/);
        expect((await action(id)).state).toBe('requested');
      });

      it('holds the siblings with business impact on a critical asset, not a medium server', async () => {
        for (const kind of [
          { kind: 'disable-account', user: 'svc-sql' },
          { kind: 'block', target: '203.0.113.7' },
          { kind: 'kill-process', name: 'sqlservr' },
        ]) {
          const requested = await call('POST', '/actions', tok['responder']!, {
            host: 'db01',
            action: kind,
          });
          expect(requested.status, JSON.stringify(requested.body)).toBe(201);
          expect(requested.body, kind.kind).toMatchObject({
            state: 'requested',
            requiredApprovals: 2,
          });
        }
        // A probe-free action with no business impact is the responder's own, as before.
        const collect = await call('POST', '/actions', tok['responder']!, {
          host: 'db01',
          action: { kind: 'collect-triage', hashPaths: [] },
        });
        expect(collect.body).toMatchObject({ state: 'approved', requiredApprovals: 1 });
        const medium = await call('POST', '/actions', tok['responder']!, {
          host: 'web01',
          action: { kind: 'isolate' },
        });
        expect(medium.body).toMatchObject({ state: 'approved', requiredApprovals: 1 });
      });

      it('an isolation the policy held for a lead needs a second one on a critical server', async () => {
        const sent = await t.server.app.inject({
          method: 'POST',
          url: '/api/v1/ingest',
          headers: { ...bearer(tok['ingest']!), 'content-type': 'text/plain' },
          payload: sshdFailures('ldap01'),
        });
        expect(sent.statusCode).toBe(200);
        interface ActionItem {
          readonly id: string;
          readonly agentId: string;
          readonly requestedBy: string;
          readonly action: { readonly kind: string };
        }
        const find = async () =>
          ((await call('GET', '/actions', tok['viewer']!)).body.items as ActionItem[]).find(
            (a) => a.agentId === agent['ldap01'] && a.action.kind === 'isolate',
          );
        await expect.poll(find, { timeout: 15_000, interval: 100 }).toBeDefined();
        const held = (await find())!;
        expect(held).toMatchObject({ requestedBy: 'policy:auto-containment' });
        await releasedOnlyByTwoLeads(held.id);
      });

      it('a playbook’s isolation of a critical server waits for two leads, and the run for them', async () => {
        const stored = await call('POST', '/playbooks', tok['analyst']!, {
          document: isolatePlaybook,
        });
        expect(stored.status, JSON.stringify(stored.body)).toBe(201);
        const incidentId = await newIncident('lateral movement to erp01', ['erp01']);
        const started = await call(
          'POST',
          `/incidents/${incidentId}/playbook-runs`,
          tok['responder']!,
          // No alert opened the incident, so the starter names the host.
          { playbookId: PLAYBOOK_ID, variables: { __affected_host__: 'erp01' } },
        );
        expect(started.status, JSON.stringify(started.body)).toBe(201);
        const step = (started.body.steps as Json[]).find((s) => s.key === `action--${u(2)}`);
        expect(step).toMatchObject({ state: 'waiting', actionId: expect.any(String) });
        const isolation = await action(step.actionId as string);
        expect(isolation).toMatchObject({ agentId: agent['erp01'], action: { kind: 'isolate' } });
        await releasedOnlyByTwoLeads(step.actionId as string);
      });
    },
  );
}
