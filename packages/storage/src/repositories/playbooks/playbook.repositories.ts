/** Playbooks, their versions and runs, bound to one tenant. */
import type {
  CacaoPlaybook,
  PlaybookRepositories,
  PlaybookRepository,
  PlaybookRun,
  PlaybookRunFilter,
  PlaybookRunRepository,
  PlaybookVersion,
  RunPosition,
  PlaybookRunStatus,
  StoredPlaybook,
} from '@cordon/core';
import type { Selectable } from 'kysely';
import type {
  PlaybookRunsTable,
  PlaybooksTable,
  PlaybookVersionsTable,
} from '../../database/playbook-schema.ts';
import { TenantBound, fromJson, toJson } from '../preparation/tenant-bound.ts';
import type { Db } from '../preparation/tenant-bound.ts';

const playbookFromRow = (r: Selectable<PlaybooksTable>): StoredPlaybook => ({
  tenantId: r.tenant_id,
  id: r.id,
  name: r.name,
  latestVersion: Number(r.latest_version),
  categories: fromJson<string[]>(r.categories),
  techniques: fromJson<string[]>(r.techniques),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
  updatedBy: r.updated_by,
});

const versionFromRow = (r: Selectable<PlaybookVersionsTable>): PlaybookVersion => ({
  playbookId: r.playbook_id,
  version: Number(r.version),
  document: fromJson<CacaoPlaybook>(r.document),
  author: r.author,
  createdAt: Number(r.created_at),
});

const runFromRow = (r: Selectable<PlaybookRunsTable>): PlaybookRun => ({
  id: r.id,
  tenantId: r.tenant_id,
  incidentId: r.incident_id,
  playbookId: r.playbook_id,
  playbookVersion: Number(r.playbook_version),
  playbookName: r.playbook_name,
  status: r.status as PlaybookRunStatus,
  startedBy: r.started_by,
  startedAt: Number(r.started_at),
  endedAt: r.ended_at === null ? null : Number(r.ended_at),
  failure: r.failure,
  revision: Number(r.revision),
  position: fromJson<RunPosition>(r.position),
});

class KyselyPlaybookRepository extends TenantBound implements PlaybookRepository {
  async get(id: string): Promise<StoredPlaybook | undefined> {
    const row = await this.db
      .selectFrom('playbooks')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && playbookFromRow(row);
  }
  async list(): Promise<StoredPlaybook[]> {
    const rows = await this.db
      .selectFrom('playbooks')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map(playbookFromRow);
  }
  async upsert(p: StoredPlaybook): Promise<void> {
    const values = {
      name: p.name,
      latest_version: p.latestVersion,
      categories: toJson(p.categories),
      techniques: toJson(p.techniques),
      updated_at: p.updatedAt,
      updated_by: p.updatedBy,
    };
    const updated = await this.db
      .updateTable('playbooks')
      .set(values)
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', p.id)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) > 0) return;
    await this.db
      .insertInto('playbooks')
      .values({ tenant_id: this.tenantId, id: p.id, created_at: p.createdAt, ...values })
      .execute();
  }
  async insertVersion(v: PlaybookVersion): Promise<void> {
    await this.db
      .insertInto('playbook_versions')
      .values({
        tenant_id: this.tenantId,
        playbook_id: v.playbookId,
        version: v.version,
        document: toJson(v.document),
        author: v.author,
        created_at: v.createdAt,
      })
      .execute();
  }
  async version(id: string, version: number): Promise<PlaybookVersion | undefined> {
    const row = await this.db
      .selectFrom('playbook_versions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('playbook_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row && versionFromRow(row);
  }
  async versions(id: string): Promise<PlaybookVersion[]> {
    const rows = await this.db
      .selectFrom('playbook_versions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('playbook_id', '=', id)
      .orderBy('version')
      .execute();
    return rows.map(versionFromRow);
  }
}

class KyselyPlaybookRunRepository extends TenantBound implements PlaybookRunRepository {
  async insert(run: PlaybookRun): Promise<void> {
    await this.db
      .insertInto('playbook_runs')
      .values({
        id: run.id,
        tenant_id: this.tenantId,
        incident_id: run.incidentId,
        playbook_id: run.playbookId,
        playbook_version: run.playbookVersion,
        playbook_name: run.playbookName,
        status: run.status,
        started_by: run.startedBy,
        started_at: run.startedAt,
        ended_at: run.endedAt,
        failure: run.failure,
        revision: run.revision,
        position: toJson(run.position),
      })
      .execute();
  }
  async get(id: string): Promise<PlaybookRun | undefined> {
    const row = await this.db
      .selectFrom('playbook_runs')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && runFromRow(row);
  }
  async list(filter: PlaybookRunFilter, limit: number): Promise<PlaybookRun[]> {
    let query = this.db
      .selectFrom('playbook_runs')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
    if (filter.incidentId !== undefined) query = query.where('incident_id', '=', filter.incidentId);
    if (filter.statuses !== undefined && filter.statuses.length > 0)
      query = query.where('status', 'in', [...filter.statuses]);
    const rows = await query.orderBy('started_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map(runFromRow);
  }
  async update(run: PlaybookRun, expectedRevision: number): Promise<boolean> {
    const result = await this.db
      .updateTable('playbook_runs')
      .set({
        status: run.status,
        ended_at: run.endedAt,
        failure: run.failure,
        revision: run.revision,
        position: toJson(run.position),
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', run.id)
      .where('revision', '=', expectedRevision)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }
}

export function playbookRepositories(db: Db, tenantId: string): PlaybookRepositories {
  return {
    playbooks: new KyselyPlaybookRepository(db, tenantId),
    runs: new KyselyPlaybookRunRepository(db, tenantId),
  };
}
