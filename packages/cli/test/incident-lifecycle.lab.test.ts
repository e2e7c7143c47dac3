/**
 * issue 14, the first thing to show: one incident from the attack to *closed* through the API
 * only, in the lab, as root — a real server, real agents in namespaces, real nftables. The test
 * drives the scenario `cordon lab scenario workstation-compromise` plays and asserts on what it
 * saw, so the demo and the test cannot drift apart.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { runWorkstationCompromise } from '../src/scenario/workstation-compromise.ts';

function unavailable(): string | undefined {
  const missing: string[] = [];
  if (process.getuid?.() !== 0) missing.push('root');
  for (const tool of ['nft', 'ip', 'openssl', 'unshare'])
    try {
      execFileSync('sh', ['-c', 'command -v "$1"', 'sh', tool], { stdio: 'ignore' });
    } catch {
      missing.push(tool);
    }
  if (missing.length === 0) return undefined;
  if (process.env.CI === 'true')
    throw new Error(`CI=true but the lab cannot run: needs ${missing.join(', ')}`);
  console.warn(`skipping the incident lifecycle lab test: needs ${missing.join(', ')}`);
  return missing.join(', ');
}

const skip = unavailable();
const PHASES = [
  'identified',
  'contained',
  'analysed',
  'eradicated',
  'recovered',
  'verified',
  'closed',
];

describe.skipIf(skip !== undefined)('an incident from attack to closed, in the lab', () => {
  it('detects, identifies, contains, runs the playbook, eradicates, recovers, verifies and closes', async () => {
    const lines: string[] = [];
    const name = `life${randomBytes(2).toString('hex')}`;
    const r = await runWorkstationCompromise({
      name,
      onStep: (s) => lines.push(`${String(s.atMs).padStart(6)} [${s.phase}] ${s.what}`),
    }).finally(() => console.log(lines.join('\n')));

    // The attack ran and detection opened the incident.
    expect(r.attack.reverseShell.connected).toBe(true);
    expect(r.attack.persistence).toMatchObject({
      kind: 'cron',
      path: '/etc/cron.d/0hourly-update',
    });
    expect(r.alerts.length).toBeGreaterThan(0);

    // Identification filled itself in.
    expect(r.identification.assets).toContainEqual(
      expect.objectContaining({ name: 'h1', assetKind: 'workstation', criticality: 'medium' }),
    );
    expect(r.identification.techniques).toContainEqual(
      expect.objectContaining({ id: 'T1110.001', name: 'Password Guessing' }),
    );
    expect(r.identification.category?.category).toBe('credential_attack');
    expect(r.identification.origins).toContainEqual(
      expect.objectContaining({ address: r.attack.c2.address, class: 'lab' }),
    );

    // The workstation by policy; the web server by failover then isolation; the critical
    // database under the two-person rule.
    expect(r.policyIsolation).toMatchObject({
      state: 'applied',
      requestedBy: 'policy:auto-containment',
    });
    expect(r.failoverDecision.option).toBe('failover-then-isolate');
    expect(r.failoverDecision.failover).toMatchObject({ peerName: 'h3', state: 'confirmed' });
    expect(r.twoPersonDecision.figures.requiredApprovals).toBe(2);
    expect(r.repeatedApproval.status).toBe(409);
    expect(r.twoPersonIsolation.state).toBe('applied');
    const approvers = r.twoPersonIsolation.approvals.map((a) => a.by);
    expect(approvers).toHaveLength(2);
    expect(new Set(approvers).size).toBe(2);

    // The shipped playbook ran its agent and manual steps to the end.
    expect(r.playbookRun.playbookName).toBe('Compromised credentials or brute force');
    expect(r.playbookRun.status).toBe('completed');
    const done = r.playbookRun.steps.filter((s) => s.state === 'done').map((s) => s.kind);
    expect(done).toContain('agent-action');
    expect(done).toContain('manual');
    expect(done).toContain('search');

    // The planted cron entry is gone, its copy kept as evidence.
    expect(r.persistenceRemoval.state).toBe('applied');
    // The agent's listing after the removal: the file's other lines stay, the planted one is gone.
    expect(r.persistenceAfter.length).toBeGreaterThan(0);
    expect(JSON.stringify(r.persistenceAfter)).not.toContain(r.attack.persistence!.line);
    expect(r.evidence).toContainEqual(
      expect.objectContaining({ filename: expect.stringContaining('0hourly-update') }),
    );

    // Recovery: a restore against the backup job, containment released everywhere.
    expect(r.restore.status).toBe('succeeded');
    expect(r.backupJob.lastRestoreTestPassed).toBe(true);
    expect(r.releaseActions.map((a) => a.state)).toEqual(['applied', 'applied', 'applied']);

    // Verification: re-hunt finds nothing, the detection still fires, the attacker is unreachable.
    expect(r.verification.map((v) => v.status)).toEqual(['passed', 'passed', 'passed']);
    const probes = (r.verification[2]!.findings as { probes: { port: number; outcome: string }[] })
      .probes;
    expect(probes.map((p) => [p.port, p.outcome])).toEqual([
      [4444, 'timeout'],
      [5432, 'connected'],
    ]);

    // Closed, every phase timed, metrics computed, the journal verifies.
    expect(r.incident.phase).toBe('closed');
    for (const phase of PHASES)
      expect(r.incident.phaseTimes[phase], phase).toEqual(expect.any(String));
    expect(r.closure.phase).toBe('closed');
    for (const [metric, value] of Object.entries(r.closure.metrics))
      expect(value, metric).toEqual(expect.any(Number));
    expect(Object.keys(r.closure.metrics)).toHaveLength(8);
    expect(r.closure.checks).toEqual({ total: 3, passing: 3 });
    expect(r.journal.exitCode).toBe(0);
    expect(r.journal.output).toMatch(/: OK — \d+ entries/);

    // Nothing of the lab is left behind.
    expect(execFileSync('ip', ['netns', 'list']).toString()).not.toContain(`cordon-lab-${name}-`);
  }, 300_000);
});
