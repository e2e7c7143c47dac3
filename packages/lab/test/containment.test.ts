/**
 * Host isolation with real nftables in real network namespaces: a lab host is isolated by the
 * agent's executor (run inside the host's namespace), and traffic is checked from the
 * attacker, from the host and to the "server" listening on the bridge side.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Lab } from '../src/index.ts';
import type { LabHostLayout } from '../src/index.ts';
import { privilegedTestsUnavailable, uniqueName } from './host-support.ts';

const skip = privilegedTestsUnavailable();
const DRIVER = fileURLToPath(new URL('./fixtures/isolation-driver.ts', import.meta.url));
const SERVER_PORT = 9443;
const MANAGEMENT_PORT = 9444;
const C2_PORT = 4444;
const SSH_PORT = 22;

describe.skipIf(skip !== undefined)('host isolation in a network-namespace lab', () => {
  let lab: Lab;
  let host: LabHostLayout;
  let work: string;
  let stateDir: string;
  let policy: { server: { address: string; port: number }[]; allow: unknown[] };
  let forbidden: { address: string; port: number };

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cordon-containment-'));
    lab = await Lab.up({ name: uniqueName('ct'), hosts: 1, stateDir: work });
    host = lab.hosts[0]!;
    const bridge = lab.layout.bridgeNamespace;
    await lab.listen(bridge, '::', SERVER_PORT);
    await lab.listen(bridge, '::', MANAGEMENT_PORT, 'echo');
    await lab.listen(lab.attacker.namespace, '::', C2_PORT);
    await lab.listen(host.namespace, '::', SSH_PORT);
    policy = {
      server: [
        { address: lab.layout.gatewayIpv4, port: SERVER_PORT },
        { address: lab.layout.gatewayIpv6, port: SERVER_PORT },
        { address: lab.layout.gatewayIpv4, port: MANAGEMENT_PORT },
      ],
      allow: [],
    };
    forbidden = { address: lab.attacker.ipv4, port: C2_PORT };
  });

  afterAll(async () => {
    await lab?.down();
    await rm(work, { recursive: true, force: true });
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON from the driver, checked by the assertions
  async function drive(request: Record<string, unknown>): Promise<any> {
    const payload = { stateDir, policy, forbidden, probeTimeoutMs: 500, ...request };
    const { stdout } = await lab.exec(
      host.namespace,
      [process.execPath, DRIVER, JSON.stringify(payload)],
      {
        timeoutMs: 120_000,
      },
    );
    return JSON.parse(stdout);
  }

  /** `open` when packets flow (connected, or refused by a live peer), `cut` otherwise. */
  async function reachability(): Promise<Record<string, 'open' | 'cut'>> {
    const a = lab.attacker;
    const [inV4, inV6, outV4, outV6, srvV4, srvV6] = await Promise.all([
      lab.probe(a.namespace, host.ipv4, SSH_PORT, 500),
      lab.probe(a.namespace, host.ipv6, SSH_PORT, 500),
      lab.probe(host.namespace, a.ipv4, C2_PORT, 500),
      lab.probe(host.namespace, a.ipv6, C2_PORT, 500),
      lab.probe(host.namespace, lab.layout.gatewayIpv4, SERVER_PORT, 500),
      lab.probe(host.namespace, lab.layout.gatewayIpv6, SERVER_PORT, 500),
    ]);
    const flows = (outcome: string): 'open' | 'cut' =>
      outcome === 'connected' || outcome === 'refused' ? 'open' : 'cut';
    const outcomes = { inV4, inV6, outV4, outV6, srvV4, srvV6 };
    return Object.fromEntries(Object.entries(outcomes).map(([k, v]) => [k, flows(v)]));
  }

  const OPEN = {
    inV4: 'open',
    inV6: 'open',
    outV4: 'open',
    outV6: 'open',
    srvV4: 'open',
    srvV6: 'open',
  };
  const ISOLATED = {
    inV4: 'cut',
    inV6: 'cut',
    outV4: 'cut',
    outV6: 'cut',
    srvV4: 'open',
    srvV6: 'open',
  };

  async function cordonTables(): Promise<string> {
    const { stdout } = await lab.exec(host.namespace, ['nft', 'list', 'tables']);
    return stdout.trim();
  }

  it('cuts the host off over IPv4 and IPv6 both ways while the server stays reachable; release restores', async () => {
    stateDir = await mkdtemp(join(work, 'state-'));
    expect(await reachability()).toEqual(OPEN);
    const report = await drive({ op: 'isolate' });
    expect(report.status).toBe('applied');
    expect(report.forbiddenProbe.outcome).toBe('unreachable');
    expect(await reachability()).toEqual(ISOLATED);
    expect(await cordonTables()).toBe('table inet cordon_isolation');
    const state = JSON.parse(await readFile(join(stateDir, 'state.json'), 'utf8'));
    expect(state.isolation.desired).toBe('isolated');

    expect((await drive({ op: 'release' })).status).toBe('applied');
    expect(await reachability()).toEqual(OPEN);
    expect(await cordonTables()).toBe('');
  });

  it('survives 100 isolate/release cycles without losing the management connection or leaving rules', async () => {
    stateDir = await mkdtemp(join(work, 'state-'));
    const result = await drive({
      op: 'cycle',
      cycles: 100,
      management: { address: lab.layout.gatewayIpv4, port: MANAGEMENT_PORT },
    });
    expect(result).toEqual({
      outcomes: { 'isolate:applied': 100, 'release:applied': 100 },
      managementLost: 0,
    });
    const { stdout } = await lab.exec(host.namespace, ['nft', 'list', 'ruleset']);
    expect(stdout.trim()).toBe('');
    expect(await reachability()).toEqual(OPEN);
  }, 180_000);

  it('rolls back with the reason when the configuration would cut the server', async () => {
    stateDir = await mkdtemp(join(work, 'state-'));
    // The server is configured on a port nothing answers on: after applying, the agent cannot
    // reach it, so it must not stay isolated.
    const wrongServer = { server: [{ address: lab.layout.gatewayIpv4, port: 9999 }], allow: [] };
    const report = await drive({ op: 'isolate', policy: wrongServer });
    expect(report.status).toBe('rolled-back');
    expect(report.detail).toMatch(/server unreachable/);
    expect(await cordonTables()).toBe('');
    expect(await reachability()).toEqual(OPEN);
    const state = JSON.parse(await readFile(join(stateDir, 'state.json'), 'utf8'));
    expect(state.isolation).toMatchObject({
      desired: 'released',
      reason: expect.stringMatching(/^rolled back: server unreachable/),
    });
  });

  it('rolls back when the allow-list leaves the forbidden target reachable', async () => {
    stateDir = await mkdtemp(join(work, 'state-'));
    const leaky = { ...policy, allow: [{ network: '198.18.0.0/24' }] };
    const report = await drive({ op: 'isolate', policy: leaky });
    expect(report.status).toBe('rolled-back');
    expect(report.detail).toMatch(/forbidden target .* still answers \(connected\)/);
    expect(await cordonTables()).toBe('');
  });

  it('keeps an allow-listed jump host able to reach the host service', async () => {
    stateDir = await mkdtemp(join(work, 'state-'));
    const jump = { ...policy, allow: [{ network: lab.layout.gatewayIpv6, ports: [SSH_PORT] }] };
    expect((await drive({ op: 'isolate', policy: jump })).status).toBe('applied');
    const bridge = lab.layout.bridgeNamespace;
    expect(await lab.probe(bridge, host.ipv6, SSH_PORT, 500)).toBe('connected');
    expect(await lab.probe(lab.attacker.namespace, host.ipv6, SSH_PORT, 500)).toBe('timeout');
    expect((await drive({ op: 'release' })).status).toBe('applied');
  });

  it('re-applies persisted isolation and blocks at start', async () => {
    stateDir = await mkdtemp(join(work, 'state-'));
    expect((await drive({ op: 'isolate' })).status).toBe('applied');
    // Simulate a reboot: the kernel's rules are gone, the agent's state file is not.
    await lab.exec(host.namespace, ['nft', 'flush', 'ruleset']);
    expect(await reachability()).toEqual(OPEN);
    const reconciled = await drive({ op: 'reconcile' });
    expect(reconciled.isolation.status).toBe('applied');
    expect(await reachability()).toEqual(ISOLATED);
    expect((await drive({ op: 'release' })).status).toBe('applied');
    expect((await drive({ op: 'reconcile' })).isolation.detail).toBe('not isolated');
    expect(await reachability()).toEqual(OPEN);
  });

  it('blocks and unblocks an address in and out, and refuses to block the server', async () => {
    stateDir = await mkdtemp(join(work, 'state-'));
    const a = lab.attacker;
    await drive({ op: 'block', target: a.ipv4 });
    expect((await drive({ op: 'block', target: `${a.ipv6}/128` })).blocked).toEqual([
      a.ipv4,
      a.ipv6,
    ]);
    expect(await reachability()).toEqual(ISOLATED);
    await expect(drive({ op: 'block', target: '198.18.0.0/24' })).rejects.toThrow(
      /contains the server address/,
    );
    await drive({ op: 'unblock', target: a.ipv4 });
    expect((await drive({ op: 'unblock', target: a.ipv6 })).blocked).toEqual([]);
    expect(await reachability()).toEqual(OPEN);
    expect(await cordonTables()).toBe('');
  });
});
