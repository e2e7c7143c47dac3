/**
 * Containment decisions for servers through the public API, on both dialects: the options'
 * figures (downtime cost over two functions, the MTD flagged when the expected duration exceeds
 * it, a healthy, unhealthy or absent peer changing what is available), the policy's recommended
 * option and per-tenant durations, a decision with a peer (failover confirmed by a lead, then
 * the isolation queued), the two-person rule on a critical server without a peer (two different
 * approvers, never the same twice, never the requester second), and the journal.
 */
import { generateKeyPairSync } from 'node:crypto';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
type Json = any;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`containment decisions API (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let otherTenant: string;
    const tok: Record<string, string> = {};
    const id: Record<string, string> = {};
    let incidentId: string;
    const base = () => `/api/v1/tenants/${tenantId}`;
    const call = async (method: string, url: string, token: string, payload?: object) => {
      const response = await t.server.app.inject({
        method: method as 'GET',
        url: url.startsWith('/api') ? url : `${base()}${url}`,
        headers: bearer(token),
        ...(payload === undefined ? {} : { payload }),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
      return { status: response.statusCode, body: response.json<any>() };
    };
    const created = async (url: string, payload: object) => {
      const answer = await call('POST', url, tok['lead1']!, payload);
      expect(answer.status, JSON.stringify(answer.body)).toBe(201);
      return answer.body.id as string;
    };
    const enrol = async (hostname: string, address: string) => {
      const issued = await call('POST', '/agents/enrolment-tokens', tok['lead1']!, {});
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
      const facts = {
        hostname,
        os: { platform: 'linux', release: '6.1' },
        addresses: { v4: [address], v6: [] },
        agentVersion: '0.1.0',
        isolated: false,
      };
      const enrolled = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/agents/enrol',
        payload: { token: issued.body.token, publicKey, facts },
      });
      expect(enrolled.statusCode).toBe(201);
      return enrolled.json<{ agentId: string }>().agentId;
    };
    const options = async (query = ''): Promise<Json> => {
      const answer = await call(
        'GET',
        `/incidents/${incidentId}/containment-options${query}`,
        tok['viewer']!,
      );
      expect(answer.status, JSON.stringify(answer.body)).toBe(200);
      return answer.body;
    };
    const assetOf = (body: Json, name: string): Json =>
      body.assets.find((a: Json) => a.asset.name === name);
    const optionOf = (asset: Json, option: string): Json =>
      asset.options.find((o: Json) => o.option === option);

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      otherTenant = (await t.server.services.access.createTenant(system, 'Other')).id;
      for (const role of ['lead1', 'lead2', 'lead3'])
        tok[role] = await t.token(tenantId, 'incident_lead');
      tok['responder'] = await t.token(tenantId, 'responder');
      tok['viewer'] = await t.token(tenantId, 'client_viewer');
      tok['otherLead'] = await t.token(otherTenant, 'incident_lead');
      id['app'] = await created('/segments', { name: 'app', cidr: '10.20.0.0/24', zone: 'server' });
      for (const [name, address, group, segment] of [
        ['db01', '10.10.0.11', 'db', null],
        ['db02', '10.10.0.12', 'db', null],
        ['erp01', '10.10.0.21', null, null],
        ['web01', '10.20.0.5', null, id['app']],
      ] as const) {
        id[name] = await created('/assets', {
          name,
          kind: 'server',
          criticality: name === 'web01' ? 'medium' : 'critical',
          operationalStatus: 'up',
          addresses: [address],
          redundancyGroup: group,
          segmentId: segment,
        });
      }
      await created('/relations', {
        kind: 'depends_on',
        fromAssetId: id['web01'],
        toId: id['db01'],
      });
      id['shop'] = await created('/functions', {
        name: 'Online shop',
        mtdMinutes: 120,
        costPerHour: 4000,
        assetIds: [id['web01']],
      });
      id['orders'] = await created('/functions', {
        name: 'Order database',
        mtdMinutes: 300,
        costPerHour: 1000,
        assetIds: [id['db01']],
      });
      id['invoicing'] = await created('/functions', {
        name: 'Invoicing',
        mtdMinutes: 1440,
        costPerHour: 250,
        assetIds: [id['erp01']],
      });
      id['agent-db01'] = await enrol('db01', '10.10.0.11');
      id['agent-db02'] = await enrol('db02', '10.10.0.12');
      id['agent-erp01'] = await enrol('erp01', '10.10.0.21');
      const incident = await t.server.services.incidents.create(system, tenantId, {
        title: 'lateral movement to the database tier',
        severity: 'high',
      });
      incidentId = incident.id;
      const patched = await call('PATCH', `/incidents/${incidentId}`, tok['lead1']!, {
        affectedAssets: ['db01', id['erp01'], 'ws-nowhere'],
        attackTechniques: ['T1021.002', 'T1041'],
        origins: [{ address: '203.0.113.9', scope: 'external' }],
      });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
      expect(
        (
          await call('POST', `/incidents/${incidentId}/observables`, tok['lead1']!, {
            kind: 'user',
            value: 'svc-sql',
          })
        ).status,
      ).toBe(201);
    });
    afterAll(async () => t.dispose());

    it('gives each affected server its options with costs, MTD flags, risk and needs', async () => {
      const body = await options();
      expect(body.assets.map((a: { asset: { name: string } }) => a.asset.name)).toEqual([
        'db01',
        'erp01',
      ]);
      expect(body.skipped).toEqual([
        { entry: 'ws-nowhere', assetId: null, reason: expect.stringContaining('not a documented') },
      ]);
      expect(body.durations).toMatchObject({ isolate: 240, 'failover-then-isolate': 15, watch: 0 });
      const db01 = assetOf(body, 'db01');
      expect(db01.peers).toEqual([
        {
          assetId: id['db02'],
          name: 'db02',
          healthy: true,
          reasons: [],
          agentId: id['agent-db02'],
        },
      ]);
      // high 40 + lateral movement 15 + exfiltration 15 + critical 15.
      expect(db01.untouchedRisk).toMatchObject({ score: 85, level: 'critical' });
      expect(db01.untouchedRisk.reasons.join(' ')).toMatch(
        /TA0008 via T1021\.002.*TA0010 via T1041/,
      );

      const isolate = optionOf(db01, 'isolate');
      expect(isolate).toMatchObject({
        available: true,
        expectedDurationMinutes: 240,
        downtimeCost: 20000,
        mtdExceeded: true,
        residualRisk: { score: 9, level: 'low' },
        requiredApprovals: 2,
        stops: { dependants: [{ assetId: id['web01'], name: 'web01' }] },
      });
      expect(
        isolate.stops.functions.map((f: Record<string, unknown>) => [
          f['name'],
          f['expectedCost'],
          f['mtdExceeded'],
        ]),
      ).toEqual(
        expect.arrayContaining([
          ['Online shop', 16000, true],
          ['Order database', 4000, false],
        ]),
      );
      expect(isolate.stops.functions).toHaveLength(2);
      expect(isolate.needs.map((n: { kind: string }) => n.kind)).toEqual([
        'agent',
        'incident-lead-approval',
        'second-approver',
      ]);
      expect(isolate.steps[0]).toMatchObject({
        kind: 'agent-action',
        action: { kind: 'isolate' },
        openc2: {
          action: 'contain',
          target: { device: { hostname: 'db01', device_id: id['agent-db01'] } },
          args: { er: { device_containment: 'network_isolation' } },
        },
      });

      // The default rule recommends failing over to a healthy peer: 15 minutes of switch-over.
      const failover = optionOf(db01, 'failover-then-isolate');
      expect(db01.recommendation).toMatchObject({ option: 'failover-then-isolate' });
      expect(failover).toMatchObject({
        recommended: true,
        available: true,
        downtimeCost: 1250,
        mtdExceeded: false,
        steps: [
          { kind: 'failover', peerAssetId: id['db02'], peerName: 'db02' },
          { kind: 'agent-action', action: { kind: 'isolate' }, afterFailover: true },
        ],
      });
      expect(failover.needs).toContainEqual({
        kind: 'healthy-peer',
        detail: 'db02 takes over',
        met: true,
      });
      expect(optionOf(db01, 'watch')).toMatchObject({
        available: true,
        downtimeCost: 0,
        requiredApprovals: 0,
        residualRisk: { score: 85 },
        steps: [],
      });
      expect(optionOf(db01, 'block-origins')).toMatchObject({
        available: true,
        downtimeCost: 0,
        steps: [
          {
            action: { kind: 'block', target: '203.0.113.9' },
            openc2: { action: 'deny', target: { ipv4_net: '203.0.113.9' } },
          },
        ],
      });
      expect(optionOf(db01, 'disable-accounts')).toMatchObject({
        available: true,
        steps: [
          {
            action: { kind: 'disable-account', user: 'svc-sql' },
            openc2: { action: 'set', args: { er: { account_status: 'disabled' } } },
          },
        ],
      });
      // Nothing names the ports to keep open yet.
      expect(optionOf(db01, 'isolate-with-allow')).toMatchObject({ available: false });

      // erp01 has no peer: no failover, and the two-person rule (critical).
      const erp01 = assetOf(body, 'erp01');
      expect(erp01.recommendation).toBeNull();
      expect(optionOf(erp01, 'failover-then-isolate')).toMatchObject({
        available: false,
        unavailableReasons: ['erp01 has no redundancy peer'],
      });
      expect(optionOf(erp01, 'isolate')).toMatchObject({
        downtimeCost: 1000,
        mtdExceeded: false,
        requiredApprovals: 2,
      });
    });

    it('keeps named ports open to a named segment: its dependants there keep working', async () => {
      const db01 = assetOf(await options(`?assetId=${id['db01']}&keepOpen=app:5432`), 'db01');
      expect(db01.keepOpen).toEqual({
        source: 'request',
        rules: [{ segment: 'app', ports: [5432] }],
      });
      expect(optionOf(db01, 'isolate-with-allow')).toMatchObject({
        available: true,
        downtimeCost: 0,
        stops: { functions: [], dependants: [] },
        residualRisk: { score: 26 },
        steps: [
          {
            action: { kind: 'isolate', allow: [{ network: '10.20.0.0/24', ports: [5432] }] },
            openc2: {
              action: 'contain',
              args: {
                er: { permitted_addresses: { ipv4_net: ['10.20.0.0/24'] } },
                'x-cordon': { permitted_ports: [{ network: '10.20.0.0/24', ports: [5432] }] },
              },
            },
          },
        ],
      });
      const unknown = assetOf(await options(`?assetId=${id['db01']}&keepOpen=dmz:443`), 'db01');
      expect(optionOf(unknown, 'isolate-with-allow').unavailableReasons).toContain(
        'no documented network segment "dmz"',
      );
      expect(
        (
          await call(
            'GET',
            `/incidents/${incidentId}/containment-options?keepOpen=app`,
            tok['viewer']!,
          )
        ).status,
      ).toBe(400);
    });

    it('follows the peer: down or itself affected makes the failover unavailable, with why', async () => {
      expect(
        (await call('PATCH', `/assets/${id['db02']}`, tok['lead1']!, { operationalStatus: 'down' }))
          .status,
      ).toBe(200);
      let db01 = assetOf(await options(), 'db01');
      expect(db01.peers[0]).toMatchObject({
        healthy: false,
        reasons: ['db02 is documented as down, not up'],
      });
      expect(optionOf(db01, 'failover-then-isolate')).toMatchObject({
        available: false,
        recommended: false,
        unavailableReasons: [expect.stringContaining('db02 is documented as down')],
      });
      expect(db01.recommendation).toBeNull();
      await call('PATCH', `/assets/${id['db02']}`, tok['lead1']!, { operationalStatus: 'up' });
      await call('PATCH', `/incidents/${incidentId}`, tok['lead1']!, {
        affectedAssets: ['db01', id['erp01'], 'ws-nowhere', 'db02'],
      });
      db01 = assetOf(await options(), 'db01');
      expect(db01.peers[0].reasons).toEqual(['db02 is itself affected by the incident']);
      expect(optionOf(db01, 'failover-then-isolate').available).toBe(false);
      await call('PATCH', `/incidents/${incidentId}`, tok['lead1']!, {
        affectedAssets: ['db01', id['erp01'], 'ws-nowhere'],
      });
      expect(optionOf(assetOf(await options(), 'db01'), 'failover-then-isolate').available).toBe(
        true,
      );
    });

    it("marks the policy's option and uses the tenant's durations", async () => {
      const policy = await call('PUT', '/containment-policy', tok['lead1']!, {
        rules: [],
        optionRules: [
          { assetKind: 'server', peer: 'healthy', option: 'failover-then-isolate' },
          {
            assetKind: 'server',
            peer: 'none',
            option: 'isolate-with-allow',
            keepOpen: [{ segment: 'app', ports: [8443] }],
          },
        ],
        optionDurations: { isolate: 60 },
      });
      expect(policy.status, JSON.stringify(policy.body)).toBe(200);
      expect(policy.body.optionDurations).toEqual({ isolate: 60 });
      const body = await options();
      const erp01 = assetOf(body, 'erp01');
      expect(erp01.recommendation).toMatchObject({
        option: 'isolate-with-allow',
        ruleIndex: 1,
        rule: 'a server without a healthy peer: isolate-with-allow keeping 8443 to app',
      });
      expect(erp01.keepOpen).toEqual({
        source: 'policy',
        rules: [{ segment: 'app', ports: [8443] }],
      });
      expect(optionOf(erp01, 'isolate-with-allow')).toMatchObject({
        recommended: true,
        available: true,
      });
      // One hour of isolation: the shop's MTD (two hours) holds.
      expect(optionOf(assetOf(body, 'db01'), 'isolate')).toMatchObject({
        expectedDurationMinutes: 60,
        downtimeCost: 5000,
        mtdExceeded: false,
      });
      expect(body.durations.isolate).toBe(60);
      await call('PUT', '/containment-policy', tok['lead1']!, { rules: [] });
    });

    it('refuses bad decisions with a clear error and nothing written', async () => {
      const url = `/incidents/${incidentId}/containment-decisions`;
      const good = { assetId: id['erp01'], option: 'isolate', rationale: 'contain it' };
      const cases: [string, object, number][] = [
        ['viewer', good, 403],
        ['otherLead', good, 403],
        ['lead1', { ...good, rationale: '   ' }, 400],
        ['lead1', { ...good, rationale: undefined }, 400],
        ['lead1', { ...good, option: 'format-disk' }, 400],
        ['lead1', { ...good, option: 'failover-then-isolate' }, 409],
        ['lead1', { ...good, assetId: id['web01'] }, 409],
        [
          'lead1',
          { ...good, option: 'isolate-with-allow', keepOpen: [{ segment: 'nope', ports: [1] }] },
          409,
        ],
      ];
      for (const [who, payload, status] of cases) {
        const answer = await call('POST', url, tok[who]!, payload);
        expect(answer.status, `${who} ${JSON.stringify(payload)}`).toBe(status);
        expect(answer.body.error.message).toEqual(expect.any(String));
      }
      expect((await call('GET', url, tok['viewer']!)).body.items).toEqual([]);
      expect((await call('GET', '/actions', tok['viewer']!)).body.items).toEqual([]);
      expect(
        (
          await call(
            'GET',
            `/api/v1/tenants/${otherTenant}/incidents/${incidentId}/containment-options`,
            tok['otherLead']!,
          )
        ).status,
      ).toBe(404);
    });

    it('with a healthy peer: records the failover step, then queues the isolation once a lead confirms', async () => {
      const url = `/incidents/${incidentId}/containment-decisions`;
      const made = await call('POST', url, tok['lead1']!, {
        assetId: id['db01'],
        option: 'failover-then-isolate',
        rationale: 'db02 carries the orders; cut db01 off after the switch',
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body).toMatchObject({
        option: 'failover-then-isolate',
        state: 'awaiting-failover',
        decidedBy: expect.stringMatching(/^token:/),
        failover: { peerAssetId: id['db02'], peerName: 'db02', state: 'pending' },
        actions: [],
        figures: { option: 'failover-then-isolate', downtimeCost: 1250, recommended: true },
        commands: [{ action: 'contain', target: { device: { hostname: 'db01' } } }],
      });
      expect(made.body.snapshot.options).toHaveLength(6);
      expect((await call('GET', '/actions', tok['viewer']!)).body.items).toEqual([]);
      const decision = `${url}/${made.body.id as string}`;
      expect(
        (await call('POST', `${decision}/failover`, tok['responder']!, { outcome: 'confirmed' }))
          .status,
      ).toBe(403);
      const confirmed = await call('POST', `${decision}/failover`, tok['lead2']!, {
        outcome: 'confirmed',
        note: 'db02 serves the orders; replication checked',
      });
      expect(confirmed.status, JSON.stringify(confirmed.body)).toBe(200);
      expect(confirmed.body).toMatchObject({
        state: 'actions-queued',
        failover: { state: 'confirmed', by: expect.stringMatching(/^token:/) },
        actions: [
          {
            agentId: id['agent-db01'],
            action: { kind: 'isolate' },
            state: 'requested',
            requiredApprovals: 2,
            approvals: [],
          },
        ],
      });
      expect(
        (await call('POST', `${decision}/failover`, tok['lead2']!, { outcome: 'confirmed' }))
          .status,
      ).toBe(409);
      // db01 is critical: the requester may approve first, a second lead completes it.
      const action = `/actions/${confirmed.body.actions[0].id as string}`;
      const first = await call('POST', `${action}/approve`, tok['lead1']!, {});
      expect(first.body).toMatchObject({
        state: 'requested',
        approvals: [{ by: expect.any(String) }],
      });
      const again = await call('POST', `${action}/approve`, tok['lead1']!, {});
      expect(again.status).toBe(409);
      expect(again.body.error.message).toMatch(/already approved/);
      const second = await call('POST', `${action}/approve`, tok['lead2']!, {});
      expect(second.body).toMatchObject({ state: 'approved', approvals: [{}, {}] });
      expect(second.body.approvedBy).not.toBe(first.body.approvals[0].by);
    });

    it('on a critical server without a peer: two different approvers, never the requester second', async () => {
      const url = `/incidents/${incidentId}/containment-decisions`;
      const made = await call('POST', url, tok['lead1']!, {
        assetId: id['erp01'],
        option: 'isolate',
        rationale: 'no peer; invoicing can wait a day',
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      expect(made.body).toMatchObject({
        state: 'actions-queued',
        failover: null,
        figures: { option: 'isolate', requiredApprovals: 2 },
        actions: [{ action: { kind: 'isolate' }, state: 'requested', requiredApprovals: 2 }],
      });
      const action = `/actions/${made.body.actions[0].id as string}`;
      expect((await call('POST', `${action}/approve`, tok['responder']!, {})).status).toBe(403);
      expect((await call('POST', `${action}/approve`, tok['lead2']!, {})).body.state).toBe(
        'requested',
      );
      const requester = await call('POST', `${action}/approve`, tok['lead1']!, {});
      expect(requester.status).toBe(409);
      expect(requester.body.error.message).toMatch(/cannot be its second approver/);
      expect((await call('POST', `${action}/approve`, tok['lead2']!, {})).status).toBe(409);
      expect((await call('GET', action, tok['viewer']!)).body).toMatchObject({
        state: 'requested',
        approvedBy: null,
      });
      const done = await call('POST', `${action}/approve`, tok['lead3']!, {});
      expect(done.body).toMatchObject({ state: 'approved', approvals: [{}, {}] });
      const shown = await call('GET', action, tok['viewer']!);
      expect(shown.body.transitions.map((x: { to: string }) => x.to)).toEqual([
        'requested',
        'approved',
      ]);
    });

    it('lists the decisions and journals them with their figures', async () => {
      const listed = await call(
        'GET',
        `/incidents/${incidentId}/containment-decisions`,
        tok['viewer']!,
      );
      expect(
        listed.body.items.map((d: { option: string; state: string }) => [d.option, d.state]),
      ).toEqual([
        ['failover-then-isolate', 'actions-queued'],
        ['isolate', 'actions-queued'],
      ]);
      const journal = await call(
        'GET',
        `/journal?incidentId=${incidentId}&limit=1000`,
        tok['viewer']!,
      );
      const kinds = journal.body.map((e: { kind: string }) => e.kind);
      expect(kinds).toEqual(
        expect.arrayContaining([
          'containment.decision-recorded',
          'containment.failover-confirmed',
          'action.requested',
          'action.approval-recorded',
          'action.approved',
        ]),
      );
      const recorded = journal.body.filter(
        (e: { kind: string }) => e.kind === 'containment.decision-recorded',
      );
      expect(recorded).toHaveLength(2);
      expect(recorded[0].payload).toMatchObject({
        assetName: 'db01',
        option: 'failover-then-isolate',
        rationale: 'db02 carries the orders; cut db01 off after the switch',
        figures: {
          downtimeCost: 1250,
          expectedDurationMinutes: 15,
          residualRisk: { score: 9 },
          stops: {
            functions: expect.arrayContaining([
              expect.objectContaining({ name: 'Online shop', expectedCost: 1000 }),
            ]),
          },
        },
        commands: [{ action: 'contain' }],
      });
      expect(recorded[1].payload.figures).toMatchObject({ option: 'isolate', downtimeCost: 1000 });
    });
  });
}
