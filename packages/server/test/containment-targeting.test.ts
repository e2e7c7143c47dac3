/**
 * Which host a containment action reaches, through the running server on both dialects
 * (issue 13 item 7: an agent that reported another host's name and address in its heartbeat
 * received the isolation meant for that host), and containment dispatch off the ingest path
 * (issue 13, "containment dispatch runs inside the ingest consumer chain").
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { PIN, ScriptedAgent, hostFacts } from './gateway-test-kit.ts';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`containment targeting (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let lead: string;
    let responder: string;
    let url: string;
    const base = () => `/api/v1/tenants/${tenantId}`;
    const call = async (method: string, path: string, token: string, payload?: object) => {
      const response = await t.server.app.inject({
        method: method as 'GET',
        url: path,
        headers: bearer(token),
        ...(payload === undefined ? {} : { payload }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
      return { status: response.statusCode, body: response.json<Record<string, any>>() };
    };
    const token = async () =>
      (await call('POST', `${base()}/agents/enrolment-tokens`, lead, {})).body.token as string;
    const isolate = (host: string) =>
      call('POST', `${base()}/actions`, responder, { host, action: { kind: 'isolate' } });

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      lead = await t.token(tenantId, 'incident_lead');
      responder = await t.token(tenantId, 'responder');
      url = await t.server.containment.listen('127.0.0.1', 0);
      expect(PIN).toHaveLength(64);
    });
    afterAll(async () => t.dispose());

    it('keeps targeting by the enrolled identity; a lead approves a reported change', async () => {
      const victim = new ScriptedAgent();
      await victim.enrol(url, await token(), hostFacts('fin-ws-01', ['198.18.5.1']));
      const impostor = new ScriptedAgent();
      await impostor.enrol(url, await token(), hostFacts('lab-ws-09', ['198.18.5.9']));
      impostor.send({
        kind: 'heartbeat',
        sentAt: Date.now(),
        facts: hostFacts('fin-ws-01', ['198.18.5.1']),
      });
      const changes = `${base()}/agent-identity-changes`;
      await expect
        .poll(async () =>
          Number((await call('GET', `${changes}?state=pending`, lead)).body.items.length),
        )
        .toBe(1);

      // The isolation meant for fin-ws-01 goes to the agent that enrolled as fin-ws-01.
      for (const host of ['fin-ws-01', '198.18.5.1']) {
        const action = await isolate(host);
        expect(action.status).toBe(201);
        expect(action.body.agentId).toBe(victim.agentId);
      }
      const shown = await call('GET', `${base()}/agents/${impostor.agentId}`, lead);
      expect(shown.body).toMatchObject({
        hostname: 'lab-ws-09',
        reported: { hostname: 'fin-ws-01' },
      });

      const [change] = (await call('GET', `${changes}?state=pending`, lead)).body.items;
      const decision = `${changes}/${change.id}/decision`;
      expect((await call('POST', decision, responder, { decision: 'approved' })).status).toBe(403);
      const approved = await call('POST', decision, lead, { decision: 'approved' });
      expect(approved.body).toMatchObject({ state: 'approved', to: { hostname: 'fin-ws-01' } });
      expect((await call('POST', decision, lead, { decision: 'denied' })).status).toBe(409);

      // Now two agents answer to fin-ws-01: refused, with both listed.
      const ambiguous = await isolate('fin-ws-01');
      expect(ambiguous.status).toBe(409);
      expect(
        ambiguous.body.error.details.candidates.map((c: { agentId: string }) => c.agentId).sort(),
      ).toEqual([victim.agentId, impostor.agentId].sort());
      // By agent id it is unambiguous.
      expect((await isolate(victim.agentId)).body.agentId).toBe(victim.agentId);
      const journal = await t.server.store.transaction(async (uow) =>
        uow.forTenant(tenantId).journal.list({}, 500),
      );
      expect(journal.map((e) => e.kind)).toEqual(
        expect.arrayContaining([
          'agent.identity-change-reported',
          'agent.identity-change-approved',
        ]),
      );
      victim.socket.terminate();
      impostor.socket.terminate();
    });

    it('refuses a target the asset inventory gives to another machine', async () => {
      await t.server.services.preparation.assets.create(system, tenantId, {
        name: 'pay-db-01',
        kind: 'server',
        addresses: ['10.20.0.5'],
      });
      const agent = new ScriptedAgent();
      await agent.enrol(url, await token(), hostFacts('pay-db-01', ['198.18.6.6']));
      const refused = await isolate('pay-db-01');
      expect(refused.status).toBe(409);
      expect(refused.body.error.details).toMatchObject({
        candidates: [{ agentId: agent.agentId }],
        asset: { name: 'pay-db-01' },
      });
      agent.socket.terminate();
    });

    it('does not hold up the ingest path while the gateway hangs', async () => {
      const agent = new ScriptedAgent();
      await agent.enrol(url, await token(), hostFacts('ops-ws-03', ['198.18.7.3']));
      await t.server.services.preparation.assets.create(system, tenantId, {
        name: 'ops-ws-03',
        kind: 'workstation',
        addresses: ['198.18.7.3'],
      });
      const incident = await t.server.services.incidents.create(system, tenantId, {
        title: 'ransomware on ops-ws-03',
        severity: 'critical',
      });
      // A gateway that never answers (cannot be made for real: sends to a socket never block).
      let hung = 0;
      const dispatch = vi.spyOn(t.server.containment.gateway, 'dispatch').mockImplementation(() => {
        hung += 1;
        return new Promise<boolean>(() => undefined);
      });
      // The raise's evidence is the workstation's own agent telemetry: only that lets
      // auto-containment act without an incident lead (issue 13 item 5).
      const evidence = await t.server.store.events.appendBatch(tenantId, {
        batchId: 'ops-ws-03-telemetry',
        events: [{ '@timestamp': new Date().toISOString(), host: { name: 'ops-ws-03' } }],
        provenance: [{ kind: 'agent', agentId: agent.agentId, host: 'ops-ws-03' }],
      });
      const raised = t.server.containment.service.onIncidentRaised({
        tenantId,
        incident,
        opened: true,
        hosts: ['ops-ws-03'],
        originIps: [],
        eventIds: evidence.ids,
      });
      const outcome = await Promise.race([
        raised.then((actions) => actions),
        new Promise<'stalled'>((resolve) => setTimeout(() => resolve('stalled'), 3000)),
      ]);
      expect(outcome).not.toBe('stalled');
      expect(outcome).toMatchObject([{ state: 'approved', agentId: agent.agentId }]);
      await expect.poll(() => hung).toBe(1);
      dispatch.mockRestore();
      // Stored before sending: the agent gets it when it next authenticates.
      agent.socket.terminate();
      const again = new ScriptedAgent();
      Object.assign(again, { key: agent.key, publicKey: agent.publicKey });
      await again.hello(url, tenantId, agent.agentId);
      const { command } = await again.next('command');
      expect(command.body.action).toEqual({ kind: 'isolate' });
      again.socket.terminate();
    });
  });
}
