/**
 * The real agent against the server's real gateway, across the lab's bridge: enrolment with a
 * token issued by the gateway, isolation requested through the action queue, commands still
 * round-tripping while isolated, release reverting the isolation, and a series of isolate
 * round trips whose request → applied times are printed (not asserted: see bench, not tests).
 */
import { execFileSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandAction } from '@cordon/protocol';
import { Lab } from '../src/index.ts';
import type { LabHostLayout } from '../src/index.ts';
import { privilegedTestsUnavailable, uniqueName } from './host-support.ts';

const skip = privilegedTestsUnavailable(['nft', 'ip', 'openssl']);
const GATEWAY = fileURLToPath(new URL('./fixtures/server-gateway.ts', import.meta.url));
const AGENT = fileURLToPath(new URL('../../agent/bin/cordon-agent.ts', import.meta.url));
const PORT = 8443;
const C2_PORT = 4444;
const SSH_PORT = 22;

interface GatewayEvent {
  readonly event: string;
  readonly [key: string]: unknown;
}

describe.skipIf(skip !== undefined)('agent and server gateway in the lab', () => {
  let lab: Lab;
  let host: LabHostLayout;
  let work: string;
  let gateway: ChildProcess;
  let agent: ChildProcess;
  let agentLog = '';
  const events: GatewayEvent[] = [];
  let requests = 0;

  async function waitFor<T>(
    find: () => T | undefined,
    what: string,
    timeoutMs = 15_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = find();
      if (found !== undefined) return found;
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; agent log:\n${agentLog.slice(-2000)}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** Requests an action and resolves with its final state and the elapsed milliseconds. */
  async function act(
    action: CommandAction,
  ): Promise<{ actionId: string; to: string; detail: unknown; ms: number }> {
    const id = (requests += 1);
    const started = performance.now();
    gateway.stdin!.write(`${JSON.stringify({ op: 'request', id, action })}\n`);
    const { actionId } = (await waitFor(
      () => events.find((e) => e.event === 'requested' && e.id === id),
      'requested',
    )) as unknown as { actionId: string };
    const final = await waitFor(
      () =>
        events.find(
          (e) =>
            e.event === 'transition' &&
            e.actionId === actionId &&
            ['applied', 'failed', 'rolled-back'].includes(e.to as string),
        ),
      `result of ${action.kind}`,
    );
    return {
      actionId,
      to: final.to as string,
      detail: final.detail,
      ms: performance.now() - started,
    };
  }

  const stateOf = (actionId: string) =>
    events.filter((e) => e.event === 'transition' && e.actionId === actionId).map((e) => e.to);

  async function isCut(): Promise<boolean> {
    return (await lab.probe(lab.attacker.namespace, host.ipv6, SSH_PORT, 500)) !== 'connected';
  }

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'cordon-gateway-lab-'));
    lab = await Lab.up({ name: uniqueName('gw'), hosts: 1, stateDir: work });
    host = lab.hosts[0]!;
    const certPath = join(work, 'server.crt');
    const keyPath = join(work, 'server.key');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-subj',
        '/CN=cordon-lab',
        '-days',
        '1',
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { stdio: 'ignore' },
    );
    gateway = await lab.spawnNode(lab.layout.bridgeNamespace, GATEWAY, [
      JSON.stringify({ address: '::', port: PORT, certPath, keyPath, tenantId: 'tenant-lab' }),
    ]);
    let buffered = '';
    gateway.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines)
        if (line.trim() !== '') events.push(JSON.parse(line) as GatewayEvent);
    });
    const ready = await waitFor(() => events.find((e) => e.event === 'ready'), 'gateway ready');
    await lab.listen(lab.attacker.namespace, '::', C2_PORT);
    await lab.listen(host.namespace, '::', SSH_PORT);
    const configPath = join(work, 'agent.json');
    await writeFile(
      configPath,
      JSON.stringify({
        // A name that never resolves (.invalid): the agent must connect to the configured
        // addresses, since DNS is cut off while the host is isolated.
        serverUrl: `wss://cordon-gateway.invalid:${PORT}/api/v1/agents/connect`,
        enrolmentToken: ready.token,
        stateDir: join(work, 'agent-state'),
        isolation: {
          server: [
            { address: lab.layout.gatewayIpv6, port: PORT },
            { address: lab.layout.gatewayIpv4, port: PORT },
          ],
          allow: [],
          // IPv4: the kernel rate-limits the ICMPv6 errors our reject sends to ourselves (1/s per
          // destination), so an IPv6 forbidden target takes ~1 s to prove once probes come fast.
          forbiddenTarget: { address: lab.attacker.ipv4, port: C2_PORT },
        },
        telemetry: { processes: false, connections: false },
      }),
    );
    agent = await lab.spawnNode(host.namespace, AGENT, ['run', '--config', configPath]);
    agent.stderr!.on('data', (chunk: Buffer) => (agentLog += chunk.toString()));
    await waitFor(
      () => (/"message":"enrolled"/.test(agentLog) ? true : undefined),
      'agent enrolled',
    );
  });

  afterAll(async () => {
    await lab?.down();
    await rm(work, { recursive: true, force: true });
  });

  it('isolates through the action queue, keeps commands flowing, and release reverts the isolation', async () => {
    const isolate = await act({ kind: 'isolate' });
    expect(isolate.to).toBe('applied');
    expect(await isCut()).toBe(true);
    expect((await act({ kind: 'ping' })).to).toBe('applied');
    const release = await act({ kind: 'release' });
    expect(release.to).toBe('applied');
    await waitFor(
      () => (stateOf(isolate.actionId).includes('reverted') ? true : undefined),
      'isolation reverted',
    );
    expect(stateOf(isolate.actionId)).toEqual([
      'requested',
      'approved',
      'sent',
      'applied',
      'reverted',
    ]);
    expect(await isCut()).toBe(false);
  });

  it('reports a rollback when the requested allow-list would leave the forbidden target open', async () => {
    const leaky = await act({ kind: 'isolate', allow: [{ network: lab.attacker.ipv4 }] });
    expect(leaky.to).toBe('rolled-back');
    expect(String(leaky.detail)).toMatch(/forbidden target .* still answers/);
    expect(await isCut()).toBe(false);
  });

  it('completes 20 isolate/release round trips through the gateway', async () => {
    const isolateMs: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const isolate = await act({ kind: 'isolate' });
      expect(isolate.to).toBe('applied');
      isolateMs.push(isolate.ms);
      expect((await act({ kind: 'release' })).to).toBe('applied');
    }
    isolateMs.sort((a, b) => a - b);
    const p = (q: number) =>
      isolateMs[Math.min(isolateMs.length - 1, Math.floor(q * isolateMs.length))]!.toFixed(1);
    console.log(`isolate request → verified applied, 20 trials: p50 ${p(0.5)} ms, max ${p(1)} ms`);
    expect(await isCut()).toBe(false);
  }, 120_000);
});
