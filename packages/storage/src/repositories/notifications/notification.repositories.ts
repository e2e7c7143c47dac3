/** Notification channels, rules, the router's cursor and the outbox, tenant-scoped (0021-notify). */
import type {
  ChannelKind,
  NotificationChannel,
  NotificationMessage,
  NotificationRepositories,
  NotificationRule,
  OutboxItem,
  OutboxState,
  RoutingSpec,
} from '@cordon/core';
import type { Selectable } from 'kysely';
import type { NotificationOutboxTable } from '../../database/notify-schema.ts';
import type { Db } from '../preparation/tenant-bound.ts';
import { TenantBound, bit, fromJson, toJson } from '../preparation/tenant-bound.ts';

class Channels extends TenantBound {
  async insert(c: NotificationChannel): Promise<void> {
    await this.db
      .insertInto('notification_channels')
      .values({
        id: c.id,
        tenant_id: this.tenantId,
        kind: c.kind,
        name: c.name,
        target: c.target,
        secret: c.sealedSecret,
        enabled: bit(c.enabled),
        created_by: c.createdBy,
        created_at: c.createdAt,
      })
      .execute();
  }

  async get(id: string): Promise<NotificationChannel | undefined> {
    return (await this.#rows(id))[0];
  }

  async list(): Promise<NotificationChannel[]> {
    return this.#rows();
  }

  async setEnabled(id: string, enabled: boolean): Promise<boolean> {
    return this.#update(id, { enabled: bit(enabled) });
  }

  async setSealedSecret(id: string, sealed: string): Promise<boolean> {
    return this.#update(id, { secret: sealed });
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('notification_channels')
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async #update(id: string, set: { enabled?: number; secret?: string }): Promise<boolean> {
    const result = await this.db
      .updateTable('notification_channels')
      .set(set)
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async #rows(id?: string): Promise<NotificationChannel[]> {
    let q = this.db
      .selectFrom('notification_channels')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
    if (id !== undefined) q = q.where('id', '=', id);
    const rows = await q.orderBy('created_at').orderBy('id').execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      kind: r.kind as ChannelKind,
      name: r.name,
      target: r.target,
      sealedSecret: r.secret,
      enabled: Number(r.enabled) === 1,
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
    }));
  }
}

class Rules extends TenantBound {
  async insert(rule: NotificationRule): Promise<void> {
    await this.db
      .insertInto('notification_rules')
      .values({
        id: rule.id,
        tenant_id: this.tenantId,
        channel_id: rule.channelId,
        spec: toJson(rule.spec),
        created_by: rule.createdBy,
        created_at: rule.createdAt,
      })
      .execute();
  }

  async list(): Promise<NotificationRule[]> {
    const rows = await this.db
      .selectFrom('notification_rules')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.tenant_id,
      channelId: r.channel_id,
      spec: fromJson<RoutingSpec>(r.spec),
      createdBy: r.created_by,
      createdAt: Number(r.created_at),
    }));
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('notification_rules')
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}

class Cursor extends TenantBound {
  async get(): Promise<number> {
    const row = await this.db
      .selectFrom('notification_cursors')
      .select('last_seq')
      .where('tenant_id', '=', this.tenantId)
      .executeTakeFirst();
    return row ? Number(row.last_seq) : 0;
  }

  async set(seq: number): Promise<void> {
    await this.db
      .insertInto('notification_cursors')
      .values({ tenant_id: this.tenantId, last_seq: seq })
      .onConflict((oc) => oc.column('tenant_id').doUpdateSet({ last_seq: seq }))
      .execute();
  }
}

class Outbox extends TenantBound {
  async insert(item: OutboxItem): Promise<boolean> {
    const result = await this.db
      .insertInto('notification_outbox')
      .values({
        id: item.id,
        tenant_id: this.tenantId,
        channel_id: item.channelId,
        rule_id: item.ruleId,
        journal_seq: item.journalSeq,
        event: item.event,
        recipient: item.recipient,
        message: toJson(item.message),
        state: item.state,
        attempts: item.attempts,
        next_attempt_at: item.nextAttemptAt,
        lease_until: item.leaseUntil,
        last_error: item.lastError,
        created_at: item.createdAt,
        delivered_at: item.deliveredAt,
      })
      .onConflict((oc) =>
        oc.columns(['tenant_id', 'channel_id', 'journal_seq', 'recipient']).doNothing(),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  async get(id: string): Promise<OutboxItem | undefined> {
    const row = await this.#select().where('id', '=', id).executeTakeFirst();
    return row && itemOf(row);
  }

  async list(filter: { state?: OutboxState }, limit: number): Promise<OutboxItem[]> {
    let q = this.#select();
    if (filter.state) q = q.where('state', '=', filter.state);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id').limit(limit).execute();
    return rows.map(itemOf);
  }

  async claim(now: number, leaseUntil: number, limit: number): Promise<OutboxItem[]> {
    const due = await this.#select()
      .where('next_attempt_at', '<=', now)
      .where((eb) =>
        eb.or([
          eb('state', '=', 'pending'),
          eb.and([eb('state', '=', 'sending'), eb('lease_until', '<', now)]),
        ]),
      )
      .orderBy('next_attempt_at')
      .limit(limit)
      .execute();
    const claimed: OutboxItem[] = [];
    for (const row of due) {
      // Conditional on the state read: a concurrent claimer that got there first wins.
      const result = await this.db
        .updateTable('notification_outbox')
        .set({ state: 'sending', lease_until: leaseUntil })
        .where('tenant_id', '=', this.tenantId)
        .where('id', '=', row.id)
        .where('state', '=', row.state)
        .where((eb) =>
          row.lease_until === null
            ? eb('lease_until', 'is', null)
            : eb('lease_until', '=', row.lease_until),
        )
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0)
        claimed.push({ ...itemOf(row), state: 'sending', leaseUntil });
    }
    return claimed;
  }

  async settle(
    id: string,
    o: Pick<OutboxItem, 'state' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'deliveredAt'>,
  ): Promise<boolean> {
    const result = await this.db
      .updateTable('notification_outbox')
      .set({
        state: o.state,
        attempts: o.attempts,
        next_attempt_at: o.nextAttemptAt,
        last_error: o.lastError,
        delivered_at: o.deliveredAt,
        lease_until: null,
      })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .where('state', '=', 'sending')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async revive(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('notification_outbox')
      .set({ state: 'pending', attempts: 0, next_attempt_at: now, lease_until: null })
      .where('tenant_id', '=', this.tenantId)
      .where('id', '=', id)
      .where('state', '=', 'dead')
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  #select() {
    return this.db
      .selectFrom('notification_outbox')
      .selectAll()
      .where('tenant_id', '=', this.tenantId);
  }
}

function itemOf(r: Selectable<NotificationOutboxTable>): OutboxItem {
  return {
    id: r.id,
    tenantId: r.tenant_id,
    channelId: r.channel_id,
    ruleId: r.rule_id,
    journalSeq: Number(r.journal_seq),
    event: r.event,
    recipient: r.recipient,
    message: fromJson<NotificationMessage>(r.message),
    state: r.state as OutboxState,
    attempts: Number(r.attempts),
    nextAttemptAt: Number(r.next_attempt_at),
    leaseUntil: r.lease_until === null ? null : Number(r.lease_until),
    lastError: r.last_error,
    createdAt: Number(r.created_at),
    deliveredAt: r.delivered_at === null ? null : Number(r.delivered_at),
  };
}

export function notificationRepositories(db: Db, tenantId: string): NotificationRepositories {
  return {
    channels: new Channels(db, tenantId),
    rules: new Rules(db, tenantId),
    cursor: new Cursor(db, tenantId),
    outbox: new Outbox(db, tenantId),
  };
}
