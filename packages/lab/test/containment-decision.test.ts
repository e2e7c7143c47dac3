/**
 * Containment decisions for servers over the real path, in the lab: a critical server with a
 * healthy peer is failed over (a lead confirms), then isolated once two different leads have
 * approved — and not before; a server without a peer is isolated keeping one service port open
 * to one documented segment, and the nftables rules the agent applies let exactly that through.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabHostLayout } from '../src/index.ts';
import { privilegedTestsUnavailable, uniqueName } from './host-support.ts';
import { startLabServer } from './fixtures/lab-server.ts';
import type { LabServer } from './fixtures/lab-server.ts';

const skip = privilegedTestsUnavailable(['nft', 'ip', 'openssl', 'unshare']);
const SERVICE_PORT = 5432;
const OTHER_PORT = 2222;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response JSON, checked by assertions
type Json = any;

describe.skipIf(skip !== undefined)('containment decisions in the lab', () => {
  let t: LabServer;
  let primary: LabHostLayout;
  let peer: LabHostLayout;
  let lone: LabHostLayout;
  let secondLead: string;
  let incidentId: string;
  const assetId: Record<string, string> = {};
  const base = () => `/api/v1/tenants/${t.tenantId}`;
  const api = (method: string, path: string, body?: unknown) =>
    t.api<Json>(method, `${base()}${path}`, body);
  const asSecondLead = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${t.apiUrl}${base()}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${secondLead}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const settled = async (actionId: string): Promise<Json> => {
    let view: Json;
    await expect
      .poll(
        async () => {
          view = (await api('GET', `/actions/${actionId}`)).body;
          return view.state as string;
        },
        { timeout: 30_000, interval: 50 },
      )
      .toMatch(/^(applied|failed|rolled-back)$/);
    return view;
  };

  beforeAll(async () => {
    t = await startLabServer({ name: uniqueName('dec'), hosts: 3 });
    [primary, peer, lone] = t.lab.hosts as [LabHostLayout, LabHostLayout, LabHostLayout];
    secondLead = (
      await t.server.services.access.createToken(
        { kind: 'system', name: 'lab-test' },
        { tenantId: t.tenantId, role: 'incident_lead', name: 'second lead' },
      )
    ).token;
    for (const a of ((await api('GET', '/assets?limit=1000')).body as { items: Json[] }).items)
      assetId[a.name as string] = a.id as string;
    const segment = await api('POST', '/segments', {
      name: 'app',
      cidr: `${peer.ipv4}/32`,
      zone: 'server',
    });
    expect(segment.status, JSON.stringify(segment.body)).toBe(201);
    for (const [host, fields] of [
      [primary, { criticality: 'critical', redundancyGroup: 'db' }],
      [peer, { criticality: 'critical', redundancyGroup: 'db' }],
      [lone, { criticality: 'high' }],
    ] as const) {
      const patched = await api('PATCH', `/assets/${assetId[host.id]}`, {
        kind: 'server',
        operationalStatus: 'up',
        ...fields,
      });
      expect(patched.status, JSON.stringify(patched.body)).toBe(200);
    }
    const incident = await api('POST', '/incidents', {
      title: 'intrusion on the database tier',
      severity: 'high',
    });
    incidentId = incident.body.id as string;
    await api('PATCH', `/incidents/${incidentId}`, { affectedAssets: [primary.id, lone.id] });
    await t.lab.listen(lone.namespace, '::', SERVICE_PORT);
    await t.lab.listen(lone.namespace, '::', OTHER_PORT);
  }, 90_000);

  afterAll(async () => t?.dispose());

  it('fails a critical server over to its online peer, then isolates it after two leads approve', async () => {
    const options = await api(
      'GET',
      `/incidents/${incidentId}/containment-options?assetId=${assetId[primary.id]}`,
    );
    const [primaryOptions] = options.body.assets as Json[];
    expect(primaryOptions.peers).toEqual([
      expect.objectContaining({ name: peer.id, healthy: true, reasons: [] }),
    ]);
    expect(primaryOptions.agent).toMatchObject({ online: true, isolated: false });
    const made = await api('POST', `/incidents/${incidentId}/containment-decisions`, {
      assetId: assetId[primary.id],
      option: 'failover-then-isolate',
      rationale: `${peer.id} takes the load while ${primary.id} is investigated`,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ state: 'awaiting-failover', actions: [] });
    const confirmed = await api(
      'POST',
      `/incidents/${incidentId}/containment-decisions/${made.body.id as string}/failover`,
      { outcome: 'confirmed' },
    );
    expect(confirmed.body).toMatchObject({
      state: 'actions-queued',
      actions: [{ action: { kind: 'isolate' }, state: 'requested', requiredApprovals: 2 }],
    });
    const actionId = confirmed.body.actions[0].id as string;
    expect((await api('POST', `/actions/${actionId}/approve`, {})).body.state).toBe('requested');
    // One approval in: nothing is sent, the host is not isolated.
    const agent = t.agents.get(primary.id)!.agentId;
    expect((await api('GET', `/agents/${agent}`)).body).toMatchObject({ isolated: false });
    expect(
      (await api('GET', `/actions/${actionId}`)).body.transitions.map((x: { to: string }) => x.to),
    ).toEqual(['requested']);
    expect((await api('POST', `/actions/${actionId}/approve`, {})).status).toBe(409);
    expect((await asSecondLead('POST', `/actions/${actionId}/approve`, {})).status).toBe(200);
    const done = await settled(actionId);
    expect(done.state).toBe('applied');
    expect(done.transitions.map((x: { to: string }) => x.to)).toEqual([
      'requested',
      'approved',
      'sent',
      'applied',
    ]);
    await expect
      .poll(async () => (await api('GET', `/agents/${agent}`)).body.isolated as boolean, {
        timeout: 30_000,
      })
      .toBe(true);
  });

  it('isolates a server without a peer keeping its service port open to the named segment only', async () => {
    const probe = (from: string, port: number) => t.lab.probe(from, lone.ipv4, port, 500);
    expect(await probe(t.lab.attacker.namespace, SERVICE_PORT)).toBe('connected');
    const made = await api('POST', `/incidents/${incidentId}/containment-decisions`, {
      assetId: assetId[lone.id],
      option: 'isolate-with-allow',
      rationale: 'no peer: keep the app server on the database port, cut the rest',
      keepOpen: [{ segment: 'app', ports: [SERVICE_PORT] }],
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.commands).toEqual([
      expect.objectContaining({
        action: 'contain',
        args: expect.objectContaining({
          er: {
            device_containment: 'network_isolation',
            permitted_addresses: { ipv4_net: [peer.ipv4] },
          },
        }),
      }),
    ]);
    const [action] = made.body.actions as Json[];
    expect(action).toMatchObject({ state: 'requested', requiredApprovals: 1 });
    // Approved and, its agent being connected, sent at once.
    expect((await api('POST', `/actions/${action.id as string}/approve`, {})).body.state).toMatch(
      /^(approved|sent|applied)$/,
    );
    expect((await settled(action.id as string)).state).toBe('applied');
    // The named segment reaches the kept port; not another port, and nobody else.
    expect(await probe(peer.namespace, SERVICE_PORT)).toBe('connected');
    expect(await probe(peer.namespace, OTHER_PORT)).not.toBe('connected');
    expect(await probe(t.lab.attacker.namespace, SERVICE_PORT)).not.toBe('connected');
    expect(await probe(primary.namespace, SERVICE_PORT)).not.toBe('connected');
  });
});
