/**
 * Which host a playbook's containment acts on, through the public API on both databases
 * (issue 14: `__affected_host__` was `affectedAssets[0]`, so a run on an incident whose list
 * named another asset first isolated that other host). A detection on ws-07 opens the
 * incident, a later one on srv-db-01 joins it (same origin), and the incident's list names
 * SRV-DB-01 first: the run isolates ws-07's agent. Where the opening alert does not name
 * exactly one documented asset, or there is no alert, the run refuses to start and says why
 * (unless the starter names the host); an agent action whose target variable has no value
 * fails before anything is queued.
 */
import { generateKeyPairSync } from 'node:crypto';
import { CORDON_EXTENSION_ID } from '@cordon/core';
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer } from './test-server.ts';

const RULE = [
  'title: Inbound PowerShell Remoting Session',
  'id: 0c3e5a2b-7d41-4e9a-b6f0-1a2b3c4d5e6f',
  'level: high',
  'tags: [attack.execution, attack.t1059.001]',
  'logsource: {product: windows, category: network_connection}',
  'detection:',
  "  selection: {Image|endswith: '\\powershell.exe', Initiated: 'false', DestinationPort: 5985}",
  '  condition: selection',
].join('\n');

const T0 = Date.now() - 3 * 3_600_000;
const ORIGIN = '203.0.113.44';

/** Sysmon 3: an inbound WinRM connection to PowerShell on `computer`. */
const connection = (at: number, computer: string, target: string, source = ORIGIN): string =>
  JSON.stringify({
    '@timestamp': new Date(at).toISOString(),
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    EventID: 3,
    Computer: computer,
    UtcTime: new Date(at).toISOString(),
    Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    Protocol: 'tcp',
    Initiated: 'false',
    SourceIp: source,
    SourcePort: 50123,
    DestinationIp: target,
    DestinationPort: 5985,
  });

const u = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const AGENTS = `group--${u(91)}`;
const STEP = { start: `start--${u(1)}`, isolate: `action--${u(2)}`, end: `end--${u(3)}` };
const PLAYBOOK_ID = `playbook--${u(300)}`;
const ext = (params: Record<string, unknown>) => ({ [CORDON_EXTENSION_ID]: params });
const isolatePlaybook = {
  type: 'playbook',
  spec_version: 'cacao-2.0',
  id: PLAYBOOK_ID,
  name: 'Isolate the affected host',
  created: '2026-12-07T18:00:00.000Z',
  modified: '2026-12-07T18:00:00.000Z',
  workflow_start: STEP.start,
  agent_definitions: { [AGENTS]: { type: 'group', name: 'agents' } },
  playbook_variables: { __affected_host__: { type: 'string', external: true } },
  workflow: {
    [STEP.start]: { type: 'start', on_completion: STEP.isolate },
    [STEP.isolate]: {
      type: 'action',
      name: 'Isolate',
      agent: AGENTS,
      commands: [{ type: 'x-cordon-agent-action' }],
      step_extensions: ext({
        kind: 'agent-action',
        host: '__affected_host__',
        action: { kind: 'isolate' },
      }),
      on_completion: STEP.end,
    },
    [STEP.end]: { type: 'end' },
  },
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`playbook affected host (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let analyst: string;
    let responder: string;
    let lead: string;
    let ingest: string;
    const agentOf: Record<string, string> = {};
    const api = async (
      method: 'GET' | 'POST' | 'PATCH',
      path: string,
      payload?: object,
      token = analyst,
    ) => {
      const response = await t.server.app.inject({
        method,
        url: `/api/v1/tenants/${tenantId}${path}`,
        headers: bearer(token),
        ...(payload ? { payload } : {}),
      });
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON, checked by the assertions
      return { status: response.statusCode, body: response.json<Record<string, any>>() };
    };
    const send = async (lines: string[]) => {
      const response = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/ingest',
        headers: { ...bearer(ingest), 'content-type': 'application/x-ndjson' },
        payload: lines.join('\n') + '\n',
      });
      expect(response.statusCode).toBe(200);
    };
    const enrol = async (hostname: string, address: string) => {
      const issued = await api('POST', '/agents/enrolment-tokens', { ttlMinutes: 5 }, lead);
      const publicKey = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' }).x!;
      const enrolled = await t.server.app.inject({
        method: 'POST',
        url: '/api/v1/agents/enrol',
        payload: {
          token: issued.body['token'],
          publicKey,
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
      agentOf[hostname] = enrolled.json<{ agentId: string }>().agentId;
    };
    /** The incident whose title names `host`, once detection opened it. */
    const incidentOn = async (host: string): Promise<string> => {
      let found: string | undefined;
      await expect
        .poll(
          async () => {
            const { body } = await api('GET', '/incidents');
            found = (body['items'] as { id: string; title: string }[]).find((i) =>
              i.title.includes(host),
            )?.id;
            return found !== undefined;
          },
          { timeout: 20_000, interval: 100 },
        )
        .toBe(true);
      return found!;
    };
    const start = (incidentId: string, variables?: Record<string, string>) =>
      api(
        'POST',
        `/incidents/${incidentId}/playbook-runs`,
        { playbookId: PLAYBOOK_ID, ...(variables ? { variables } : {}) },
        responder,
      );

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (
        await t.server.services.access.createTenant({ kind: 'system', name: 'test' }, 'Acme')
      ).id;
      analyst = await t.token(tenantId, 'analyst');
      responder = await t.token(tenantId, 'responder');
      lead = await t.token(tenantId, 'incident_lead');
      ingest = await t.token(tenantId, 'ingest');
      for (const [name, kind, address] of [
        ['WS-07', 'workstation', '10.20.0.7'],
        ['SRV-DB-01', 'server', '10.20.0.8'],
      ] as const)
        expect((await api('POST', '/assets', { name, kind, addresses: [address] })).status).toBe(
          201,
        );
      await enrol('ws-07', '10.20.0.7');
      await enrol('srv-db-01', '10.20.0.8');
      expect((await api('POST', '/detection/rules', { yaml: RULE })).status).toBe(201);
      expect((await api('POST', '/playbooks', { document: isolatePlaybook })).status).toBe(201);
    }, 60_000);
    afterAll(async () => t?.dispose());

    it("isolates the opening alert's host, whatever order the incident lists its assets in", async () => {
      await send([connection(T0, 'ws-07', '10.20.0.7')]);
      const incidentId = await incidentOn('ws-07');
      // Later (its own batch, so linked later): the same origin on the database server joins.
      await send([connection(T0 + 60_000, 'srv-db-01', '10.20.0.8')]);
      await expect
        .poll(async () => (await api('GET', `/incidents/${incidentId}/alerts`)).body, {
          timeout: 20_000,
          interval: 100,
        })
        .toHaveLength(2);
      // An analyst puts the server first (it matters more to the business).
      const reordered = await api('PATCH', `/incidents/${incidentId}`, {
        affectedAssets: ['SRV-DB-01', 'WS-07'],
      });
      expect(reordered.status).toBe(200);
      expect(reordered.body['affectedAssets']).toEqual(['SRV-DB-01', 'WS-07']);

      const started = await start(incidentId);
      expect(started.status).toBe(201);
      expect(started.body['variables']['__affected_host__']).toBe('WS-07');
      expect(started.body['variables']['__origin_address__']).toBe(ORIGIN);
      const isolate = (started.body['steps'] as { key: string; actionId?: string }[]).find(
        (s) => s.key === STEP.isolate,
      )!;
      const action = await api('GET', `/actions/${isolate.actionId}`);
      expect(action.body).toMatchObject({ agentId: agentOf['ws-07'], action: { kind: 'isolate' } });
      expect(action.body['agentId']).not.toBe(agentOf['srv-db-01']);
    });

    it('refuses to start when the opening alert names no documented asset, and says why', async () => {
      await send([connection(T0 + 5 * 60_000, 'ws-99', '10.20.0.99', '198.51.100.9')]);
      const incidentId = await incidentOn('ws-99');
      const refused = await start(incidentId);
      expect(refused.status).toBe(409);
      expect(refused.body['error']).toMatchObject({
        code: 'conflict',
        message: expect.stringContaining('__affected_host__ cannot be set'),
        details: {
          variable: '__affected_host__',
          reason: expect.stringContaining('"ws-99" of the opening alert is not a documented asset'),
        },
      });
      expect((await api('GET', `/incidents/${incidentId}/playbook-runs`)).body['items']).toEqual(
        [],
      );
    });

    it('refuses an incident without alerts unless the starter names the host', async () => {
      const created = await api('POST', '/incidents', {
        title: 'Reported by phone',
        severity: 'high',
      });
      const incidentId = created.body['id'] as string;
      await api('PATCH', `/incidents/${incidentId}`, { affectedAssets: ['SRV-DB-01', 'WS-07'] });
      const refused = await start(incidentId);
      expect([refused.status, refused.body['error']?.details?.reason]).toEqual([
        409,
        'the incident has no alert',
      ]);
      const named = await start(incidentId, { __affected_host__: 'ws-07' });
      expect(named.status).toBe(201);
      const isolate = (named.body['steps'] as { key: string; actionId?: string }[]).find(
        (s) => s.key === STEP.isolate,
      )!;
      expect((await api('GET', `/actions/${isolate.actionId}`)).body['agentId']).toBe(
        agentOf['ws-07'],
      );
    });

    it('an agent action whose target variable has no value fails before queuing anything', async () => {
      const created = await api('POST', '/incidents', {
        title: 'No origin known',
        severity: 'high',
      });
      const incidentId = created.body['id'] as string;
      const block = {
        ...isolatePlaybook,
        id: `playbook--${u(301)}`,
        name: 'Block the origin',
        playbook_variables: { __origin_address__: { type: 'ipv4-addr', external: true } },
        workflow: {
          ...isolatePlaybook.workflow,
          [STEP.isolate]: {
            ...isolatePlaybook.workflow[STEP.isolate],
            step_extensions: ext({
              kind: 'agent-action',
              host: 'ws-07',
              action: { kind: 'block', target: '__origin_address__' },
            }),
          },
        },
      };
      expect((await api('POST', '/playbooks', { document: block })).status).toBe(201);
      const started = await api(
        'POST',
        `/incidents/${incidentId}/playbook-runs`,
        { playbookId: block.id },
        responder,
      );
      expect(started.status).toBe(201);
      expect(started.body['status']).toBe('failed');
      const step = (started.body['steps'] as { key: string; state: string; detail: string }[]).find(
        (s) => s.key === STEP.isolate,
      )!;
      expect(step).toMatchObject({
        state: 'failed',
        detail: 'not queued: __origin_address__ has no value',
      });
      const actions = await api('GET', `/actions?incidentId=${incidentId}`);
      expect(actions.body['items'] ?? []).toEqual([]);
    });
  });
}
