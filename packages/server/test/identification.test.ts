/**
 * Identification filled in, through the public API on both databases: Sysmon process-creation
 * events on a documented workstation, from an internal, a lab and a public address, hit a
 * tenant Sigma rule tagged attack.execution / attack.t1059.001 → one incident whose
 * identification names the asset (criticality, owner, segment, the business function it
 * runs), the technique and tactic by their ATT&CK names, the category, each origin's class
 * (the public one with country and AS from the offline database), and the activity times;
 * the *identified* guard passes on those facts alone. An analyst's corrections are journalled
 * and survive a later alert; the guard says what is missing on an incident without facts.
 */
import { DIALECTS, dialectAvailable } from '@cordon/storage/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestServer } from './test-server.ts';
import { bearer, startTestServer, system } from './test-server.ts';

const RULE = [
  'title: Inbound PowerShell Remoting Session',
  'id: 5b0f7d6e-8c1a-4f4e-9d3b-2a1c0e9f7b14',
  'level: high',
  'tags: [attack.execution, attack.t1059.001]',
  'logsource: {product: windows, category: network_connection}',
  'detection:',
  "  selection: {Image|endswith: '\\powershell.exe', Initiated: 'false', DestinationPort: 5985}",
  '  condition: selection',
].join('\n');

const T0 = Date.now() - 3 * 3_600_000;

/** Sysmon 3 (network connection): an inbound WinRM connection to PowerShell on ws-07. */
function processEvent(at: number, sourceIp: string): string {
  return JSON.stringify({
    '@timestamp': new Date(at).toISOString(),
    Channel: 'Microsoft-Windows-Sysmon/Operational',
    EventID: 3,
    Computer: 'ws-07',
    UtcTime: new Date(at).toISOString(),
    Image: 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    Protocol: 'tcp',
    Initiated: 'false',
    SourceIp: sourceIp,
    SourcePort: 50123,
    DestinationIp: '10.20.0.7',
    DestinationPort: 5985,
  });
}

interface Fact {
  key: string;
  state: string;
  sources: { kind: string; [k: string]: unknown }[];
  [k: string]: unknown;
}
interface Identification {
  category: Fact | null;
  assets: Fact[];
  techniques: Fact[];
  tactics: Fact[];
  origins: Fact[];
  firstActivity: Fact | null;
  lastActivity: Fact | null;
  removed: Fact[];
  geoDatabase: string | null;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`identification (${dialect})`, () => {
    let t: TestServer;
    let tenantId: string;
    let analyst: string;
    let ingest: string;
    let incidentId: string;
    const id: Record<string, string> = {};
    const api = async (method: 'GET' | 'POST' | 'PATCH', path: string, payload?: object) => {
      const response = await t.server.app.inject({
        method,
        url: `/api/v1/tenants/${tenantId}${path}`,
        headers: bearer(analyst),
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
    const identification = async () =>
      (await api('GET', `/incidents/${incidentId}/identification`)).body as Identification;

    beforeAll(async () => {
      t = await startTestServer(dialect);
      tenantId = (await t.server.services.access.createTenant(system, 'Acme')).id;
      analyst = await t.token(tenantId, 'analyst');
      ingest = await t.token(tenantId, 'ingest');
      const segment = await api('POST', '/segments', {
        name: 'office',
        cidr: '10.20.0.0/16',
        zone: 'user',
      });
      expect(segment.status).toBe(201);
      id['segment'] = segment.body['id'];
      const asset = await api('POST', '/assets', {
        name: 'WS-07',
        kind: 'workstation',
        criticality: 'high',
        owner: 'Finance team',
        segmentId: id['segment'],
        addresses: ['10.20.0.7'],
      });
      expect(asset.status).toBe(201);
      id['ws07'] = asset.body['id'];
      const payroll = await api('POST', '/functions', {
        name: 'Payroll',
        mtdMinutes: 240,
        costPerHour: 900,
        assetIds: [id['ws07']],
      });
      expect(payroll.status).toBe(201);
      id['payroll'] = payroll.body['id'];
      expect((await api('POST', '/detection/rules', { yaml: RULE })).status).toBe(201);
    }, 60_000);
    afterAll(async () => t?.dispose());

    it('fills in assets, techniques, category, origins and times from the alerts', async () => {
      await send([
        processEvent(T0, '10.20.0.50'),
        processEvent(T0 + 60_000, '198.18.0.9'),
        processEvent(T0 + 120_000, '1.1.1.1'),
      ]);
      await expect
        .poll(
          async () => {
            const { body } = await api('GET', '/incidents');
            incidentId = body['items']?.[0]?.id;
            return incidentId ? (await identification()).origins.length : 0;
          },
          { timeout: 20_000, interval: 100 },
        )
        .toBe(3);
      const { body: incidents } = await api('GET', '/incidents');
      expect(incidents['total']).toBe(1);

      const view = await identification();
      expect(view.assets).toEqual([
        expect.objectContaining({
          key: id['ws07'],
          assetId: id['ws07'],
          name: 'WS-07',
          state: 'inferred',
          criticality: 'high',
          owner: 'Finance team',
          segment: { id: id['segment'], name: 'office', zone: 'user' },
          functions: [{ id: id['payroll'], name: 'Payroll', mtdMinutes: 240, costPerHour: 900 }],
        }),
      ]);
      // Found by its name (the reporting host) and by its address (the connection's target).
      expect(view.assets[0]!.sources).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'inventory', matchedBy: 'hostname', value: 'ws-07' }),
          expect.objectContaining({ kind: 'inventory', matchedBy: 'address', value: '10.20.0.7' }),
        ]),
      );
      expect(view.assets[0]!['seenAs']).toEqual(['ws-07', '10.20.0.7']);
      expect(view.techniques).toEqual([
        expect.objectContaining({ id: 'T1059.001', name: 'PowerShell', tactics: ['execution'] }),
      ]);
      expect(view.techniques[0]!.sources).toContainEqual(
        expect.objectContaining({ kind: 'rule', ruleId: '5b0f7d6e-8c1a-4f4e-9d3b-2a1c0e9f7b14' }),
      );
      expect(view.tactics).toEqual([
        expect.objectContaining({ id: 'TA0002', shortname: 'execution', name: 'Execution' }),
      ]);
      expect(view.category).toMatchObject({
        category: 'malware',
        state: 'inferred',
        basis: expect.arrayContaining(['T1059.001', 'tactic:execution']),
      });

      const origin = (address: string) => view.origins.find((o) => o['address'] === address);
      expect(origin('10.20.0.50')).toMatchObject({
        class: 'internal',
        segment: { id: id['segment'], name: 'office' },
        country: null,
      });
      expect(origin('198.18.0.9')).toMatchObject({
        class: 'lab',
        range: expect.stringContaining('198.18.0.0/15'),
        country: null,
        asn: null,
      });
      expect(origin('1.1.1.1')).toMatchObject({
        class: 'external',
        country: 'AU',
        asn: 13335,
        asOrganisation: expect.stringContaining('Cloudflare'),
      });
      expect(origin('1.1.1.1')!.sources).toContainEqual({
        kind: 'geo',
        database: expect.stringMatching(/^@ip-location-db\/asn@\S+, @ip-location-db\/asn-country@/),
      });
      expect(view.geoDatabase).toContain('@ip-location-db/asn@');
      expect(view.firstActivity).toMatchObject({ at: new Date(T0).toISOString() });
      expect(view.lastActivity).toMatchObject({ at: new Date(T0 + 120_000).toISOString() });

      // The incident's own fields carry the facts, and the identified guard passes on them.
      const { body: incident } = await api('GET', `/incidents/${incidentId}`);
      expect(incident['affectedAssets']).toEqual(['WS-07']);
      expect(incident['attackTechniques']).toEqual(expect.arrayContaining(['T1059.001']));
      expect(incident['origins']).toEqual(
        expect.arrayContaining([
          { address: '1.1.1.1', scope: 'external', note: expect.stringContaining('AU AS13335') },
          { address: '10.20.0.50', scope: 'internal', note: 'internal: segment office' },
        ]),
      );
      expect(incident['firstActivityAt']).toBe(new Date(T0).toISOString());
      const moved = await api('POST', `/incidents/${incidentId}/transitions`, { to: 'identified' });
      expect(moved.status).toBe(200);
    });

    it('journals corrections, and later alerts do not undo them', async () => {
      const set = await api('POST', `/incidents/${incidentId}/identification/corrections`, {
        action: 'set',
        kind: 'category',
        category: 'command_and_control',
        reason: 'the encoded command opens a beacon',
      });
      expect(set.status).toBe(200);
      expect(set.body['category']).toMatchObject({
        category: 'command_and_control',
        state: 'corrected',
      });
      const removed = await api('POST', `/incidents/${incidentId}/identification/corrections`, {
        action: 'remove',
        kind: 'origin',
        key: '198.18.0.9',
        reason: 'our own scanner',
      });
      expect(removed.status).toBe(200);
      expect(removed.body['removed']).toEqual([
        expect.objectContaining({ kind: 'origin', key: '198.18.0.9', label: '198.18.0.9' }),
      ]);
      const added = await api('POST', `/incidents/${incidentId}/identification/corrections`, {
        action: 'add',
        kind: 'technique',
        id: 't1105',
      });
      expect(added.status).toBe(200);
      expect(added.body['techniques']).toContainEqual(
        expect.objectContaining({ id: 'T1105', name: 'Ingress Tool Transfer', state: 'corrected' }),
      );
      // Bad corrections: a clear error, nothing written.
      const unknown = await api('POST', `/incidents/${incidentId}/identification/corrections`, {
        action: 'add',
        kind: 'technique',
        id: 'T9999',
      });
      expect([unknown.status, unknown.body['error']?.code]).toEqual([400, 'invalid_input']);
      const twice = await api('POST', `/incidents/${incidentId}/identification/corrections`, {
        action: 'add',
        kind: 'technique',
        id: 'T1105',
      });
      expect([twice.status, twice.body['error']?.code]).toEqual([409, 'conflict']);
      const missing = await api('POST', `/incidents/${incidentId}/identification/corrections`, {
        action: 'remove',
        kind: 'origin',
        key: '203.0.113.1',
      });
      expect(missing.status).toBe(404);

      const journal = await t.server.store.transaction(async (uow) =>
        uow.forTenant(tenantId).journal.list({ incidentId }, 500),
      );
      const corrections = journal.filter((e) => e.kind === 'incident.identification_corrected');
      expect(corrections.map((e) => (e.payload as { action: string }).action)).toEqual([
        'set',
        'remove',
        'add',
      ]);
      expect(corrections[1]!.payload).toMatchObject({
        kind: 'origin',
        key: '198.18.0.9',
        reason: 'our own scanner',
      });
      expect(journal.some((e) => e.kind === 'incident.identification_inferred')).toBe(true);

      // A later alert (past the merge window) from the removed address: inference runs again,
      // the activity widens, and the analyst's word stands.
      const later = T0 + 30 * 60_000;
      await send([processEvent(later, '198.18.0.9')]);
      await expect
        .poll(async () => (await identification()).lastActivity?.['at'], {
          timeout: 20_000,
          interval: 100,
        })
        .toBe(new Date(later).toISOString());
      const view = await identification();
      expect(view.category).toMatchObject({ category: 'command_and_control', state: 'corrected' });
      expect(view.origins.map((o) => o['address']).sort()).toEqual(['1.1.1.1', '10.20.0.50']);
      expect(view.removed.map((f) => f.key)).toEqual(['198.18.0.9']);
      expect(view.techniques.map((f) => f['id']).sort()).toEqual(['T1059.001', 'T1105']);
      const { body: incident } = await api('GET', `/incidents/${incidentId}`);
      expect(incident['origins'].map((o: { address: string }) => o.address).sort()).toEqual([
        '1.1.1.1',
        '10.20.0.50',
      ]);
      expect(incident['attackTechniques']).toEqual(expect.arrayContaining(['T1059.001', 'T1105']));
      const { body: alerts } = await api('GET', '/alerts');
      expect(alerts['total']).toBe(4);
    });

    it('says precisely what is missing on an incident without facts', async () => {
      const created = await api('POST', '/incidents', {
        title: 'Reported by phone',
        severity: 'low',
      });
      expect(created.status).toBe(201);
      const moved = await api('POST', `/incidents/${created.body['id']}/transitions`, {
        to: 'identified',
      });
      expect(moved.status).toBe(422);
      expect(moved.body['error'].details.unmet).toEqual([
        expect.stringMatching(/^no affected assets recorded: .*add an asset/),
        expect.stringMatching(/^no attack type \(ATT&CK technique\) recorded: .*attack\.tNNNN/),
        expect.stringMatching(/^no origin recorded: /),
      ]);
      const empty = await api('GET', `/incidents/${created.body['id']}/identification`);
      expect(empty.status).toBe(200);
      expect(empty.body).toMatchObject({ assets: [], techniques: [], category: null });
    });
  });
}
