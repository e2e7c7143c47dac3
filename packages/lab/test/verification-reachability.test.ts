/**
 * issue 14: the reachability verification check over the real path, as root — the check is
 * defined over the API, its `reachability-test` command is signed, sent to the agent in its
 * namespace, and the agent's signed probe outcomes finish the run: a blocked address
 * unreachable, a service port open, a closed port closed. Lifting the block makes the same check
 * fail. A probe towards an address the tenant does not document is refused when the check is
 * defined, and an nftables counter in the probing host's namespace shows no packet went there.
 */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabHostLayout } from '../src/index.ts';
import { privilegedTestsUnavailable, uniqueName } from './host-support.ts';
import { startLabServer } from './fixtures/lab-server.ts';
import type { LabServer } from './fixtures/lab-server.ts';

const skip = privilegedTestsUnavailable(['nft', 'ip', 'openssl', 'unshare']);
const C2_PORT = 4444;
const SERVICE_PORT = 8080;
const CLOSED_PORT = 9;
const UNDOCUMENTED = '198.18.99.99';

interface Run {
  id: string;
  status: string;
  reason: string | null;
  actionId: string | null;
  findings: {
    probes?: { address: string; port: number; expect: string; outcome: string; passed: boolean }[];
  };
}

describe.skipIf(skip !== undefined)('reachability verification, in the lab', () => {
  let t: LabServer;
  let prober: LabHostLayout;
  let service: LabHostLayout;
  let agentId: string;
  let incidentId: string;

  /** Packets the probing host sent to an address (counted before any other output rule). */
  const sentTo = (address: string): number => {
    const out = execFileSync('ip', [
      'netns',
      'exec',
      prober.namespace,
      'nft',
      'list',
      'table',
      'inet',
      'probewatch',
    ]).toString();
    const line = out.split('\n').find((l) => l.includes(`ip daddr ${address}`)) ?? '';
    return Number(/packets (\d+)/.exec(line)?.[1] ?? 'NaN');
  };

  const runCheck = async (checkId: string): Promise<Run> => {
    const base = `/api/v1/tenants/${t.tenantId}/incidents/${incidentId}/verification`;
    const started = await t.api<Run>(
      'POST',
      `${base}/checks/${checkId}/runs`,
      undefined,
      'responder',
    );
    expect(started.status, JSON.stringify(started.body)).toBe(201);
    let run = started.body;
    await expect
      .poll(
        async () => {
          const runs = await t.api<Run[]>(
            'GET',
            `${base}/runs?checkId=${checkId}`,
            undefined,
            'client_viewer',
          );
          run = runs.body.find((r) => r.id === started.body.id)!;
          return run.status;
        },
        { timeout: 30_000, interval: 100 },
      )
      .not.toBe('running');
    return run;
  };

  beforeAll(async () => {
    t = await startLabServer({ name: uniqueName('ver'), hosts: 2 });
    [prober, service] = t.lab.hosts as [LabHostLayout, LabHostLayout];
    agentId = t.agents.get(prober.id)!.agentId;
    await t.lab.listen(t.lab.attacker.namespace, '::', C2_PORT);
    await t.lab.listen(service.namespace, '::', SERVICE_PORT);
    const attacker = await t.api('POST', `/api/v1/tenants/${t.tenantId}/assets`, {
      name: 'attacker-host',
      kind: 'server',
      addresses: [t.lab.attacker.ipv4],
    });
    expect(attacker.status).toBe(201);
    const incident = await t.api<{ id: string }>(
      'POST',
      `/api/v1/tenants/${t.tenantId}/incidents`,
      {
        title: 'C2 from h1 to the attacker',
        severity: 'high',
      },
    );
    incidentId = incident.body.id;
    execFileSync('ip', ['netns', 'exec', prober.namespace, 'nft', '-f', '-'], {
      input: [
        'table inet probewatch {',
        '  chain out {',
        '    type filter hook output priority -500; policy accept;',
        `    ip daddr ${UNDOCUMENTED} counter`,
        `    ip daddr ${t.lab.attacker.ipv4} counter`,
        '  }',
        '}',
      ].join('\n'),
    });
  }, 90_000);

  afterAll(async () => t?.dispose());

  it('passes while the attacker is blocked and services answer, fails once the block is lifted', async () => {
    const blocked = await t.act(
      prober,
      { kind: 'block', target: t.lab.attacker.ipv4 },
      { incidentId },
    );
    expect(blocked.state).toBe('applied');
    const check = await t.api<{ id: string; spec: { agentId: string } }>(
      'POST',
      `/api/v1/tenants/${t.tenantId}/incidents/${incidentId}/verification/checks`,
      {
        kind: 'reachability',
        agentId,
        timeoutMs: 1000,
        probes: [
          { address: t.lab.attacker.ipv4, port: C2_PORT, expect: 'unreachable' },
          { address: service.ipv4, port: SERVICE_PORT, expect: 'open' },
          { address: service.ipv4, port: CLOSED_PORT, expect: 'closed' },
        ],
      },
      'responder',
    );
    expect(check.status, JSON.stringify(check.body)).toBe(201);

    const passed = await runCheck(check.body.id);
    expect(passed.status, passed.reason ?? '').toBe('passed');
    expect(passed.findings.probes?.map((p) => [p.port, p.outcome, p.passed])).toEqual([
      [C2_PORT, 'timeout', true],
      [SERVICE_PORT, 'connected', true],
      [CLOSED_PORT, 'refused', true],
    ]);
    const action = await t.api<{
      action: { kind: string };
      state: string;
      result: { signature: string };
    }>('GET', `/api/v1/tenants/${t.tenantId}/actions/${passed.actionId}`);
    expect(action.body).toMatchObject({ action: { kind: 'reachability-test' }, state: 'applied' });
    expect(sentTo(t.lab.attacker.ipv4)).toBeGreaterThan(0);

    expect(
      (await t.act(prober, { kind: 'unblock', target: t.lab.attacker.ipv4 }, { incidentId })).state,
    ).toBe('applied');
    const failed = await runCheck(check.body.id);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toBe(
      `${t.lab.attacker.ipv4}:${C2_PORT} expected unreachable, got connected`,
    );
  }, 120_000);

  it('refuses a probe to an undocumented address without sending anything there', async () => {
    const before = await t.api<{ items: unknown[] }>(
      'GET',
      `/api/v1/tenants/${t.tenantId}/actions?agentId=${agentId}`,
    );
    const refused = await t.api<{ error: { code: string; details: { undocumented: string[] } } }>(
      'POST',
      `/api/v1/tenants/${t.tenantId}/incidents/${incidentId}/verification/checks`,
      {
        kind: 'reachability',
        agentId,
        probes: [
          { address: service.ipv4, port: SERVICE_PORT, expect: 'open' },
          { address: UNDOCUMENTED, port: 22, expect: 'unreachable' },
        ],
      },
      'responder',
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({
      code: 'invalid_input',
      details: { undocumented: [UNDOCUMENTED] },
    });
    const direct = await t.act(prober, { kind: 'ping' });
    expect(direct.state).toBe('applied');
    const after = await t.api<{ items: { action: { kind: string } }[] }>(
      'GET',
      `/api/v1/tenants/${t.tenantId}/actions?agentId=${agentId}`,
    );
    // Only the ping was added: no reachability-test was queued.
    expect(after.body.items.length).toBe(before.body.items.length + 1);
    expect(after.body.items.filter((a) => a.action.kind === 'reachability-test')).toHaveLength(2);
    expect(sentTo(UNDOCUMENTED)).toBe(0);
  });
});
