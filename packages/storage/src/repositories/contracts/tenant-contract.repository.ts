/** The current contract of a tenant: one row, its body as JSON (0020-contracts). */
import type { TenantContract, TenantContractRepository } from '@cordon/core';
import { TenantBound, fromJson } from '../preparation/tenant-bound.ts';

type Body = Omit<TenantContract, 'tenantId' | 'version' | 'updatedBy' | 'updatedAt'>;

export class KyselyTenantContractRepository
  extends TenantBound
  implements TenantContractRepository
{
  async get(): Promise<TenantContract | undefined> {
    const row = await this.db
      .selectFrom('tenant_contracts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      ...fromJson<Body>(row.body),
      tenantId: row.tenant_id,
      version: Number(row.version),
      updatedBy: row.updated_by,
      updatedAt: Number(row.updated_at),
    };
  }

  async put(contract: TenantContract): Promise<void> {
    const { tenantId: _tenant, version, updatedBy, updatedAt, ...body } = contract;
    const values = {
      version,
      body: JSON.stringify(body satisfies Body),
      updated_by: updatedBy,
      updated_at: updatedAt,
    };
    await this.db
      .insertInto('tenant_contracts')
      .values({ tenant_id: this.tenantId, ...values })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet(values))
      .execute();
  }
}
