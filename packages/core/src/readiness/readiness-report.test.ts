import { describe, expect, it } from 'vitest';
import type { Asset } from '../assets/asset.ts';
import type { ObservedHost } from '../assets/observed-host.ts';
import type { BackupJob } from '../continuity/backup-job.ts';
import type { BusinessFunction } from '../continuity/business-function.ts';
import type { PlanDocument, RoleAssignment } from '../response-plan/response-plan.ts';
import { RESPONSE_ROLES } from '../response-plan/response-plan.ts';
import type { PreparationFacts, ReadinessCheckId } from './readiness-report.ts';
import { CHECK_WEIGHTS, READINESS_CHECKS, readinessReport } from './readiness-report.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2025, 5, 1);

const asset = (name: string, over: Partial<Asset> = {}): Asset => ({
  id: `id-${name}`,
  tenantId: 't',
  name,
  kind: 'server',
  addresses: [],
  mac: null,
  os: null,
  owner: null,
  location: null,
  criticality: 'medium',
  tags: [],
  segmentId: null,
  redundancyGroup: null,
  agentInstalled: false,
  operationalStatus: 'up',
  lastSeenAt: NOW - DAY / 2,
  retiredAt: null,
  createdAt: NOW - 100 * DAY,
  updatedAt: NOW - 100 * DAY,
  ...over,
});
const job = (assetId: string, over: Partial<BackupJob> = {}): BackupJob => ({
  id: `job-${assetId}`,
  tenantId: 't',
  name: `backup ${assetId}`,
  assetId,
  system: null,
  rpoMinutes: 24 * 60,
  rtoMinutes: 240,
  lastSuccessAt: NOW - 3_600_000,
  lastRestoreTestAt: NOW - 10 * DAY,
  lastRestoreTestPassed: true,
  offlineCopy: true,
  immutableCopy: false,
  location: null,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});
const fn = (name: string): BusinessFunction => ({
  id: `fn-${name}`,
  tenantId: 't',
  name,
  description: '',
  owner: null,
  mtdMinutes: 240,
  costPerHour: 1000,
  createdAt: 0,
  updatedAt: 0,
});
const host = (hostname: string, ip: string, over: Partial<ObservedHost> = {}): ObservedHost => ({
  id: `h-${hostname}-${ip}`,
  tenantId: 't',
  hostname,
  ip,
  firstSeenAt: NOW - DAY,
  lastSeenAt: NOW - 3_600_000,
  dismissedAt: null,
  ...over,
});
const person = (name: string) => ({ name, phone: '+1 555 0100', email: null, chat: null });
const plan = (over: Partial<PlanDocument> = {}): PlanDocument => ({
  id: 'plan',
  tenantId: 't',
  title: 'IR plan',
  owner: 'CISO',
  currentVersion: 1,
  approvedBy: 'user:ciso@example.com',
  approvedAt: NOW - 30 * DAY,
  lastReviewedAt: NOW - 30 * DAY,
  nextReviewAt: NOW + 335 * DAY,
  createdAt: 0,
  updatedAt: 0,
  ...over,
});
const allRoles = (): RoleAssignment[] =>
  RESPONSE_ROLES.map((role) => ({
    tenantId: 't',
    role,
    primary: person(`${role} primary`),
    backup: person(`${role} backup`),
    escalationRank: null,
    updatedAt: 0,
  }));

/** A tenant with every check at full marks; tests take one thing away at a time. */
function prepared(): PreparationFacts {
  const db = asset('db01', {
    criticality: 'critical',
    agentInstalled: true,
    addresses: ['10.0.0.5'],
  });
  const ws = asset('ws01', { kind: 'workstation', agentInstalled: true, addresses: ['10.0.1.7'] });
  const f = fn('Orders');
  return {
    assets: [db, ws],
    relations: [
      {
        id: 'r',
        tenantId: 't',
        kind: 'runs_function',
        fromAssetId: db.id,
        toId: f.id,
        createdAt: 0,
      },
    ],
    functions: [f],
    backupJobs: [job(db.id)],
    planDocuments: [plan()],
    roles: allRoles(),
    exercises: [
      { id: 'e', tenantId: 't', kind: 'tabletop', heldAt: NOW - 60 * DAY, notes: '', createdAt: 0 },
    ],
    observedHosts: [host('db01', '10.0.0.5'), host('ws01.acme.local', '10.0.1.7')],
  };
}

const checkOf = (facts: PreparationFacts, id: ReadinessCheckId) => {
  const report = readinessReport(facts, NOW);
  const check = report.checks.find((c) => c.id === id);
  if (!check) throw new Error(`no check ${id}`);
  return { check, report };
};

describe('readiness report', () => {
  it('gives a fully prepared tenant 100 and no gaps', () => {
    const report = readinessReport(prepared(), NOW);
    expect(report.checks.map((c) => c.id)).toEqual([...READINESS_CHECKS]);
    expect(report.checks.every((c) => c.value === 1 && c.remediation === '')).toBe(true);
    expect(report.score).toBe(100);
    expect(report.gaps).toEqual([]);
  });

  it('gives a tenant with no records at all 0, not 100, and tells it to start documenting', () => {
    const report = readinessReport(
      {
        assets: [],
        relations: [],
        functions: [],
        backupJobs: [],
        planDocuments: [],
        roles: [],
        exercises: [],
        observedHosts: [],
      },
      NOW,
    );
    expect(report.score).toBe(0);
    expect(report.gaps).toHaveLength(READINESS_CHECKS.length);
    expect(report.gaps[0]!.id).toBe('backups_within_rpo');
    expect(report.checks.find((c) => c.id === 'documentation_coverage')!.remediation).toMatch(
      /No assets are documented/,
    );
  });

  it('orders gaps by weight, then by points lost', () => {
    const facts = prepared();
    const report = readinessReport(
      {
        ...facts,
        exercises: [],
        backupJobs: [],
        observedHosts: [...facts.observedHosts, host('rogue', '10.9.9.9')],
      },
      NOW,
    );
    const weights = report.gaps.map((g) => g.weight);
    expect(weights).toEqual([...weights].sort((a, b) => b - a));
    expect(report.gaps[0]!.id).toBe('backups_within_rpo');
    // restore_tests, offline_copies and last_exercise weigh 10 and all lost everything.
    expect(
      report.gaps
        .slice(1, 4)
        .map((g) => g.id)
        .sort(),
    ).toEqual(['last_exercise', 'offline_copies', 'restore_tests']);
    expect(report.score).toBeCloseTo(100 - 15 - 10 - 10 - 10 - 10 / 3, 1);
  });

  it('documentation coverage: share of telemetry hosts that are documented', () => {
    const facts = prepared();
    const { check } = checkOf(
      {
        ...facts,
        observedHosts: [
          ...facts.observedHosts,
          host('rogue', '10.9.9.9'),
          host('gone', '10.9.9.8', { lastSeenAt: NOW - 60 * DAY }),
          host('ignored', '10.9.9.7', { dismissedAt: NOW - DAY }),
          host('', '10.0.0.5'),
        ],
      },
      'documentation_coverage',
    );
    // db01, ws01, the address-only sighting of db01's address; rogue is not documented; the old and dismissed ones do not count.
    expect(check.value).toBe(0.75);
    expect(check.measured).toBe('3 of 4 hosts seen in telemetry are documented');
    expect(check.remediation).toMatch(/1 undocumented/);
  });

  it('documentation coverage with no telemetry at all is a gap, not a pass', () => {
    const { check } = checkOf({ ...prepared(), observedHosts: [] }, 'documentation_coverage');
    expect(check.value).toBe(0);
    expect(check.remediation).toMatch(/connect log sources/);
  });

  it('freshness: hosts unseen for 30 days are stale; applications are not expected in telemetry', () => {
    const facts = prepared();
    const { check } = checkOf(
      {
        ...facts,
        assets: [
          ...facts.assets,
          asset('old', { lastSeenAt: NOW - 31 * DAY }),
          asset('never', { lastSeenAt: null }),
          asset('crm', { kind: 'application', lastSeenAt: null }),
          asset('gone', { lastSeenAt: null, retiredAt: NOW - DAY }),
        ],
      },
      'documentation_freshness',
    );
    expect(check.value).toBe(0.5);
    expect(check.remediation).toBe('Confirm or retire the stale records: old, never.');
    const onlyApps = checkOf(
      { ...facts, assets: [asset('crm', { kind: 'application' })] },
      'documentation_freshness',
    );
    expect(onlyApps.check.value).toBeNull();
  });

  it('backups within RPO: counts critical assets only; an old backup or none is a gap', () => {
    const facts = prepared();
    const web = asset('web01', { criticality: 'critical' });
    const mail = asset('mail01', { criticality: 'critical' });
    const { check } = checkOf(
      {
        ...facts,
        assets: [...facts.assets, web, mail],
        backupJobs: [...facts.backupJobs, job(web.id, { lastSuccessAt: NOW - 25 * 3_600_000 })],
      },
      'backups_within_rpo',
    );
    expect(check.value).toBeCloseTo(1 / 3, 3);
    expect(check.remediation).toContain('web01, mail01');
  });

  it('backups and offline copies with no critical asset designated are a gap', () => {
    const facts = prepared();
    const assets = facts.assets.map((a) => ({ ...a, criticality: 'high' as const }));
    expect(checkOf({ ...facts, assets }, 'backups_within_rpo').check).toMatchObject({
      value: 0,
      measured: '0 critical assets',
    });
    expect(checkOf({ ...facts, assets }, 'offline_copies').check.remediation).toMatch(
      /No asset is marked critical/,
    );
  });

  it('restore tests: older than 90 days, failed, or never tested do not count', () => {
    const facts = prepared();
    const jobs = [
      job('a'),
      job('b', { lastRestoreTestAt: NOW - 91 * DAY }),
      job('c', { lastRestoreTestPassed: false }),
      job('d', { lastRestoreTestAt: null, lastRestoreTestPassed: null }),
    ];
    const { check } = checkOf({ ...facts, backupJobs: jobs }, 'restore_tests');
    expect(check.value).toBe(0.25);
    expect(check.remediation).toBe(
      'Test a restore (and record the result) for: backup b, backup c, backup d.',
    );
    expect(checkOf({ ...facts, backupJobs: [] }, 'restore_tests').check.value).toBe(0);
  });

  it('offline copies: an immutable copy counts, a plain online one does not', () => {
    const facts = prepared();
    const [db] = facts.assets;
    expect(
      checkOf(
        { ...facts, backupJobs: [job(db!.id, { offlineCopy: false, immutableCopy: true })] },
        'offline_copies',
      ).check.value,
    ).toBe(1);
    expect(
      checkOf({ ...facts, backupJobs: [job(db!.id, { offlineCopy: false })] }, 'offline_copies')
        .check.value,
    ).toBe(0);
  });

  it('business functions: a function with no assets is unmapped; none at all is a gap', () => {
    const facts = prepared();
    const { check } = checkOf(
      { ...facts, functions: [...facts.functions, fn('Payroll')] },
      'functions_mapped',
    );
    expect(check.value).toBe(0.5);
    expect(check.remediation).toBe('Name the assets these functions need: Payroll.');
    expect(
      checkOf({ ...facts, functions: [], relations: [] }, 'functions_mapped').check,
    ).toMatchObject({
      value: 0,
      measured: '0 business functions recorded',
    });
  });

  it('plan: reviewed more than 12 months ago, or never approved, is a gap', () => {
    const facts = prepared();
    expect(
      checkOf(
        { ...facts, planDocuments: [plan({ lastReviewedAt: NOW - 366 * DAY })] },
        'plan_reviewed',
      ).check.value,
    ).toBe(0);
    expect(
      checkOf(
        { ...facts, planDocuments: [plan({ approvedAt: null, approvedBy: null })] },
        'plan_reviewed',
      ).check.remediation,
    ).toBe('Review and approve: IR plan.');
    expect(checkOf({ ...facts, planDocuments: [] }, 'plan_reviewed').check.value).toBe(0);
  });

  it('roles: a role with no backup and a role with no one are both named', () => {
    const facts = prepared();
    const roles = allRoles()
      .filter((r) => r.role !== 'scribe')
      .map((r) => (r.role === 'legal_counsel' ? { ...r, backup: null } : r));
    const { check } = checkOf({ ...facts, roles }, 'roles_staffed');
    expect(check.value).toBe(0.75);
    expect(check.measured).toBe('6 of 8 response roles have a primary and a backup');
    expect(check.remediation).toBe('Assign scribe; name a backup for legal_counsel.');
  });

  it('agents: share of workstations and servers running the agent', () => {
    const facts = prepared();
    const { check } = checkOf(
      {
        ...facts,
        assets: [
          ...facts.assets,
          asset('ws02', { kind: 'workstation' }),
          asset('fw01', { kind: 'network_device' }),
        ],
      },
      'agents_deployed',
    );
    expect(check.value).toBeCloseTo(2 / 3, 3);
    expect(check.remediation).toBe('Deploy the agent to 1 hosts, e.g. ws02.');
  });

  it('log sources: an asset class with no log in 24 hours is silent', () => {
    const facts = prepared();
    const { check } = checkOf(
      {
        ...facts,
        assets: [
          ...facts.assets,
          asset('fw01', { kind: 'network_device', lastSeenAt: NOW - 2 * DAY }),
          asset('bucket', { kind: 'cloud_resource', lastSeenAt: null }),
        ],
      },
      'log_sources_flowing',
    );
    expect(check.value).toBe(0.5);
    expect(check.remediation).toBe('Connect log sources for: network_device, cloud_resource.');
  });

  it('last exercise: full marks within a year, half within two, none after', () => {
    const facts = prepared();
    const at = (days: number) =>
      checkOf(
        {
          ...facts,
          exercises: [
            {
              id: 'e',
              tenantId: 't',
              kind: 'tabletop',
              heldAt: NOW - days * DAY,
              notes: '',
              createdAt: 0,
            },
          ],
        },
        'last_exercise',
      ).check.value;
    expect([at(10), at(400), at(800)]).toEqual([1, 0.5, 0]);
    expect(checkOf({ ...facts, exercises: [] }, 'last_exercise').check.remediation).toMatch(
      /tabletop/,
    );
  });

  it('weights add up to 100', () => {
    expect(Object.values(CHECK_WEIGHTS).reduce((a, b) => a + b, 0)).toBe(100);
  });
});
