/**
 * Containment over the real path: REST call → the server's action queue (SQLite) → agent
 * gateway (TLS, pinned) → relays → the agent in the host's namespace → nftables, and the
 * agent's signed result back into the action's transitions and the journal.
 */
import { randomBytes, generateKeyPairSync, sign } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCommand } from '@cordon/protocol';
import type { CommandAction } from '@cordon/protocol';
import { labAgentPaths } from '../src/index.ts';
import type { LabHostLayout } from '../src/index.ts';
import { privilegedTestsUnavailable, uniqueName } from './host-support.ts';
import { startLabServer } from './fixtures/lab-server.ts';
import type { LabServer } from './fixtures/lab-server.ts';

const CORDON = fileURLToPath(new URL('../../cli/bin/cordon.js', import.meta.url));
const skip = privilegedTestsUnavailable(['nft', 'ip', 'openssl', 'unshare']);
const SSH_PORT = 22;
const C2_PORT = 4444;

describe.skipIf(skip !== undefined)('containment over the API, in the lab', () => {
  let t: LabServer;
  let host: LabHostLayout;
  let agentId: string;

  const connections = async (): Promise<number> =>
    ((await readFile(t.agents.get(host.id)!.logFile, 'utf8')).match(/"message":"connected"/g) ?? [])
      .length;

  /** Every direction the isolation must cut, as probe outcomes. */
  async function reachability(): Promise<Record<string, boolean>> {
    const { attacker } = t.lab;
    const up = async (from: string, address: string, port: number) =>
      (await t.lab.probe(from, address, port, 400)) === 'connected';
    const [toHost4, toHost6, fromHost4, fromHost6] = await Promise.all([
      up(attacker.namespace, host.ipv4, SSH_PORT),
      up(attacker.namespace, host.ipv6, SSH_PORT),
      up(host.namespace, attacker.ipv4, C2_PORT),
      up(host.namespace, attacker.ipv6, C2_PORT),
    ]);
    return { toHost4, toHost6, fromHost4, fromHost6 };
  }
  const allOpen = { toHost4: true, toHost6: true, fromHost4: true, fromHost6: true };
  const allCut = { toHost4: false, toHost6: false, fromHost4: false, fromHost6: false };

  const nftTables = (): string =>
    execFileSync('ip', ['netns', 'exec', host.namespace, 'nft', 'list', 'tables']).toString();

  beforeAll(async () => {
    t = await startLabServer({ name: uniqueName('api'), hosts: 1 });
    host = t.lab.hosts[0]!;
    agentId = t.agents.get(host.id)!.agentId;
    await t.lab.listen(host.namespace, '::', SSH_PORT);
    await t.lab.listen(t.lab.attacker.namespace, '::', C2_PORT);
  }, 60_000);

  afterAll(async () => t?.dispose());

  it('lists the enrolled agent, online, by its lab host name', async () => {
    const agents = await t.api<{ items: { agentId: string; hostname: string; online: boolean }[] }>(
      'GET',
      `/api/v1/tenants/${t.tenantId}/agents`,
      undefined,
      'client_viewer',
    );
    expect(agents.body.items).toEqual([
      expect.objectContaining({ agentId, hostname: host.id, online: true }),
    ]);
  });

  it('isolates over IPv4 and IPv6 both ways while commands still round-trip; release restores', async () => {
    expect(await reachability()).toEqual(allOpen);
    const isolate = await t.act(host, { kind: 'isolate' });
    expect(isolate).toMatchObject({ state: 'applied' });
    expect(await reachability()).toEqual(allCut);
    expect(await t.act(host, { kind: 'ping' })).toMatchObject({ state: 'applied' });
    const agent = await t.api<{ isolated: boolean }>(
      'GET',
      `/api/v1/tenants/${t.tenantId}/agents/${agentId}`,
    );
    expect(agent.body.isolated).toBe(true);

    expect(await t.act(host, { kind: 'release' })).toMatchObject({ state: 'applied' });
    expect(await reachability()).toEqual(allOpen);
    const shown = await t.api<{ state: string; transitions: { to: string; actor: string }[] }>(
      'GET',
      `/api/v1/tenants/${t.tenantId}/actions/${isolate.id}`,
      undefined,
      'client_viewer',
    );
    expect(shown.body.state).toBe('reverted');
    expect(shown.body.transitions.map((x) => x.to)).toEqual([
      'requested',
      'approved',
      'sent',
      'applied',
      'reverted',
    ]);
    expect(shown.body.transitions[3]?.actor).toBe(`agent:${agentId}`);
  });

  it('hands agent telemetry to the ingestion pipeline: a tailed auth log line lands in the event store', async () => {
    const marker = `user${randomBytes(4).toString('hex')}`;
    const line = `Nov 28 12:00:00 ${host.id} sshd[4242]: Failed password for ${marker} from ${t.lab.attacker.ipv4} port 50000 ssh2`;
    await appendFile(labAgentPaths(t.lab, host).authLogPath, `${line}\n`);
    await expect
      .poll(
        async () => {
          const found = await t.server.store.events.search(t.tenantId, { limit: 10_000 });
          return found.events.some((e) => JSON.stringify(e.event).includes(marker));
        },
        { timeout: 15_000, interval: 200 },
      )
      .toBe(true);
  });

  it('collects triage as evidence of the incident, with its custody record', async () => {
    const incident = await t.server.services.incidents.create(
      { kind: 'system', name: 'test' },
      t.tenantId,
      { title: 'suspicious shell on h1', severity: 'high' },
    );
    const triage = await t.act(
      host,
      { kind: 'collect-triage', hashPaths: ['/etc/hostname'] },
      { incidentId: incident.id },
    );
    expect(triage.state).toBe('applied');
    await expect
      .poll(
        async () =>
          (
            await t.api<{ items: { filename: string; collectedFrom: string }[] }>(
              'GET',
              `/api/v1/tenants/${t.tenantId}/evidence?incidentId=${incident.id}`,
            )
          ).body.items,
      )
      .toEqual([
        expect.objectContaining({
          filename: expect.stringMatching(/^triage-h1-/),
          collectedFrom: 'h1',
        }),
      ]);
  });

  it('refuses containment to a viewer and approval to a responder', async () => {
    const viewer = await t.api(
      'POST',
      `/api/v1/tenants/${t.tenantId}/actions`,
      {
        host: host.id,
        action: { kind: 'isolate' },
      },
      'client_viewer',
    );
    expect(viewer.status).toBe(403);
    const bad = await t.api<{ error: { message: string } }>(
      'POST',
      `/api/v1/tenants/${t.tenantId}/actions`,
      { host: host.id, action: { kind: 'block', target: 'not-an-address' } },
      'responder',
    );
    expect(bad.status).toBe(400);
  });

  it('survives 100 isolate/release cycles over the API: channel never lost, no rule left', async () => {
    const before = await connections();
    for (let i = 0; i < 100; i += 1) {
      expect((await t.act(host, { kind: 'isolate' })).state).toBe('applied');
      expect((await t.act(host, { kind: 'release' })).state).toBe('applied');
    }
    expect(await connections()).toBe(before);
    expect(nftTables()).not.toMatch(/cordon/);
    expect(await reachability()).toEqual(allOpen);
  }, 300_000);

  it('rolls back and reports why when the allow-list would defeat the isolation', async () => {
    const leaky = await t.act(host, {
      kind: 'isolate',
      allow: [{ network: `${t.lab.attacker.ipv4}/32` }],
    });
    expect(leaky.state).toBe('rolled-back');
    expect(leaky.detail).toMatch(/forbidden target .* still answers/);
    expect(await reachability()).toEqual(allOpen);
    expect(nftTables()).not.toMatch(/cordon/);
  });

  it('stays isolated when the agent is killed with SIGKILL; restarted, it reconciles and release works', async () => {
    expect((await t.act(host, { kind: 'isolate' })).state).toBe('applied');
    process.kill(t.agents.get(host.id)!.pid, 'SIGKILL');
    await expect
      .poll(
        async () =>
          (
            await t.api<{ online: boolean }>(
              'GET',
              `/api/v1/tenants/${t.tenantId}/agents/${agentId}`,
            )
          ).body.online,
        { timeout: 10_000 },
      )
      .toBe(false);
    expect(await reachability()).toEqual(allCut);
    await t.restartAgent(host);
    await expect
      .poll(
        async () =>
          (
            await t.api<{ online: boolean }>(
              'GET',
              `/api/v1/tenants/${t.tenantId}/agents/${agentId}`,
            )
          ).body.online,
        { timeout: 15_000 },
      )
      .toBe(true);
    expect(await reachability()).toEqual(allCut);
    expect((await t.act(host, { kind: 'release' })).state).toBe('applied');
    expect(await reachability()).toEqual(allOpen);
  }, 60_000);

  it('breaks glass: a release code issued over the API releases a host whose agent cannot reach the server', async () => {
    const isolation = await t.act(host, { kind: 'isolate' });
    expect(isolation.state).toBe('applied');
    process.kill(t.agents.get(host.id)!.pid, 'SIGKILL');
    const issued = await t.api<{ code: string; codeId: string }>(
      'POST',
      `/api/v1/tenants/${t.tenantId}/agents/${agentId}/release-codes`,
      {},
    );
    expect(issued.status).toBe(201);
    expect(await reachability()).toEqual(allCut);
    const { configPath } = labAgentPaths(t.lab, host);
    const released = await t.lab.exec(host.namespace, [
      process.execPath,
      CORDON,
      'agent',
      'release',
      '--config',
      configPath,
      '--code',
      issued.body.code,
    ]);
    expect(released.stdout).toContain(`isolation released (code ${issued.body.codeId})`);
    expect(await reachability()).toEqual(allOpen);
    await t.restartAgent(host);
    await expect
      .poll(
        async () =>
          (
            await t.api<{ online: boolean; isolated: boolean }>(
              'GET',
              `/api/v1/tenants/${t.tenantId}/agents/${agentId}`,
            )
          ).body,
        { timeout: 20_000 },
      )
      .toMatchObject({ online: true, isolated: false });
    expect(await reachability()).toEqual(allOpen);
    // The server learns it from the agent's heartbeat: the isolation is recorded as undone.
    const shown = await t.api<{
      state: string;
      transitions: { to: string; detail: string | null }[];
    }>('GET', `/api/v1/tenants/${t.tenantId}/actions/${isolation.id}`);
    expect(shown.body.state).toBe('reverted');
    expect(shown.body.transitions.at(-1)?.detail).toMatch(/released there/);
  }, 60_000);

  it('rolls back and reports it over the API when the agent is configured to keep the wrong server open', async () => {
    const { configPath } = labAgentPaths(t.lab, host);
    const original = await readFile(configPath, 'utf8');
    const config = JSON.parse(original) as { isolation: { server: unknown[] } };
    // The gateway listens on 8443: an isolation that keeps only port 9 open would cut it.
    config.isolation.server = [{ address: t.lab.layout.gatewayIpv4, port: 9 }];
    const online = async () =>
      (await t.api<{ online: boolean }>('GET', `/api/v1/tenants/${t.tenantId}/agents/${agentId}`))
        .body.online;
    const restartWith = async (text: string) => {
      process.kill(t.agents.get(host.id)!.pid, 'SIGTERM');
      await expect.poll(online, { timeout: 10_000 }).toBe(false);
      await writeFile(configPath, text);
      await t.restartAgent(host);
      await expect.poll(online, { timeout: 15_000 }).toBe(true);
    };
    await restartWith(JSON.stringify(config));
    try {
      const cut = await t.act(host, { kind: 'isolate' });
      expect(cut.state).toBe('rolled-back');
      expect(cut.detail).toMatch(/server/);
      expect(await reachability()).toEqual(allOpen);
      expect(nftTables()).not.toMatch(/cordon/);
      expect(await t.act(host, { kind: 'ping' })).toMatchObject({ state: 'applied' });
    } finally {
      await restartWith(original);
    }
  }, 90_000);

  it('has forged, replayed, expired, cross-tenant and misaddressed commands rejected and journalled', async () => {
    const { server, tenantId } = t;
    const now = Date.now();
    const body = (overrides: Record<string, unknown> = {}) => ({
      version: 1 as const,
      tenantId,
      agentId,
      commandId: randomBytes(8).toString('hex'),
      nonce: randomBytes(16).toString('hex'),
      issuedAt: now,
      expiresAt: now + 60_000,
      action: { kind: 'isolate' } as CommandAction,
      ...overrides,
    });
    const withServerKey = (m: Uint8Array) => new Uint8Array(sign(null, m, server.key.privateKey));
    const impostor = generateKeyPairSync('ed25519').privateKey;
    const replayed = signCommand(body({ action: { kind: 'ping' } }), withServerKey);
    const commands = {
      forged: signCommand(body(), (m) => new Uint8Array(sign(null, m, impostor))),
      expired: signCommand(
        body({ issuedAt: now - 120_000, expiresAt: now - 60_000 }),
        withServerKey,
      ),
      'cross-tenant': signCommand(
        body({ tenantId: randomBytes(8).toString('hex') }),
        withServerKey,
      ),
      misaddressed: signCommand(body({ agentId: 'agent-ffffffffffffffff' }), withServerKey),
    };
    const journalled = async () =>
      (
        await server.store.transaction(async (uow) =>
          uow.forTenant(tenantId).journal.list({}, 10_000),
        )
      ).filter((e) => e.kind === 'agent.command-rejected');
    const before = (await journalled()).length;
    // The first delivery of `replayed` is accepted (a ping); the second must be refused.
    expect(server.containment.gateway.deliver(tenantId, agentId, replayed)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(server.containment.gateway.deliver(tenantId, agentId, replayed)).toBe(true);
    for (const command of Object.values(commands))
      expect(server.containment.gateway.deliver(tenantId, agentId, command)).toBe(true);
    await expect
      .poll(async () => (await journalled()).length - before, { timeout: 10_000 })
      .toBe(5);
    const reasons = (await journalled())
      .slice(before)
      .map((e) => (e.payload as { reason: string }).reason)
      .sort();
    expect(reasons).toHaveLength(5);
    expect(new Set(reasons).size).toBeGreaterThanOrEqual(4);
    expect(await reachability()).toEqual(allOpen);
  });
});
