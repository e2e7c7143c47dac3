/**
 * issue 13 item 5: forged telemetry isolated a victim. Twelve sshd failure lines naming a
 * workstation that runs an agent, sent with an ingest token (or to a UDP syslog listener, whose
 * sender address is spoofable), raised the SSH brute-force alert and the default policy isolated
 * the workstation. Now every stored event records how it arrived, and the policy acts on its own
 * only for hosts that provenance confirms (the host's own agent, a TCP/TLS sender bound to it),
 * within a per-tenant rate limit; otherwise an incident lead is asked, with the reason.
 *
 * On a real server (both dialects): real HTTP ingest, real UDP and TCP listeners, the real
 * pipeline, event store, detection (the shipped correlation) and containment service. Agents
 * enrol over the REST API; agent telemetry enters the pipeline as the gateway's telemetry sink
 * hands it over (the lab's auto-containment test drives the same path from a real agent).
 */
import { generateKeyPairSync } from 'node:crypto';
import { parseQuery } from '@cordon/core';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentTelemetrySubmission } from '../src/agents/agent-telemetry.ts';
import { sendStream, sendUdp } from './ingest/ingest-test-support.ts';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

interface ActionItem {
  readonly id: string;
  readonly agentId: string;
  readonly state: string;
  readonly requestedBy: string;
  readonly detail: string | null;
  readonly action: { readonly kind: string };
}

/** `n` sshd failures against `host` from `source`, as its auth log (or syslog) has them. */
function sshdFailures(host: string, source: string, n = 12, syslog = false): string[] {
  return Array.from({ length: n }, (_, i) => {
    const line = `Oct 11 22:14:${String(i * 2).padStart(2, '0')} ${host} sshd[${4100 + i}]: Failed password for root from ${source} port ${50000 + i} ssh2`;
    return syslog ? `<38>${line}` : line;
  });
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(
    `auto-containment acts only on provenance-confirmed hosts (${dialect})`,
    () => {
      let t: TestServer;
      let tenantId: string;
      let lead: string;
      const agents = new Map<string, string>();
      const api = async (method: string, url: string, payload?: object) => {
        const response = await t.server.app.inject({
          method: method as 'GET',
          url,
          headers: bearer(lead),
          ...(payload === undefined ? {} : { payload }),
        });
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
        return { status: response.statusCode, body: response.json<Record<string, any>>() };
      };
      /**
       * The isolation the policy queued for `host`'s agent, once the listener is done with it:
       * an action goes in as `requested` and one the policy may carry out moves on to
       * `approved` right after, so a held one is read again after a pause before it is judged.
       */
      const isolationOf = async (host: string): Promise<ActionItem> => {
        const agentId = agents.get(host)!;
        const find = async () => {
          const { body } = await api('GET', `/api/v1/tenants/${tenantId}/actions`);
          return (body.items as ActionItem[]).find(
            (a) => a.agentId === agentId && a.action.kind === 'isolate',
          );
        };
        await expect.poll(find, { timeout: 15_000, interval: 100 }).toBeDefined();
        await new Promise((resolve) => setTimeout(resolve, 500));
        return (await find())!;
      };

      beforeAll(async () => {
        t = await startTestServer(dialect);
        tenantId = (await t.server.services.access.createTenant(system, 'acme')).id;
        lead = await t.token(tenantId, 'incident_lead');
        for (const host of ['ws-1', 'ws-2', 'ws-3', 'ws-4', 'ws-5', 'ws-6']) {
          await t.server.services.preparation.assets.create(system, tenantId, {
            name: host,
            kind: 'workstation',
          });
          const issued = await api(
            'POST',
            `/api/v1/tenants/${tenantId}/agents/enrolment-tokens`,
            {},
          );
          const enrolled = await t.server.app.inject({
            method: 'POST',
            url: '/api/v1/agents/enrol',
            payload: {
              token: issued.body.token,
              publicKey: generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x,
              facts: {
                hostname: host,
                os: { platform: 'linux', release: '6.1' },
                addresses: { v4: [], v6: [] },
                agentVersion: '0.1.0',
                isolated: false,
              },
            },
          });
          agents.set(host, enrolled.json<{ agentId: string }>().agentId);
        }
      }, 60_000);
      afterAll(async () => t?.dispose());

      it('records the ingest token as provenance, raises the alert, and asks a lead instead of isolating', async () => {
        const ingestToken = await t.token(tenantId, 'ingest');
        const sent = await t.server.app.inject({
          method: 'POST',
          url: '/api/v1/ingest',
          headers: { ...bearer(ingestToken), 'content-type': 'text/plain' },
          payload: sshdFailures('ws-1', '203.0.113.7').join('\n'),
        });
        expect(sent.statusCode).toBe(200);

        const isolation = await isolationOf('ws-1');
        expect(isolation).toMatchObject({
          state: 'requested',
          requestedBy: 'policy:auto-containment',
          detail: expect.stringMatching(/host ws-1 is not confirmed.*ingest token/),
        });
        // The reason is journalled with the request.
        const journal = await t.server.store.transaction(async (uow) =>
          uow.forTenant(tenantId).journal.list({}, 500),
        );
        const requested = journal.find(
          (e) =>
            e.kind === 'action.requested' &&
            (e.payload as { actionId?: string }).actionId === isolation.id,
        );
        expect((requested?.payload as { detail?: string }).detail).toContain('ingest token');

        // Stored with each event, shown by GET /events/{id}, searchable by kind.
        const found = await t.server.store.events.search(tenantId, {
          query: parseQuery('host.name:ws-1 AND provenance.kind:http'),
          limit: 20,
        });
        expect(found.events).toHaveLength(12);
        const shown = await api('GET', `/api/v1/tenants/${tenantId}/events/${found.events[0]!.id}`);
        expect(shown.body.provenance).toEqual({
          kind: 'http',
          credential: 'token',
          id: expect.any(String),
        });
        expect(shown.body.event).not.toHaveProperty('provenance');
        const none = await t.server.store.events.search(tenantId, {
          query: parseQuery('host.name:ws-1 AND provenance.kind:agent'),
          limit: 20,
        });
        expect(none.events).toHaveLength(0);
      });

      it('asks too for the same lines by UDP syslog, even from a sender bound to the host', async () => {
        const listener = await t.server.ingestion.addListener(
          { transport: 'udp', host: '127.0.0.1', port: 0, tenant: tenantId },
          undefined,
          [{ address: '127.0.0.1', tenant: tenantId, hosts: ['ws-2'] }],
        );
        await sendUdp(listener.port, sshdFailures('ws-2', '203.0.113.8', 12, true));
        const isolation = await isolationOf('ws-2');
        expect(isolation.state).toBe('requested');
        expect(isolation.detail).toMatch(
          /host ws-2 is not confirmed.*UDP syslog from 127\.0\.0\.1/,
        );
        const stored = await t.server.store.events.search(tenantId, {
          query: parseQuery('host.name:ws-2'),
          limit: 1,
        });
        expect(stored.events[0]?.provenance).toMatchObject({
          kind: 'syslog',
          transport: 'udp',
          spoofable: true,
          boundHosts: ['ws-2'],
          bindingConfirms: false,
        });
      });

      it('isolates at once when a TCP sender bound to the host sends them', async () => {
        const listener = await t.server.ingestion.addListener(
          { transport: 'tcp', host: '127.0.0.1', port: 0, tenant: tenantId },
          undefined,
          [{ address: '127.0.0.1', tenant: tenantId, hosts: ['ws-3'] }],
        );
        await sendStream(
          listener.port,
          sshdFailures('ws-3', '203.0.113.9', 12, true).map((line) => `${line}\n`),
        );
        const isolation = await isolationOf('ws-3');
        expect(isolation.state, isolation.detail ?? '').not.toBe('requested');
        expect(isolation.detail).toContain('confirmed by its own telemetry');
      });

      it("isolates at once on the host's own agent's telemetry, not on another agent's", async () => {
        const sink = async (
          tenant: string,
          agent: { agentId: string; host: string },
          events: Record<string, unknown>[],
        ) => {
          await t.server.ingestion.pipeline.submitRecords(
            tenant,
            agentTelemetrySubmission(agent, events),
          );
        };
        const logEvents = (host: string, source: string) =>
          sshdFailures(host, source).map((line) => ({
            event: { dataset: 'agent.log', original: line },
          }));
        await sink(
          tenantId,
          { agentId: agents.get('ws-4')!, host: 'ws-4' },
          logEvents('ws-4', '203.0.113.10'),
        );
        const own = await isolationOf('ws-4');
        expect(own.state, own.detail ?? '').not.toBe('requested');

        // ws-6's agent writing lines that name ws-5 does not aim an isolation at ws-5.
        await sink(
          tenantId,
          { agentId: agents.get('ws-6')!, host: 'ws-6' },
          logEvents('ws-5', '203.0.113.11'),
        );
        const aimed = await isolationOf('ws-5');
        expect(aimed.state).toBe('requested');
        expect(aimed.detail).toMatch(/ws-5 is not confirmed.*agent .* of ws-6/);
      });

      it('rate-limits automatic isolations per tenant (policy limit, then ask)', async () => {
        const url = `/api/v1/tenants/${tenantId}/containment-policy`;
        expect((await api('GET', url)).body.autoIsolationLimit).toEqual({
          maxIsolations: 5,
          windowMinutes: 10,
        });
        const set = await api('PUT', url, {
          rules: [{ minSeverity: 'high', assetRole: 'workstation', response: 'isolate' }],
          autoIsolationLimit: { maxIsolations: 2, windowMinutes: 10 },
        });
        expect(set.status).toBe(200);
        expect(set.body.autoIsolationLimit).toEqual({ maxIsolations: 2, windowMinutes: 10 });
        expect(
          (
            await api('PUT', url, {
              rules: [],
              autoIsolationLimit: { maxIsolations: -1, windowMinutes: 10 },
            })
          ).status,
        ).toBe(400);
        // ws-3 and ws-4 were isolated automatically minutes ago: ws-6's own agent is confirmed,
        // but a third automatic isolation in ten minutes goes to a lead.
        await t.server.ingestion.pipeline.submitRecords(
          tenantId,
          agentTelemetrySubmission(
            { agentId: agents.get('ws-6')!, host: 'ws-6' },
            sshdFailures('ws-6', '203.0.113.12').map((line) => ({
              event: { dataset: 'agent.log', original: line },
            })),
          ),
        );
        const limited = await isolationOf('ws-6');
        expect(limited.state).toBe('requested');
        expect(limited.detail).toContain('limited to 2 per 10 minutes');
      });
    },
  );
}
