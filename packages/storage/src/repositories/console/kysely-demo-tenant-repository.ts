/** Which tenants `cordon demo` set up, and whether it finished (platform-level, by tenant id). */
import type { DemoTenantRepository } from '@cordon/core';
import type { Kysely } from 'kysely';
import type { CordonDatabase } from '../../database/schema.ts';

export class KyselyDemoTenantRepository implements DemoTenantRepository {
  readonly #db: Kysely<CordonDatabase>;
  constructor(db: Kysely<CordonDatabase>) {
    this.#db = db;
  }

  async get(
    tenantId: string,
  ): Promise<{ startedAt: number; completedAt: number | null } | undefined> {
    const row = await this.#db
      .selectFrom('demo_tenants')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .executeTakeFirst();
    return (
      row && {
        startedAt: Number(row.started_at),
        completedAt: row.completed_at === null ? null : Number(row.completed_at),
      }
    );
  }

  async mark(tenantId: string, at: number): Promise<void> {
    await this.#db
      .insertInto('demo_tenants')
      .values({ tenant_id: tenantId, started_at: at, completed_at: null })
      .execute();
  }

  async complete(tenantId: string, at: number): Promise<void> {
    await this.#db
      .updateTable('demo_tenants')
      .set({ completed_at: at })
      .where('tenant_id', '=', tenantId)
      .execute();
  }
}
