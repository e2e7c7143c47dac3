/** Suppressions, exclusions and tenant rules: small per-tenant lists, read whole. */
import type {
  AlertSuppression,
  DetectionExclusion,
  ExclusionRepository,
  SuppressionRepository,
  TenantRule,
  TenantRuleRepository,
} from '@cordon/core';
import { sql } from 'kysely';
import { TenantBound, bit, fromJson, toJson } from '../preparation/tenant-bound.ts';

type Fields = Readonly<Record<string, readonly string[]>>;

export class KyselySuppressionRepository extends TenantBound implements SuppressionRepository {
  async insert(s: AlertSuppression): Promise<void> {
    await this.db
      .insertInto('alert_suppressions')
      .values({
        id: s.id,
        tenant_id: this.tenantId,
        rule_id: s.ruleId,
        fields: toJson(s.fields),
        reason: s.reason,
        expires_at: s.expiresAt,
        created_by: s.createdBy,
        created_at: s.createdAt,
        hits: s.hits,
      })
      .execute();
  }
  async get(id: string): Promise<AlertSuppression | undefined> {
    return (await this.#select(id))[0];
  }
  async list(): Promise<AlertSuppression[]> {
    return this.#select();
  }
  async delete(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('alert_suppressions')
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
  async addHits(id: string, hits: number): Promise<void> {
    await this.db
      .updateTable('alert_suppressions')
      .set({ hits: sql<number>`hits + ${hits}` })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }
  async #select(id?: string): Promise<AlertSuppression[]> {
    let query = this.db
      .selectFrom('alert_suppressions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
    if (id !== undefined) query = query.where('id', '=', id);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      ruleId: r.rule_id,
      fields: fromJson<Fields>(r.fields),
      reason: r.reason,
      expiresAt: r.expires_at === null ? null : Number(r.expires_at),
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
      hits: Number(r.hits),
    }));
  }
}

export class KyselyExclusionRepository extends TenantBound implements ExclusionRepository {
  async insert(e: DetectionExclusion): Promise<void> {
    await this.db
      .insertInto('detection_exclusions')
      .values({
        id: e.id,
        tenant_id: this.tenantId,
        rule_id: e.ruleId,
        fields: toJson(e.fields),
        reason: e.reason,
        created_by: e.createdBy,
        created_at: e.createdAt,
      })
      .execute();
  }
  async get(id: string): Promise<DetectionExclusion | undefined> {
    return (await this.#select(id))[0];
  }
  async list(): Promise<DetectionExclusion[]> {
    return this.#select();
  }
  async delete(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('detection_exclusions')
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
  async #select(id?: string): Promise<DetectionExclusion[]> {
    let query = this.db
      .selectFrom('detection_exclusions')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
    if (id !== undefined) query = query.where('id', '=', id);
    const rows = await query.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      ruleId: r.rule_id,
      fields: fromJson<Fields>(r.fields),
      reason: r.reason,
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
    }));
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
