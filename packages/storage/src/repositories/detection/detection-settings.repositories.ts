/** Suppressions, exclusions and tenant rules: small per-tenant lists, read whole. */
import type {
  AlertSuppression,
  DetectionExclusion,
  ExclusionRepository,
  FieldFilter,
  SuppressionRepository,
  TenantRule,
  TenantRuleRepository,
} from '@cordon/core';
import type { Selectable } from 'kysely';
import { sql } from 'kysely';
import type {
  AlertSuppressionsTable,
  DetectionExclusionsTable,
} from '../../database/detection-schema.ts';
import { TenantBound, bit, fromJson, toJson } from '../preparation/tenant-bound.ts';

type Fields = Readonly<Record<string, readonly string[]>>;

/** Suppressions and exclusions share their shape (a field filter with a reason) and queries. */
abstract class FilterRepository<
  T extends FieldFilter & { readonly id: string },
> extends TenantBound {
  protected abstract readonly table: 'alert_suppressions' | 'detection_exclusions';
  protected abstract fromRow(row: FilterRow): T;

  async get(id: string): Promise<T | undefined> {
    return (await this.select(id))[0];
  }
  async list(): Promise<T[]> {
    return this.select();
  }
  async delete(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom(this.table)
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
  protected async select(id?: string): Promise<T[]> {
    let query = this.db.selectFrom(this.table).selectAll().where('tenant_id', '=', this.tenantId);
    if (id !== undefined) query = query.where('id', '=', id);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map((row) => this.fromRow(row as FilterRow));
  }
  protected filterColumns(f: T & { reason: string; createdBy: string; createdAt: number }) {
    return {
      id: f.id,
      tenant_id: this.tenantId,
      rule_id: f.ruleId,
      fields: toJson(f.fields),
      reason: f.reason,
      created_by: f.createdBy,
      created_at: f.createdAt,
    };
  }
}

type FilterRow = Selectable<DetectionExclusionsTable> & Partial<Selectable<AlertSuppressionsTable>>;

const filterFromRow = (r: FilterRow) => ({
  id: r.id,
  tenantId: r.tenant_id,
  ruleId: r.rule_id,
  fields: fromJson<Fields>(r.fields),
  reason: r.reason,
  createdBy: r.created_by,
  createdAt: Number(r.created_at),
});

export class KyselySuppressionRepository
  extends FilterRepository<AlertSuppression>
  implements SuppressionRepository
{
  protected readonly table = 'alert_suppressions';
  protected fromRow(r: FilterRow): AlertSuppression {
    return {
      ...filterFromRow(r),
      expiresAt: r.expires_at === null || r.expires_at === undefined ? null : Number(r.expires_at),
      hits: Number(r.hits ?? 0),
    };
  }
  async insert(s: AlertSuppression): Promise<void> {
    await this.db
      .insertInto('alert_suppressions')
      .values({ ...this.filterColumns(s), expires_at: s.expiresAt, hits: s.hits })
      .execute();
  }
  async addHits(id: string, hits: number): Promise<void> {
    await this.db
      .updateTable('alert_suppressions')
      .set({ hits: sql<number>`hits + ${hits}` })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
}

export class KyselyExclusionRepository
  extends FilterRepository<DetectionExclusion>
  implements ExclusionRepository
{
  protected readonly table = 'detection_exclusions';
  protected fromRow(r: FilterRow): DetectionExclusion {
    return filterFromRow(r);
  }
  async insert(e: DetectionExclusion): Promise<void> {
    await this.db.insertInto('detection_exclusions').values(this.filterColumns(e)).execute();
  }
}

export class KyselyTenantRuleRepository extends TenantBound implements TenantRuleRepository {
  async insert(rule: TenantRule): Promise<void> {
    await this.db
      .insertInto('detection_rules')
      .values({
        id: rule.id,
        tenant_id: this.tenantId,
        title: rule.title,
        yaml: rule.yaml,
        rule_ids: toJson(rule.ruleIds),
        enabled: bit(rule.enabled),
        created_by: rule.createdBy,
        created_at: rule.createdAt,
        updated_at: rule.updatedAt,
      })
      .execute();
  }
  async get(id: string): Promise<TenantRule | undefined> {
    return (await this.#select(id))[0];
  }
  async list(): Promise<TenantRule[]> {
    return this.#select();
  }
  async update(
    id: string,
    changes: Partial<Pick<TenantRule, 'enabled' | 'updatedAt'>>,
  ): Promise<void> {
    await this.db
      .updateTable('detection_rules')
      .set({
        ...(changes.enabled === undefined ? {} : { enabled: bit(changes.enabled) }),
        ...(changes.updatedAt === undefined ? {} : { updated_at: changes.updatedAt }),
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
  async delete(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('detection_rules')
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
  async #select(id?: string): Promise<TenantRule[]> {
    let query = this.db
      .selectFrom('detection_rules')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
    if (id !== undefined) query = query.where('id', '=', id);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      title: r.title,
      yaml: r.yaml,
      ruleIds: fromJson<string[]>(r.rule_ids),
      enabled: r.enabled === 1,
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
      updatedAt: Number(r.updated_at),
    }));
  }
}
