/**
 * Business continuity and disaster recovery use cases: business functions and the assets they
 * need, backup jobs with their derived status, and the impact of taking an asset offline.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import type { AssetImpact } from '../continuity/asset-impact.ts';
import { assetImpact } from '../continuity/asset-impact.ts';
import type { BackupJob, BackupStatus } from '../continuity/backup-job.ts';
import { backupStatus } from '../continuity/backup-job.ts';
import type { BusinessFunction } from '../continuity/business-function.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { Store } from '../ports/store.ts';
import { loadAsset } from './asset.service.ts';
import { PREPARATION_READ, PREPARATION_WRITE } from './preparation-access.ts';

export interface NewBusinessFunction {
  readonly name: string;
  readonly description?: string;
  readonly owner?: string | null;
  readonly mtdMinutes: number;
  readonly costPerHour: number;
  /** The assets that run it (`runs_function` relations). */
  readonly assetIds?: readonly string[];
}

export type BackupJobFields = Omit<BackupJob, 'id' | 'tenantId' | 'createdAt' | 'updatedAt'>;
export type NewBackupJob = Pick<BackupJobFields, 'name' | 'rpoMinutes' | 'rtoMinutes'> &
  Partial<BackupJobFields>;

export interface BackupJobWithStatus {
  readonly job: BackupJob;
  readonly status: BackupStatus;
}

export class ContinuityService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async createFunction(
    principal: Principal,
    tenantId: string,
    input: NewBusinessFunction,
  ): Promise<BusinessFunction> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const p = scope.preparation;
      if ((await p.functions.list()).some((f) => f.name === input.name))
        throw new CordonError('conflict', `a business function named ${input.name} exists`);
      const now = this.#clock.now();
      const fn: BusinessFunction = {
        id: newId(),
        tenantId,
        name: input.name,
        description: input.description ?? '',
        owner: input.owner ?? null,
        mtdMinutes: input.mtdMinutes,
        costPerHour: input.costPerHour,
        createdAt: now,
        updatedAt: now,
      };
      await p.functions.insert(fn);
      for (const assetId of new Set(input.assetIds ?? [])) {
        await loadAsset(scope, assetId);
        await p.relations.insert({
          id: newId(),
          tenantId,
          kind: 'runs_function',
          fromAssetId: assetId,
          toId: fn.id,
          createdAt: now,
        });
      }
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'business_function.created',
        payload: {
          functionId: fn.id,
          name: fn.name,
          mtdMinutes: fn.mtdMinutes,
          costPerHour: fn.costPerHour,
          assetIds: [...new Set(input.assetIds ?? [])],
        },
      });
      return fn;
    });
  }

  async functions(
    principal: Principal,
    tenantId: string,
  ): Promise<{ function: BusinessFunction; assetIds: string[] }[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) => {
      const p = uow.forTenant(tenantId).preparation;
      const runs = await p.relations.list({ kind: 'runs_function' });
      return (await p.functions.list()).map((fn) => ({
        function: fn,
        assetIds: runs.filter((r) => r.toId === fn.id).map((r) => r.fromAssetId),
      }));
    });
  }

  async createBackupJob(
    principal: Principal,
    tenantId: string,
    input: NewBackupJob,
  ): Promise<BackupJobWithStatus> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    if (!input.assetId && !input.system)
      throw invalidInput('a backup job covers an asset (assetId) or a named system (system)');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const asset = input.assetId ? await loadAsset(scope, input.assetId) : null;
      const now = this.#clock.now();
      const job: BackupJob = {
        id: newId(),
        tenantId,
        assetId: null,
        system: null,
        lastSuccessAt: null,
        lastRestoreTestAt: null,
        lastRestoreTestPassed: null,
        offlineCopy: false,
        immutableCopy: false,
        location: null,
        ...input,
        createdAt: now,
        updatedAt: now,
      };
      await scope.preparation.backupJobs.insert(job);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'backup_job.created',
        payload: { backupJobId: job.id, name: job.name, assetId: job.assetId, system: job.system },
      });
      return { job, status: backupStatus(job, now, asset?.criticality ?? null) };
    });
  }

  /** Records facts about a job: a successful run, a restore test and its result, copies. */
  async updateBackupJob(
    principal: Principal,
    tenantId: string,
    jobId: string,
    input: Partial<BackupJobFields>,
  ): Promise<BackupJobWithStatus> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const job = await scope.preparation.backupJobs.get(jobId);
      if (!job) throw notFound('backup job');
      const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      const assetId = (changes['assetId'] as string | null | undefined) ?? job.assetId;
      const asset = assetId ? await loadAsset(scope, assetId) : null;
      const now = this.#clock.now();
      const updated: BackupJob = { ...job, ...changes, updatedAt: now };
      if (!updated.assetId && !updated.system)
        throw invalidInput('a backup job covers an asset (assetId) or a named system (system)');
      if (Object.keys(changes).length > 0) {
        await scope.preparation.backupJobs.update(jobId, { ...changes, updatedAt: now });
        await scope.journal.append({
          actor: actorOf(principal),
          kind: 'backup_job.updated',
          payload: { backupJobId: jobId, changes },
        });
      }
      return { job: updated, status: backupStatus(updated, now, asset?.criticality ?? null) };
    });
  }

  async backupJobs(principal: Principal, tenantId: string): Promise<BackupJobWithStatus[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) => {
      const p = uow.forTenant(tenantId).preparation;
      const criticality = new Map((await p.assets.list()).map((a) => [a.id, a.criticality]));
      const now = this.#clock.now();
      return (await p.backupJobs.list()).map((job) => ({
        job,
        status: backupStatus(job, now, job.assetId ? (criticality.get(job.assetId) ?? null) : null),
      }));
    });
  }

  async impact(principal: Principal, tenantId: string, assetId: string): Promise<AssetImpact> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const asset = await loadAsset(scope, assetId);
      const p = scope.preparation;
      return assetImpact(asset, {
        assets: await p.assets.list(),
        relations: await p.relations.list(),
        functions: await p.functions.list(),
      });
    });
  }
}
