/**
 * Recovery use cases: change records (with the ATT&CK mitigations of the incident's techniques
 * as suggestions), restores as *recovered*-phase tasks linked to backup jobs (a result is also
 * the job's restore test), and the release of the incident's host isolations under the
 * return-to-service checklist. Every change is journalled in the transaction that makes it.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize, can } from '../access/principal.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Incident } from '../incidents/incident.ts';
import { phaseIndex } from '../incidents/incident.ts';
import type { IncidentTask } from '../incidents/incident-task.ts';
import type { Clock } from '../ports/clock.ts';
import type { ContainmentRequests } from '../ports/containment-requests.ts';
import { newId } from '../ports/id-generator.ts';
import type { Store, TenantScope } from '../ports/store.ts';
import { loadIncident, openIncident } from './incident-lookup.ts';
import type { ChangeArea, ChangeFinding, ChangeRecord } from './change-record.ts';
import type { ChecklistEntry, ContainmentRelease } from './containment-release.ts';
import { releaseChecklist } from './containment-release.ts';
import type { MitigationLookup, MitigationSuggestion } from './mitigation-suggestion.ts';
import { mitigationSuggestions } from './mitigation-suggestion.ts';
import type { RestoreRecord } from './restore-record.ts';

export interface NewChangeRecord {
  readonly area: ChangeArea;
  readonly title: string;
  readonly description?: string;
  readonly reason: string;
  readonly changedBy: string;
  readonly changedAt?: number;
  readonly finding: ChangeFinding;
  readonly mitigationId?: string | null;
}

export interface NewRestore {
  readonly backupJobId: string;
  readonly restorePointAt?: number | null;
  readonly restorePointLabel?: string | null;
}

export interface RestoreResult {
  readonly status: 'succeeded' | 'failed';
  readonly detail?: string | null;
  readonly restorePointAt?: number | null;
  readonly restorePointLabel?: string | null;
}

export interface ReleaseInput {
  /** Why no restore is needed, when none was recorded. */
  readonly noRestoreReason?: string;
  /** An incident lead's written reason to release although the checklist does not hold. */
  readonly overrideJustification?: string;
}

export interface ReleasePlan {
  readonly checklist: readonly ChecklistEntry[];
  readonly ready: boolean;
  /** The isolations a release would undo: one per agent. */
  readonly isolations: readonly { readonly agentId: string; readonly actionId: string }[];
}

export interface RecoveryServiceOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly mitigations: MitigationLookup;
  readonly containment: ContainmentRequests;
}

const MITIGATION_ID = /^M\d{4}$/;

export class RecoveryService {
  readonly #o: RecoveryServiceOptions;

  constructor(options: RecoveryServiceOptions) {
    this.#o = options;
  }

  async addChange(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: NewChangeRecord,
  ): Promise<ChangeRecord> {
    authorize(principal, tenantId, 'incident:write');
    if (input.mitigationId && !MITIGATION_ID.test(input.mitigationId))
      throw invalidInput(
        `mitigationId ${input.mitigationId} is not an ATT&CK mitigation id (M1234)`,
      );
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await openIncident(scope, incidentId);
      await checkFinding(scope, incident, input.finding);
      const now = this.#o.clock.now();
      const record: ChangeRecord = {
        id: newId(),
        tenantId,
        incidentId,
        area: input.area,
        title: input.title,
        description: input.description ?? '',
        reason: input.reason,
        changedBy: input.changedBy,
        changedAt: input.changedAt ?? now,
        finding: input.finding,
        mitigationId: input.mitigationId ?? null,
        recordedBy: actorOf(principal),
        createdAt: now,
      };
      await scope.recovery.changes.insert(record);
      await scope.journal.append({
        actor: record.recordedBy,
        kind: 'incident.change_recorded',
        incidentId,
        payload: {
          changeId: record.id,
          area: record.area,
          title: record.title,
          reason: record.reason,
          changedBy: record.changedBy,
          finding: record.finding,
          mitigationId: record.mitigationId,
        },
      });
      return record;
    });
  }

  async changes(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<{ items: ChangeRecord[]; suggestions: MitigationSuggestion[] }> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await loadIncident(scope, incidentId);
      const items = await scope.recovery.changes.list(incidentId);
      const adopted = new Set(items.flatMap((c) => (c.mitigationId ? [c.mitigationId] : [])));
      return {
        items,
        suggestions: mitigationSuggestions(incident.attackTechniques, this.#o.mitigations, adopted),
      };
    });
  }

  async addRestore(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: NewRestore,
  ): Promise<RestoreRecord> {
    authorize(principal, tenantId, 'incident:write');
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await openIncident(scope, incidentId);
      const job = await scope.preparation.backupJobs.get(input.backupJobId);
      if (!job) throw notFound('backup job');
      const now = this.#o.clock.now();
      const actor = actorOf(principal);
      const point =
        input.restorePointLabel ??
        (input.restorePointAt == null ? null : new Date(input.restorePointAt).toISOString());
      const task: IncidentTask = {
        id: newId(),
        tenantId,
        incidentId,
        phase: 'recovered',
        title: `Restore ${job.name}${point ? ` from ${point}` : ''}`,
        status: 'open',
        createdAt: now,
        completedAt: null,
        completedBy: null,
      };
      await scope.tasks.insert(task);
      const restore: RestoreRecord = {
        id: newId(),
        tenantId,
        incidentId,
        taskId: task.id,
        backupJobId: job.id,
        restorePointAt: input.restorePointAt ?? null,
        restorePointLabel: input.restorePointLabel ?? null,
        status: 'pending',
        detail: null,
        requestedBy: actor,
        completedBy: null,
        createdAt: now,
        completedAt: null,
      };
      await scope.recovery.restores.insert(restore);
      await scope.journal.append({
        actor,
        kind: 'incident.task_added',
        incidentId,
        payload: { taskId: task.id, phase: task.phase, title: task.title },
      });
      await scope.journal.append({
        actor,
        kind: 'incident.restore_requested',
        incidentId,
        payload: {
          restoreId: restore.id,
          taskId: task.id,
          backupJobId: job.id,
          restorePointAt: restore.restorePointAt,
          restorePointLabel: restore.restorePointLabel,
        },
      });
      return restore;
    });
  }

  /**
   * Records a restore's result. Success completes its task; a failure leaves the task open (try
   * again, from another restore point) and both are the backup job's latest restore test.
   */
  async completeRestore(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    restoreId: string,
    result: RestoreResult,
  ): Promise<RestoreRecord> {
    authorize(principal, tenantId, 'incident:write');
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await openIncident(scope, incidentId);
      const restore = await scope.recovery.restores.get(restoreId);
      if (!restore || restore.incidentId !== incidentId) throw notFound('restore');
      if (restore.status === 'succeeded')
        throw new CordonError('conflict', 'this restore has succeeded already');
      const now = this.#o.clock.now();
      const actor = actorOf(principal);
      const next: RestoreRecord = {
        ...restore,
        status: result.status,
        detail: result.detail ?? null,
        restorePointAt:
          result.restorePointAt === undefined ? restore.restorePointAt : result.restorePointAt,
        restorePointLabel:
          result.restorePointLabel === undefined
            ? restore.restorePointLabel
            : result.restorePointLabel,
        completedBy: actor,
        completedAt: now,
      };
      if (!(await scope.recovery.restores.complete(next, restore.status)))
        throw new CordonError('conflict', 'the restore changed meanwhile');
      if (result.status === 'succeeded') {
        await scope.tasks.setStatus(restore.taskId, 'done', now, actor);
        await scope.journal.append({
          actor,
          kind: 'incident.task_status_changed',
          incidentId,
          payload: { taskId: restore.taskId, from: 'open', to: 'done' },
        });
      }
      const passed = result.status === 'succeeded';
      const jobChanges = { lastRestoreTestAt: now, lastRestoreTestPassed: passed, updatedAt: now };
      await scope.preparation.backupJobs.update(restore.backupJobId, jobChanges);
      await scope.journal.append({
        actor,
        kind: 'backup_job.updated',
        payload: {
          backupJobId: restore.backupJobId,
          changes: { lastRestoreTestAt: now, lastRestoreTestPassed: passed },
          restoreId,
          incidentId,
        },
      });
      await scope.journal.append({
        actor,
        kind: passed ? 'incident.restore_succeeded' : 'incident.restore_failed',
        incidentId,
        payload: {
          restoreId,
          backupJobId: restore.backupJobId,
          restorePointAt: next.restorePointAt,
          restorePointLabel: next.restorePointLabel,
          detail: next.detail,
        },
      });
      return next;
    });
  }

  async restores(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<RestoreRecord[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadIncident(scope, incidentId);
      return scope.recovery.restores.list(incidentId);
    });
  }

  async releasePlan(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: Pick<ReleaseInput, 'noRestoreReason'> = {},
  ): Promise<ReleasePlan> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      return planRelease(scope, await loadIncident(scope, incidentId), input.noRestoreReason);
    });
  }

  /**
   * Queues a `release` for every host this incident isolated, when the checklist holds or an
   * incident lead overrides it; records the release with the checklist as it stood.
   */
  async release(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: ReleaseInput,
  ): Promise<ContainmentRelease> {
    authorize(principal, tenantId, 'incident:write');
    authorize(principal, tenantId, 'containment:run');
    const justification = input.overrideJustification?.trim() ?? '';
    const actor = actorOf(principal);
    const plan = await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      return planRelease(scope, await openIncident(scope, incidentId), input.noRestoreReason);
    });
    if (plan.isolations.length === 0)
      throw new CordonError('conflict', 'no host isolated by this incident is in force');
    if (!plan.ready) {
      const unmet = plan.checklist.filter((e) => !e.holds).map((e) => `${e.item}: ${e.detail}`);
      if (justification === '')
        throw new CordonError('guard_failed', `cannot release containment: ${unmet.join('; ')}`, {
          details: { unmet, checklist: plan.checklist },
        });
      if (!can(principal, tenantId, 'incident:override_guard'))
        throw new CordonError(
          'forbidden',
          'only an incident lead may release against the checklist',
        );
      if (justification.length < 10)
        throw invalidInput('an override needs a written justification (10 characters or more)');
    }
    const actionIds: string[] = [];
    for (const isolation of plan.isolations) {
      const action = await this.#o.containment.request({
        tenantId,
        agentId: isolation.agentId,
        action: { kind: 'release' },
        requestedBy: actor,
        incidentId,
        detail: `return to service: releases isolation ${isolation.actionId}`,
      });
      actionIds.push(action.id);
    }
    const release: ContainmentRelease = {
      id: newId(),
      tenantId,
      incidentId,
      checklist: plan.checklist,
      overrideJustification: plan.ready ? null : justification,
      actionIds,
      releasedBy: actor,
      createdAt: this.#o.clock.now(),
    };
    await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await scope.recovery.releases.insert(release);
      await scope.journal.append({
        actor,
        kind: plan.ready
          ? 'incident.containment_released'
          : 'incident.containment_release_overridden',
        incidentId,
        payload: {
          releaseId: release.id,
          checklist: release.checklist,
          actionIds,
          ...(plan.ready ? {} : { justification }),
        },
      });
    });
    return release;
  }

  async releases(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<ContainmentRelease[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await loadIncident(scope, incidentId);
      return scope.recovery.releases.list(incidentId);
    });
  }
}

async function checkFinding(
  scope: TenantScope,
  incident: Incident,
  finding: ChangeFinding,
): Promise<void> {
  switch (finding.kind) {
    case 'root_cause':
      if (!incident.rootCause)
        throw invalidInput('the incident has no root cause recorded to answer');
      return;
    case 'technique':
      if (!incident.attackTechniques.includes(finding.techniqueId))
        throw invalidInput(`technique ${finding.techniqueId} is not one of the incident's`);
      return;
    case 'observable': {
      const observable = await scope.observables.get(finding.observableId);
      if (!observable || observable.incidentId !== incident.id) throw notFound('observable');
      return;
    }
  }
}

/** Host isolations of the incident in force: applied, one per agent (the newest). */
async function isolationsInForce(
  scope: TenantScope,
  incidentId: string,
): Promise<{ agentId: string; actionId: string }[]> {
  const actions = await scope.containment.actions.list({ incidentId, state: 'applied' }, 1000);
  const byAgent = new Map<string, string>();
  for (const a of actions) {
    if (a.action.kind === 'isolate' && !byAgent.has(a.agentId)) byAgent.set(a.agentId, a.id);
  }
  return [...byAgent].map(([agentId, actionId]) => ({ agentId, actionId }));
}

async function planRelease(
  scope: TenantScope,
  incident: Incident,
  noRestoreReason: string | undefined,
): Promise<ReleasePlan> {
  const tasks = await scope.tasks.list(incident.id);
  const checks = await scope.recovery.checks.list(incident.id);
  const rehunts = checks.filter((c) => c.spec.kind === 'rehunt');
  const checklist = releaseChecklist({
    phaseReachedEradicated: phaseIndex(incident.phase) >= phaseIndex('eradicated'),
    openEradicationTasks: tasks.filter(
      (t) => t.phase === 'eradicated' && t.status !== 'done' && t.status !== 'waived',
    ).length,
    restores: await scope.recovery.restores.list(incident.id),
    noRestoreReason: noRestoreReason?.trim() || null,
    rehuntChecks: rehunts.length,
    scheduledRehuntChecks: rehunts.filter((c) => c.schedule !== null).length,
  });
  return {
    checklist,
    ready: checklist.every((e) => e.holds),
    isolations: await isolationsInForce(scope, incident.id),
  };
}

/** What the *recovered* guard reads, besides the phase's tasks. */
export async function recoveryGuardFacts(
  scope: TenantScope,
  incidentId: string,
): Promise<{ changeRecords: number; isolationsInForce: number; failedRestores: number }> {
  return {
    changeRecords: (await scope.recovery.changes.list(incidentId)).length,
    isolationsInForce: (await isolationsInForce(scope, incidentId)).length,
    failedRestores: (await scope.recovery.restores.list(incidentId)).filter(
      (r) => r.status === 'failed',
    ).length,
  };
}
