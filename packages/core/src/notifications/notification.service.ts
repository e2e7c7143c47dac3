/**
 * Notification channels and routing rules per tenant, the outbox's dead letters and their
 * replay. Channels and rules are a platform admin's (a webhook's destination and secret are
 * the MSSP's business); members who read the journal may read the outbox. Every change is
 * journalled. A webhook's signing secret is sealed by the SecretBox before it is stored, bound
 * to its tenant and channel, and opened only to sign a delivery.
 */
import { randomBytes } from 'node:crypto';
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import type { SecretBox } from '../ports/secret-box.ts';
import { newId } from '../ports/id-generator.ts';
import type { Store } from '../ports/store.ts';
import type {
  ChannelKind,
  NotificationChannel,
  NotificationRule,
  OutboxItem,
  OutboxState,
  RoutingSpec,
} from './notification-channel.ts';
import { routeJournal } from './notification-router.ts';

const MAX_CHANNELS = 50;
const MAX_RULES = 200;
/** A caller's own webhook secret: long enough to be a key, short enough for a header's HMAC. */
const SECRET = /^[\x21-\x7e]{32,256}$/;

/** What the sealed secret of a channel is bound to. */
const secretContext = (c: Pick<NotificationChannel, 'tenantId' | 'id'>): string =>
  `notification-channel:${c.tenantId}:${c.id}`;

export interface AddedChannel {
  readonly channel: NotificationChannel;
  /** The webhook secret Cordon made, to show once; null when the caller gave its own, or e-mail. */
  readonly generatedSecret: string | null;
}

/** A webhook URL: http(s) only, no user information, a host. */
export function checkWebhookUrl(target: string): URL {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    throw invalidInput('the webhook target is not a URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalidInput('a webhook target must be http or https');
  if (url.username || url.password) throw invalidInput('a webhook target carries no credentials');
  if (!url.hostname) throw invalidInput('a webhook target needs a host');
  return url;
}

export class NotificationService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #secrets: SecretBox;

  constructor(options: {
    readonly store: Store;
    readonly clock: Clock;
    readonly secrets: SecretBox;
  }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#secrets = options.secrets;
  }

  async addChannel(
    principal: Principal,
    tenantId: string,
    input: {
      readonly kind: ChannelKind;
      readonly name: string;
      readonly target?: string;
      /** The webhook's signing secret; Cordon makes one when absent. */
      readonly secret?: string;
    },
  ): Promise<AddedChannel> {
    authorize(principal, tenantId, 'access:manage');
    if (input.kind === 'webhook') checkWebhookUrl(input.target ?? '');
    else if (input.target !== undefined || input.secret !== undefined)
      throw invalidInput('an e-mail channel has no target and no secret');
    if (input.secret !== undefined && !SECRET.test(input.secret))
      throw invalidInput('a webhook secret is 32 to 256 printable ASCII characters');
    const generatedSecret =
      input.kind === 'webhook' && input.secret === undefined
        ? randomBytes(32).toString('base64url')
        : null;
    const secret = input.secret ?? generatedSecret;
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const scope = uow.forTenant(tenantId);
      if ((await scope.notifications.channels.list()).length >= MAX_CHANNELS)
        throw new CordonError('conflict', `a tenant has at most ${MAX_CHANNELS} channels`);
      const id = newId();
      const channel: NotificationChannel = {
        id,
        tenantId,
        kind: input.kind,
        name: input.name,
        target: input.kind === 'webhook' ? (input.target ?? null) : null,
        sealedSecret:
          secret === null ? null : this.#secrets.seal(secret, secretContext({ tenantId, id })),
        enabled: true,
        createdBy: actorOf(principal),
        createdAt: this.#clock.now(),
      };
      await scope.notifications.channels.insert(channel);
      await scope.journal.append({
        actor: channel.createdBy,
        kind: 'notification.channel_added',
        payload: {
          channelId: channel.id,
          kind: channel.kind,
          name: channel.name,
          target: channel.target,
          secret: channel.sealedSecret === null ? 'none' : generatedSecret ? 'generated' : 'given',
        },
      });
      return { channel, generatedSecret };
    });
  }

  /** The webhook's signing secret, opened for one delivery. */
  signingSecret(channel: NotificationChannel): string {
    if (channel.sealedSecret === null) throw new Error(`channel ${channel.id} has no secret`);
    return this.#secrets.open(channel.sealedSecret, secretContext(channel));
  }

  /** A disabled channel is routed nothing; what it had queued fails until it is enabled again. */
  async setChannelEnabled(
    principal: Principal,
    tenantId: string,
    channelId: string,
    enabled: boolean,
  ): Promise<NotificationChannel> {
    authorize(principal, tenantId, 'access:manage');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const channel = await scope.notifications.channels.get(channelId);
      if (!channel) throw notFound('channel');
      if (channel.enabled === enabled) return channel;
      await scope.notifications.channels.setEnabled(channelId, enabled);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: enabled ? 'notification.channel_enabled' : 'notification.channel_disabled',
        payload: { channelId, kind: channel.kind, name: channel.name },
      });
      return { ...channel, enabled };
    });
  }

  /** Removes a channel and the rules that route to it; its outbox history stays. */
  async deleteChannel(principal: Principal, tenantId: string, channelId: string): Promise<void> {
    authorize(principal, tenantId, 'access:manage');
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const channel = await scope.notifications.channels.get(channelId);
      if (!channel) throw notFound('channel');
      const rules = (await scope.notifications.rules.list()).filter(
        (r) => r.channelId === channelId,
      );
      for (const rule of rules) await scope.notifications.rules.delete(rule.id);
      await scope.notifications.channels.delete(channelId);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'notification.channel_removed',
        payload: {
          channelId,
          kind: channel.kind,
          name: channel.name,
          target: channel.target,
          rulesRemoved: rules.map((r) => r.id),
        },
      });
    });
  }

  /**
   * Seals the secrets stored before sealing existed (plaintext rows); run at start-up. Answers
   * how many were sealed.
   */
  async sealStoredSecrets(): Promise<number> {
    const tenants = await this.#store.transaction(async (uow) => uow.tenants.list());
    let sealed = 0;
    for (const tenant of tenants)
      sealed += await this.#store.transaction(async (uow) => {
        const channels = uow.forTenant(tenant.id).notifications.channels;
        let n = 0;
        for (const c of await channels.list()) {
          if (c.sealedSecret === null || this.#secrets.isSealed(c.sealedSecret)) continue;
          await channels.setSealedSecret(
            c.id,
            this.#secrets.seal(c.sealedSecret, secretContext(c)),
          );
          n += 1;
        }
        return n;
      });
    return sealed;
  }

  async channels(principal: Principal, tenantId: string): Promise<NotificationChannel[]> {
    authorize(principal, tenantId, 'access:manage');
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).notifications.channels.list(),
    );
  }

  async addRule(
    principal: Principal,
    tenantId: string,
    input: { readonly channelId: string; readonly spec: RoutingSpec },
  ): Promise<NotificationRule> {
    authorize(principal, tenantId, 'access:manage');
    if (input.spec.events.length + input.spec.kinds.length === 0)
      throw invalidInput('a rule names at least one event or journal kind');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const channel = await scope.notifications.channels.get(input.channelId);
      if (!channel) throw notFound('channel');
      const s = input.spec;
      if (
        channel.kind === 'email' &&
        s.roles.length + s.responseRoles.length + s.addresses.length === 0 &&
        !s.onCall
      )
        throw invalidInput(
          'an e-mail rule names its recipients (roles, response roles, on-call or addresses)',
        );
      if ((await scope.notifications.rules.list()).length >= MAX_RULES)
        throw new CordonError('conflict', `a tenant has at most ${MAX_RULES} rules`);
      const rule: NotificationRule = {
        id: newId(),
        tenantId,
        channelId: channel.id,
        spec: input.spec,
        createdBy: actorOf(principal),
        createdAt: this.#clock.now(),
      };
      await scope.notifications.rules.insert(rule);
      await scope.journal.append({
        actor: rule.createdBy,
        kind: 'notification.rule_added',
        payload: { ruleId: rule.id, channelId: rule.channelId, spec: rule.spec },
      });
      return rule;
    });
  }

  async rules(principal: Principal, tenantId: string): Promise<NotificationRule[]> {
    authorize(principal, tenantId, 'access:manage');
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).notifications.rules.list(),
    );
  }

  async deleteRule(principal: Principal, tenantId: string, ruleId: string): Promise<void> {
    authorize(principal, tenantId, 'access:manage');
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await scope.notifications.rules.delete(ruleId))) throw notFound('rule');
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'notification.rule_removed',
        payload: { ruleId },
      });
    });
  }

  async outbox(
    principal: Principal,
    tenantId: string,
    filter: { readonly state?: OutboxState },
    limit: number,
  ): Promise<OutboxItem[]> {
    authorize(principal, tenantId, 'journal:read');
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).notifications.outbox.list(filter, limit),
    );
  }

  /** Sends a dead letter again from the first attempt. */
  async replay(principal: Principal, tenantId: string, outboxId: string): Promise<void> {
    authorize(principal, tenantId, 'access:manage');
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const item = await scope.notifications.outbox.get(outboxId);
      if (!item) throw notFound('notification');
      if (!(await scope.notifications.outbox.revive(outboxId, this.#clock.now())))
        throw new CordonError('conflict', `notification ${outboxId} is ${item.state}, not dead`);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'notification.replayed',
        incidentId: null,
        payload: {
          outboxId,
          channelId: item.channelId,
          event: item.event,
          journalSeq: item.journalSeq,
        },
      });
    });
  }

  /** One routing pass over every tenant's journal (the server's timer calls it). */
  async routeAll(): Promise<number> {
    const tenants = await this.#store.transaction(async (uow) => uow.tenants.list());
    let queued = 0;
    for (const tenant of tenants)
      queued += await this.#store.transaction(async (uow) =>
        routeJournal(uow.forTenant(tenant.id), this.#clock.now()),
      );
    return queued;
  }
}
