import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeBase64url, verifyReleaseCode } from '@cordon/protocol';
import type { HostFacts } from '@cordon/protocol';
import {
  ActionQueue,
  AgentGateway,
  DEFAULT_CONTAINMENT_RULES,
  InMemoryAgentRegistry,
  InMemoryEnrolmentTokens,
  applyContainmentPolicy,
  containmentDecision,
  verifyEd25519Raw,
} from './index.ts';

const policy = { tenantId: 't1', rules: DEFAULT_CONTAINMENT_RULES };

describe('containmentDecision', () => {
  it('isolates workstations at once and asks approval for servers, from high severity up', () => {
    expect(
      containmentDecision(policy, { severity: 'critical', assetRole: 'workstation' }).kind,
    ).toBe('isolate');
    expect(containmentDecision(policy, { severity: 'high', assetRole: 'workstation' }).kind).toBe(
      'isolate',
    );
    expect(containmentDecision(policy, { severity: 'high', assetRole: 'server' }).kind).toBe(
      'request-approval',
    );
    expect(containmentDecision(policy, { severity: 'medium', assetRole: 'workstation' }).kind).toBe(
      'none',
    );
    expect(
      containmentDecision({ rules: [] }, { severity: 'critical', assetRole: 'server' }).kind,
    ).toBe('none');
  });
});

describe('applyContainmentPolicy and release codes', () => {
  const registry = new InMemoryAgentRegistry();
  const queue = new ActionQueue();
  const gateway = new AgentGateway({
    registry,
    tokens: new InMemoryEnrolmentTokens(),
    queue,
    serverKey: generateKeyPairSync('ed25519'),
  });
  const facts: HostFacts = {
    hostname: 'srv-1',
    os: { platform: 'linux', release: '6' },
    addresses: { v4: [], v6: [] },
    agentVersion: '0.1.0',
    isolated: false,
  };

  it('queues an approved isolation for a workstation and holds one for a server', async () => {
    const target = { tenantId: 't1', agentId: 'a1', incidentId: 'inc-9' };
    const workstation = await applyContainmentPolicy(
      containmentDecision(policy, { severity: 'critical', assetRole: 'workstation' }),
      target,
      { queue, gateway },
    );
    // Not connected: approved and waiting to be sent when the agent connects.
    expect(workstation).toMatchObject({
      state: 'approved',
      incidentId: 'inc-9',
      requestedBy: 'policy:auto-containment',
      action: { kind: 'isolate' },
    });
    const server = await applyContainmentPolicy(
      containmentDecision(policy, { severity: 'high', assetRole: 'server' }),
      target,
      { queue, gateway },
    );
    expect(server?.state).toBe('requested');
    expect(
      await applyContainmentPolicy({ kind: 'none' }, target, { queue, gateway }),
    ).toBeUndefined();
  });

  it('issues release codes the agent accepts, for enrolled agents only', async () => {
    await registry.put({
      tenantId: 't1',
      agentId: 'a1',
      publicKey: 'x',
      enrolledAt: 0,
      facts,
      online: false,
      lastSeenAt: 0,
      telemetrySeq: 0,
    });
    const { code, codeId } = await gateway.issueReleaseCode('t1', 'a1', 60_000);
    const verdict = verifyReleaseCode(code, {
      tenantId: 't1',
      agentId: 'a1',
      serverPublicKey: decodeBase64url(gateway.serverPublicKey)!,
      verifySignature: verifyEd25519Raw,
      now: Date.now(),
      usedCodeIds: new Set(),
    });
    expect(verdict).toMatchObject({ ok: true, codeId });
    await expect(gateway.issueReleaseCode('t1', 'nobody')).rejects.toThrow(/no agent/);
  });
});
