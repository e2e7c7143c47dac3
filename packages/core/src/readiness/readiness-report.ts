/**
 * The readiness score: measurable checks over the tenant's preparation records, each with a
 * weight, a value between 0 and 1 (or null when it does not apply), what it measured, and
 * what to do about it. The score is the weighted mean of the checks that apply, 0–100. An
 * empty tenant scores 0, not 100: having documented nothing is the first gap.
 */
import type { Asset, AssetKind, AssetRelation } from '../assets/asset.ts';
import { assetIndex } from '../assets/asset-matching.ts';
import type { ObservedHost } from '../assets/observed-host.ts';
import { DEFAULT_STALE_DAYS, emitsTelemetry } from '../assets/reconciliation.ts';
import type { BackupJob } from '../continuity/backup-job.ts';
import { RESTORE_TEST_MAX_AGE_MS } from '../continuity/backup-job.ts';
import type { BusinessFunction } from '../continuity/business-function.ts';
import type { Exercise, PlanDocument, RoleAssignment } from '../response-plan/response-plan.ts';
import { RESPONSE_ROLES } from '../response-plan/response-plan.ts';

const DAY = 86_400_000;
const YEAR = 365 * DAY;
/** A host class whose logs arrived within this window counts as flowing. */
export const LOG_FLOW_WINDOW_MS = DAY;

export const READINESS_CHECKS = [
  'documentation_coverage',
  'documentation_freshness',
  'backups_within_rpo',
  'restore_tests',
  'offline_copies',
  'functions_mapped',
  'plan_reviewed',
  'roles_staffed',
  'agents_deployed',
  'log_sources_flowing',
  'last_exercise',
] as const;
export type ReadinessCheckId = (typeof READINESS_CHECKS)[number];

export const CHECK_WEIGHTS: { readonly [C in ReadinessCheckId]: number } = {
  documentation_coverage: 10,
  documentation_freshness: 5,
  backups_within_rpo: 15,
  restore_tests: 10,
  offline_copies: 10,
  functions_mapped: 10,
  plan_reviewed: 10,
  roles_staffed: 10,
  agents_deployed: 5,
  log_sources_flowing: 5,
  last_exercise: 10,
};

export interface PreparationFacts {
  readonly assets: readonly Asset[];
  readonly relations: readonly AssetRelation[];
  readonly functions: readonly BusinessFunction[];
  readonly backupJobs: readonly BackupJob[];
  readonly planDocuments: readonly PlanDocument[];
  readonly roles: readonly RoleAssignment[];
  readonly exercises: readonly Exercise[];
  readonly observedHosts: readonly ObservedHost[];
}

export interface ReadinessCheck {
  readonly id: ReadinessCheckId;
  readonly weight: number;
  /** 0–1, or null when nothing exists that the check could measure and that is no gap. */
  readonly value: number | null;
  /** What was measured, e.g. "3 of 4 critical assets". */
  readonly measured: string;
  /** What to do; empty when the check passes. */
  readonly remediation: string;
}

export interface ReadinessReport {
  readonly score: number;
  readonly checks: readonly ReadinessCheck[];
  /** Checks below 1, heaviest first (ties: most points lost first). */
  readonly gaps: readonly ReadinessCheck[];
}

const share = (part: number, whole: number): number => (whole === 0 ? 0 : part / whole);
const names = (items: readonly { name: string }[], max = 5): string =>
  items.length <= max
    ? items.map((i) => i.name).join(', ')
    : `${items
        .slice(0, max)
        .map((i) => i.name)
        .join(', ')} and ${items.length - max} more`;

export function readinessReport(facts: PreparationFacts, now: number): ReadinessReport {
  const active = facts.assets.filter((a) => a.retiredAt === null);
  const critical = active.filter((a) => a.criticality === 'critical');
  const check = (
    id: ReadinessCheckId,
    value: number | null,
    measured: string,
    remediation: string,
  ): ReadinessCheck => ({
    id,
    weight: CHECK_WEIGHTS[id],
    value: value === null ? null : Math.round(value * 1000) / 1000,
    measured,
    remediation: value === null || value >= 1 ? '' : remediation,
  });
  const jobsFor = (asset: Asset) => facts.backupJobs.filter((j) => j.assetId === asset.id);
  const noAssets = 'No assets are documented: import the inventory (cordon assets import).';

  const checks: ReadinessCheck[] = [];

  // Documentation coverage: of the hosts telemetry saw in the stale window, how many are documented.
  {
    const index = assetIndex(facts.assets);
    const recent = facts.observedHosts.filter(
      (h) => h.dismissedAt === null && now - h.lastSeenAt <= DEFAULT_STALE_DAYS * DAY,
    );
    const documented = recent.filter(
      (h) => index.byName(h.hostname) ?? index.byAddress(h.ip).length > 0,
    );
    checks.push(
      active.length === 0
        ? check('documentation_coverage', 0, '0 assets documented', noAssets)
        : recent.length === 0
          ? check(
              'documentation_coverage',
              0,
              'no hosts seen in telemetry',
              'No telemetry names any host: connect log sources or agents so coverage can be measured.',
            )
          : check(
              'documentation_coverage',
              share(documented.length, recent.length),
              `${documented.length} of ${recent.length} hosts seen in telemetry are documented`,
              `Document or dismiss the ${recent.length - documented.length} undocumented hosts (reconciliation: adopt, merge or retire).`,
            ),
    );
  }

  // Freshness: documented assets that telemetry confirmed within the stale window.
  {
    const expected = active.filter(emitsTelemetry);
    const fresh = expected.filter(
      (a) => a.lastSeenAt !== null && now - a.lastSeenAt <= DEFAULT_STALE_DAYS * DAY,
    );
    const stale = expected.filter((a) => !fresh.includes(a));
    checks.push(
      active.length === 0
        ? check('documentation_freshness', 0, '0 assets documented', noAssets)
        : expected.length === 0
          ? check('documentation_freshness', null, 'only applications documented', '')
          : check(
              'documentation_freshness',
              share(fresh.length, expected.length),
              `${fresh.length} of ${expected.length} documented hosts seen in the last ${DEFAULT_STALE_DAYS} days`,
              `Confirm or retire the stale records: ${names(stale)}.`,
            ),
    );
  }

  const criticalGap =
    active.length === 0
      ? noAssets
      : 'No asset is marked critical: set the criticality tier of the systems the business cannot run without.';
  // Backups of critical assets inside their RPO.
  {
    const ok = critical.filter((a) =>
      jobsFor(a).some(
        (j) => j.lastSuccessAt !== null && now - j.lastSuccessAt <= j.rpoMinutes * 60_000,
      ),
    );
    const missing = critical.filter((a) => !ok.includes(a));
    checks.push(
      critical.length === 0
        ? check('backups_within_rpo', 0, '0 critical assets', criticalGap)
        : check(
            'backups_within_rpo',
            share(ok.length, critical.length),
            `${ok.length} of ${critical.length} critical assets have a backup inside its RPO`,
            `Back up (or record the last successful backup of): ${names(missing)}.`,
          ),
    );
  }

  // Restore tests: every backup job restored successfully within 90 days.
  {
    const tested = facts.backupJobs.filter(
      (j) =>
        j.lastRestoreTestAt !== null &&
        j.lastRestoreTestPassed === true &&
        now - j.lastRestoreTestAt <= RESTORE_TEST_MAX_AGE_MS,
    );
    const untested = facts.backupJobs.filter((j) => !tested.includes(j));
    checks.push(
      facts.backupJobs.length === 0
        ? check(
            'restore_tests',
            0,
            '0 backup jobs recorded',
            'Record the backup jobs, then test a restore of each.',
          )
        : check(
            'restore_tests',
            share(tested.length, facts.backupJobs.length),
            `${tested.length} of ${facts.backupJobs.length} backup jobs restored successfully in the last 90 days`,
            `Test a restore (and record the result) for: ${names(untested)}.`,
          ),
    );
  }

  // Offline or immutable copies of critical systems.
  {
    const ok = critical.filter((a) => jobsFor(a).some((j) => j.offlineCopy || j.immutableCopy));
    const missing = critical.filter((a) => !ok.includes(a));
    checks.push(
      critical.length === 0
        ? check('offline_copies', 0, '0 critical assets', criticalGap)
        : check(
            'offline_copies',
            share(ok.length, critical.length),
            `${ok.length} of ${critical.length} critical assets have an offline or immutable copy`,
            `Keep an offline or immutable copy of: ${names(missing)}.`,
          ),
    );
  }

  // Business functions mapped to the assets they need.
  {
    const mapped = new Set(
      facts.relations.filter((r) => r.kind === 'runs_function').map((r) => r.toId),
    );
    const unmapped = facts.functions.filter((f) => !mapped.has(f.id));
    checks.push(
      facts.functions.length === 0
        ? check(
            'functions_mapped',
            0,
            '0 business functions recorded',
            'Record the business functions with their maximum tolerable downtime and hourly cost, and the assets each needs.',
          )
        : check(
            'functions_mapped',
            share(facts.functions.length - unmapped.length, facts.functions.length),
            `${facts.functions.length - unmapped.length} of ${facts.functions.length} business functions are mapped to assets`,
            `Name the assets these functions need: ${names(unmapped)}.`,
          ),
    );
  }

  // The plan, approved and reviewed within 12 months.
  {
    const current = facts.planDocuments.filter(
      (d) => d.approvedAt !== null && d.lastReviewedAt !== null && now - d.lastReviewedAt <= YEAR,
    );
    const overdue = facts.planDocuments.filter((d) => !current.includes(d));
    checks.push(
      facts.planDocuments.length === 0
        ? check(
            'plan_reviewed',
            0,
            'no response plan recorded',
            'Write the incident response plan, have it approved and record its review.',
          )
        : check(
            'plan_reviewed',
            share(current.length, facts.planDocuments.length),
            `${current.length} of ${facts.planDocuments.length} plan documents approved and reviewed in the last 12 months`,
            `Review and approve: ${overdue.map((d) => d.title).join(', ')}.`,
          ),
    );
  }

  // Every response role with a primary and a backup person.
  {
    const byRole = new Map(facts.roles.map((r) => [r.role, r]));
    const staffed = RESPONSE_ROLES.filter((r) => byRole.get(r)?.backup);
    const noOne = RESPONSE_ROLES.filter((r) => !byRole.has(r));
    const noBackup = RESPONSE_ROLES.filter((r) => byRole.has(r) && !byRole.get(r)?.backup);
    const parts = [
      noOne.length > 0 ? `assign ${noOne.join(', ')}` : '',
      noBackup.length > 0 ? `name a backup for ${noBackup.join(', ')}` : '',
    ].filter((p) => p !== '');
    checks.push(
      check(
        'roles_staffed',
        share(staffed.length, RESPONSE_ROLES.length),
        `${staffed.length} of ${RESPONSE_ROLES.length} response roles have a primary and a backup`,
        `${parts.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()),
      ),
    );
  }

  // Agents on the documented hosts that can run one.
  {
    const hosts = active.filter((a) => a.kind === 'workstation' || a.kind === 'server');
    const withAgent = hosts.filter((a) => a.agentInstalled);
    checks.push(
      active.length === 0
        ? check('agents_deployed', 0, '0 assets documented', noAssets)
        : hosts.length === 0
          ? check('agents_deployed', null, 'no workstations or servers documented', '')
          : check(
              'agents_deployed',
              share(withAgent.length, hosts.length),
              `${withAgent.length} of ${hosts.length} workstations and servers run the agent`,
              `Deploy the agent to ${hosts.length - withAgent.length} hosts, e.g. ${names(hosts.filter((h) => !h.agentInstalled))}.`,
            ),
    );
  }

  // Log sources flowing, per asset class that is documented.
  {
    const classes = new Map<AssetKind, boolean>();
    for (const a of active.filter(emitsTelemetry)) {
      const flowing = a.lastSeenAt !== null && now - a.lastSeenAt <= LOG_FLOW_WINDOW_MS;
      classes.set(a.kind, (classes.get(a.kind) ?? false) || flowing);
    }
    const silent = [...classes].filter(([, flowing]) => !flowing).map(([kind]) => kind);
    checks.push(
      active.length === 0
        ? check('log_sources_flowing', 0, '0 assets documented', noAssets)
        : classes.size === 0
          ? check('log_sources_flowing', null, 'only applications documented', '')
          : check(
              'log_sources_flowing',
              share(classes.size - silent.length, classes.size),
              `${classes.size - silent.length} of ${classes.size} asset classes sent logs in the last 24 hours`,
              `Connect log sources for: ${silent.join(', ')}.`,
            ),
    );
  }

  // The last exercise: within a year is full marks, within two years half.
  {
    const last = Math.max(...facts.exercises.map((e) => e.heldAt), -Infinity);
    const age = now - last;
    checks.push(
      facts.exercises.length === 0
        ? check(
            'last_exercise',
            0,
            'no exercise recorded',
            'Run a tabletop exercise of the response plan and record it.',
          )
        : check(
            'last_exercise',
            age <= YEAR ? 1 : age <= 2 * YEAR ? 0.5 : 0,
            `last exercise ${new Date(last).toISOString().slice(0, 10)} (${Math.floor(age / DAY)} days ago)`,
            'Run an exercise: the last one is more than a year old.',
          ),
    );
  }

  const applicable = checks.filter((c) => c.value !== null);
  const totalWeight = applicable.reduce((s, c) => s + c.weight, 0);
  const points = applicable.reduce((s, c) => s + c.weight * (c.value ?? 0), 0);
  const gaps = applicable
    .filter((c) => (c.value ?? 0) < 1)
    .sort((a, b) => b.weight - a.weight || lost(b) - lost(a));
  return {
    score: totalWeight === 0 ? 0 : Math.round((points / totalWeight) * 1000) / 10,
    checks,
    gaps,
  };
}

const lost = (c: ReadinessCheck): number => c.weight * (1 - (c.value ?? 0));
