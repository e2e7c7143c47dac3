/**
 * Auto-containment end to end, with no human in the loop: the scripted attack (`cordon lab
 * attack`) against a lab workstation → its agent tails the auth log and ships the sshd lines
 * → ingestion → live detection (the shipped SSH brute-force correlation) → an incident →
 * the tenant's default policy (high on a workstation: isolate at once) → the agent isolates.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labAgentPaths, runAttack } from '../src/index.ts';
import type { LabHostLayout } from '../src/index.ts';
import { privilegedTestsUnavailable, uniqueName } from './host-support.ts';
import { startLabServer } from './fixtures/lab-server.ts';
import type { LabServer } from './fixtures/lab-server.ts';

const skip = privilegedTestsUnavailable(['nft', 'ip', 'openssl', 'unshare']);

interface ActionItem {
  readonly id: string;
  readonly state: string;
  readonly requestedBy: string;
  readonly incidentId: string | null;
  readonly action: { readonly kind: string };
}

describe.skipIf(skip !== undefined)('auto-containment in the lab', () => {
  let t: LabServer;
  let host: LabHostLayout;

  beforeAll(async () => {
    t = await startLabServer({ name: uniqueName('auto'), hosts: 1 });
    host = t.lab.hosts[0]!;
    await t.lab.listen(host.namespace, '::', 22);
  }, 60_000);

  afterAll(async () => t?.dispose());

  it('isolates the attacked workstation on its own: attack → detection → incident → policy → agent', async () => {
    const policy = await t.api<{ isDefault: boolean }>(
      'GET',
      `/api/v1/tenants/${t.tenantId}/containment-policy`,
    );
    expect(policy.body.isDefault).toBe(true);
    expect(await t.lab.probe(t.lab.attacker.namespace, host.ipv4, 22, 500)).toBe('connected');

    await runAttack(t.lab, { host, authLogPath: labAgentPaths(t.lab, host).authLogPath });

    let isolation: ActionItem | undefined;
    await expect
      .poll(
        async () => {
          const actions = await t.api<{ items: ActionItem[] }>(
            'GET',
            `/api/v1/tenants/${t.tenantId}/actions`,
          );
          isolation = actions.body.items.find(
            (a) => a.action.kind === 'isolate' && a.requestedBy === 'policy:auto-containment',
          );
          return isolation?.state;
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe('applied');
    expect(isolation?.incidentId).toEqual(expect.any(String));
    const incident = await t.api<{ severity: string }>(
      'GET',
      `/api/v1/tenants/${t.tenantId}/incidents/${isolation!.incidentId}`,
    );
    expect(['high', 'critical']).toContain(incident.body.severity);
    expect(await t.lab.probe(t.lab.attacker.namespace, host.ipv4, 22, 500)).not.toBe('connected');
    expect(await t.lab.probe(t.lab.attacker.namespace, host.ipv6, 22, 500)).not.toBe('connected');
  }, 60_000);
});
