/** Alerts of one tenant, with their entity keys kept in `alert_entities` for lookups. */
import type {
  Alert,
  AlertChanges,
  AlertEntities,
  AlertExplanation,
  AlertFilter,
  AlertLevel,
  AlertRepository,
  AlertStatus,
  BoundedPage,
  EntityKey,
  Page,
} from '@cordon/core';
import type { Selectable } from 'kysely';
import type { AlertsTable } from '../../database/detection-schema.ts';
import { TenantBound, fromJson, toJson } from '../preparation/tenant-bound.ts';
import { boundedCount } from '../bounded-count.ts';

const alertFromRow = (r: Selectable<AlertsTable>): Alert => ({
  id: r.id,
  tenantId: r.tenant_id,
  ruleId: r.rule_id,
  ruleTitle: r.rule_title,
  level: r.level as AlertLevel,
  tags: fromJson<string[]>(r.tags),
  source: r.source === 'tenant' ? 'tenant' : 'server',
  dedupeKey: r.dedupe_key,
  entities: fromJson<AlertEntities>(r.entities),
  firstSeen: Number(r.first_seen),
  lastSeen: Number(r.last_seen),
  count: Number(r.count),
  eventIds: fromJson<string[]>(r.event_ids),
  eventCount: Number(r.event_count),
  status: r.status as AlertStatus,
  incidentId: r.incident_id,
  suppressionId: r.suppression_id,
  closedReason: r.closed_reason,
  ...(r.explanation ? { explanation: fromJson<AlertExplanation>(r.explanation) } : {}),
  createdAt: Number(r.created_at),
  updatedAt: Number(r.updated_at),
});

/** The row of an alert (the bulk loader writes the same rows). */
export const alertToRow = (alert: Alert): Selectable<AlertsTable> => ({
  id: alert.id,
  tenant_id: alert.tenantId,
  rule_id: alert.ruleId,
  rule_title: alert.ruleTitle,
  level: alert.level,
  tags: toJson(alert.tags),
  source: alert.source,
  dedupe_key: alert.dedupeKey,
  entities: toJson(alert.entities),
  first_seen: alert.firstSeen,
  last_seen: alert.lastSeen,
  count: alert.count,
  event_ids: toJson(alert.eventIds),
  event_count: alert.eventCount,
  status: alert.status,
  incident_id: alert.incidentId,
  suppression_id: alert.suppressionId,
  closed_reason: alert.closedReason,
  explanation: alert.explanation ? toJson(alert.explanation) : null,
  created_at: alert.createdAt,
  updated_at: alert.updatedAt,
});

export function entityRows(alert: Alert): { kind: string; value: string }[] {
  const { hosts, users, sourceIps, ips } = alert.entities;
  const rows = new Map<string, { kind: string; value: string }>();
  for (const value of hosts) rows.set(`host ${value}`, { kind: 'host', value });
  for (const value of users) rows.set(`user ${value}`, { kind: 'user', value });
  for (const value of [...sourceIps, ...ips]) rows.set(`ip ${value}`, { kind: 'ip', value });
  return [...rows.values()];
}

export class KyselyAlertRepository extends TenantBound implements AlertRepository {
  async insert(alert: Alert): Promise<void> {
    await this.db
      .insertInto('alerts')
      .values({ ...alertToRow(alert), tenant_id: this.tenantId })
      .execute();
    const entities = entityRows(alert);
    if (entities.length > 0)
      await this.db
        .insertInto('alert_entities')
        .values(entities.map((e) => ({ tenant_id: this.tenantId, alert_id: alert.id, ...e })))
        .execute();
  }

  async get(id: string): Promise<Alert | undefined> {
    const row = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && alertFromRow(row);
  }

  async update(id: string, changes: AlertChanges): Promise<void> {
    const set: Partial<AlertsTable> = {};
    if (changes.firstSeen !== undefined) set.first_seen = changes.firstSeen;
    if (changes.lastSeen !== undefined) set.last_seen = changes.lastSeen;
    if (changes.count !== undefined) set.count = changes.count;
    if (changes.eventIds !== undefined) set.event_ids = toJson(changes.eventIds);
    if (changes.eventCount !== undefined) set.event_count = changes.eventCount;
    if (changes.status !== undefined) set.status = changes.status;
    if (changes.incidentId !== undefined) set.incident_id = changes.incidentId;
    if (changes.suppressionId !== undefined) set.suppression_id = changes.suppressionId;
    if (changes.closedReason !== undefined) set.closed_reason = changes.closedReason;
    if (changes.explanation !== undefined)
      set.explanation = changes.explanation ? toJson(changes.explanation) : null;
    if (changes.updatedAt !== undefined) set.updated_at = changes.updatedAt;
    if (Object.keys(set).length === 0) return;
    await this.db
      .updateTable('alerts')
      .set(set)
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .execute();
  }

  async list(filter: AlertFilter, page: Page): Promise<BoundedPage<Alert>> {
    let query = this.db.selectFrom('alerts').where('tenant_id', '=', this.tenantId);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.level) query = query.where('level', '=', filter.level);
    if (filter.ruleId) query = query.where('rule_id', '=', filter.ruleId);
    if (filter.incidentId) query = query.where('incident_id', '=', filter.incidentId);
    if (filter.lastSeenFrom !== undefined)
      query = query.where('last_seen', '>=', filter.lastSeenFrom);
    if (filter.lastSeenTo !== undefined) query = query.where('last_seen', '<', filter.lastSeenTo);
    for (const [kind, value] of [
      ['host', filter.host],
      ['user', filter.user],
    ] as const) {
      if (!value) continue;
      const key = value.toLowerCase();
      query = query.where('id', 'in', (eb) =>
        eb
          .selectFrom('alert_entities')
          .select('alert_id')
          .where('tenant_id', '=', this.tenantId)
          .where('kind', '=', kind)
          .where('value', '=', key),
      );
    }
    const counted = await boundedCount(this.db, query);
    const after = page.after;
    if (after) {
      query = query
        .where('last_seen', '<=', after.at)
        .where((eb) =>
          eb.or([
            eb('last_seen', '<', after.at),
            eb.and([eb('last_seen', '=', after.at), eb('id', '>', after.tie)]),
          ]),
        );
    }
    const rows = await query
      .selectAll()
      .orderBy('last_seen', 'desc')
      .orderBy('id')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return { ...counted, items: rows.map(alertFromRow) };
  }

  async findMergeable(
    ruleId: string,
    dedupeKey: string,
    since: number,
  ): Promise<Alert | undefined> {
    const row = await this.db
      .selectFrom('alerts')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('rule_id', '=', ruleId)
      .where('dedupe_key', '=', dedupeKey)
      .where('last_seen', '>=', since)
      .where('status', '!=', 'closed')
      .orderBy('last_seen', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row && alertFromRow(row);
  }

  async incidentsSharing(entities: readonly EntityKey[], since: number): Promise<string[]> {
    if (entities.length === 0) return [];
    const rows = await this.db
      .selectFrom('alert_entities as e')
      .innerJoin('alerts as a', 'a.id', 'e.alert_id')
      .select('a.incident_id')
      .where('e.tenant_id', '=', this.tenantId)
      .where('a.tenant_id', '=', this.tenantId)
      .where((eb) =>
        eb.or(
          entities.map((k) => eb.and([eb('e.kind', '=', k.kind), eb('e.value', '=', k.value)])),
        ),
      )
      .where('a.incident_id', 'is not', null)
      .where('a.last_seen', '>=', since)
      .orderBy('a.last_seen', 'desc')
      .limit(50)
      .execute();
    return [...new Set(rows.map((r) => r.incident_id!))];
  }
}
