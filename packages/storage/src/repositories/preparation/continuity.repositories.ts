/** Business functions and backup jobs, bound to one tenant. */
import type {
  BackupJob,
  BackupJobRepository,
  BusinessFunction,
  BusinessFunctionRepository,
} from '@cordon/core';
import type { Insertable, Selectable } from 'kysely';
import type { BackupJobsTable } from '../../database/schema.ts';
import { TenantBound, bit } from './tenant-bound.ts';

export class KyselyBusinessFunctionRepository
  extends TenantBound
  implements BusinessFunctionRepository
{
  async insert(f: BusinessFunction): Promise<void> {
    await this.db
      .insertInto('business_functions')
      .values({
        id: f.id,
        tenant_id: this.tenantId,
        name: f.name,
        description: f.description,
        owner: f.owner,
        mtd_minutes: f.mtdMinutes,
        cost_per_hour: f.costPerHour,
        created_at: f.createdAt,
        updated_at: f.updatedAt,
      })
      .execute();
  }
  async get(id: string): Promise<BusinessFunction | undefined> {
    return (await this.#select(id))[0];
  }
  async list(): Promise<BusinessFunction[]> {
    return this.#select();
  }
  async #select(id?: string): Promise<BusinessFunction[]> {
    let query = this.db
      .selectFrom('business_functions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
    if (id !== undefined) query = query.where('id', '=', id);
    const rows = await query.orderBy('name').execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      name: r.name,
      description: r.description,
      owner: r.owner,
      mtdMinutes: r.mtd_minutes,
      costPerHour: Number(r.cost_per_hour),
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    }));
  }
}

type BackupChanges = Partial<Omit<BackupJob, 'id' | 'tenantId' | 'createdAt'>>;

function backupChangesToRow(c: BackupChanges): Partial<Insertable<BackupJobsTable>> {
  const row: Partial<Insertable<BackupJobsTable>> = {};
  if (c.name !== undefined) row.name = c.name;
  if (c.assetId !== undefined) row.asset_id = c.assetId;
  if (c.system !== undefined) row.system = c.system;
  if (c.rpoMinutes !== undefined) row.rpo_minutes = c.rpoMinutes;
  if (c.rtoMinutes !== undefined) row.rto_minutes = c.rtoMinutes;
  if (c.lastSuccessAt !== undefined) row.last_success_at = c.lastSuccessAt;
  if (c.lastRestoreTestAt !== undefined) row.last_restore_test_at = c.lastRestoreTestAt;
  if (c.lastRestoreTestPassed !== undefined)
    row.last_restore_test_passed =
      c.lastRestoreTestPassed === null ? null : bit(c.lastRestoreTestPassed);
  if (c.offlineCopy !== undefined) row.offline_copy = bit(c.offlineCopy);
  if (c.immutableCopy !== undefined) row.immutable_copy = bit(c.immutableCopy);
  if (c.location !== undefined) row.location = c.location;
  if (c.updatedAt !== undefined) row.updated_at = c.updatedAt;
  return row;
}

const backupFromRow = (r: Selectable<BackupJobsTable>): BackupJob => ({
  id: r.id,
  tenantId: r.tenant_id,
  name: r.name,
  assetId: r.asset_id,
  system: r.system,
  rpoMinutes: r.rpo_minutes,
  rtoMinutes: r.rto_minutes,
  lastSuccessAt: r.last_success_at,
  lastRestoreTestAt: r.last_restore_test_at,
  lastRestoreTestPassed:
    r.last_restore_test_passed === null ? null : r.last_restore_test_passed === 1,
  offlineCopy: r.offline_copy === 1,
  immutableCopy: r.immutable_copy === 1,
  location: r.location,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

export class KyselyBackupJobRepository extends TenantBound implements BackupJobRepository {
  async insert(job: BackupJob): Promise<void> {
    await this.db
      .insertInto('backup_jobs')
      .values({
        id: job.id,
        tenant_id: this.tenantId,
        created_at: job.createdAt,
        ...backupChangesToRow(job),
      } as Insertable<BackupJobsTable>)
      .execute();
  }
  async get(id: string): Promise<BackupJob | undefined> {
    const row = await this.db
      .selectFrom('backup_jobs')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && backupFromRow(row);
  }
  async list(): Promise<BackupJob[]> {
    const rows = await this.db
      .selectFrom('backup_jobs')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('name')
      .orderBy('id')
      .execute();
    return rows.map(backupFromRow);
  }
  async update(id: string, changes: BackupChanges): Promise<void> {
    const row = backupChangesToRow(changes);
    if (Object.keys(row).length === 0) return;
    await this.db
      .updateTable('backup_jobs')
      .set(row)
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
}
