/**
 * The outbox's delivery loop. Each pass routes new journal entries (NotificationService),
 * then takes the items that are due under a lease, sends each, and settles it: delivered;
 * back to pending after an exponential backoff with jitter; or, after the last attempt, dead
 * (the dead-letter list, replayed through the API). State lives in the database, so a restart
 * goes on where it stopped: delivered items are never sent again, and an item whose sender
 * crashed mid-send is taken again once its lease expired.
 */
import type {
  Clock,
  NotificationChannel,
  NotificationService,
  OutboxItem,
  Store,
} from '@cordon/core';
import { DestinationPolicy } from './destination-policy.ts';
import type { NotificationConfig } from './notification-config.ts';
import { SmtpSender } from './smtp-sender.ts';
import { postWebhook, signWebhook } from './webhook-sender.ts';

const CLAIM_BATCH = 20;
const LEASE_MS = 120_000;

export interface NotificationDeliveryOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly service: NotificationService;
  readonly config: NotificationConfig;
  readonly warn: (message: string, error: unknown) => void;
  /** Jitter source (tests fix it); default Math.random. */
  readonly random?: () => number;
}

export class NotificationDelivery {
  readonly #o: NotificationDeliveryOptions;
  readonly #policy: DestinationPolicy;
  readonly #smtp: SmtpSender | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;

  constructor(options: NotificationDeliveryOptions) {
    this.#o = options;
    this.#policy = new DestinationPolicy(options.config);
    const { smtpUrl, smtpFrom, requestTimeoutMs } = options.config;
    this.#smtp = smtpUrl
      ? new SmtpSender({ url: smtpUrl, from: smtpFrom, timeoutMs: requestTimeoutMs })
      : undefined;
  }

  start(): void {
    this.#timer = setInterval(() => void this.pass(), this.#o.config.intervalMs);
    this.#timer.unref();
  }

  /** One routing and delivery pass; passes never overlap. */
  async pass(): Promise<void> {
    if (this.#running) return this.#running;
    this.#running = this.#pass()
      .catch((error: unknown) => this.#o.warn('notification pass failed', error))
      .finally(() => {
        this.#running = undefined;
      });
    return this.#running;
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    await this.#running;
    this.#smtp?.close();
  }

  async #pass(): Promise<void> {
    await this.#o.service.routeAll();
    const tenants = await this.#o.store.transaction(async (uow) => uow.tenants.list());
    for (const tenant of tenants) {
      const now = this.#o.clock.now();
      const claimed = await this.#o.store.transaction(async (uow) => {
        const n = uow.forTenant(tenant.id).notifications;
        const items = await n.outbox.claim(now, now + LEASE_MS, CLAIM_BATCH);
        const channels = new Map((await n.channels.list()).map((c) => [c.id, c]));
        return items.map((item) => ({ item, channel: channels.get(item.channelId) }));
      });
      for (const { item, channel } of claimed) await this.#deliver(item, channel);
    }
  }

  async #deliver(item: OutboxItem, channel: NotificationChannel | undefined): Promise<void> {
    let error: string | null = null;
    try {
      await this.#send(item, channel);
    } catch (e) {
      error = (e instanceof Error ? e.message : String(e)).slice(0, 500);
    }
    const now = this.#o.clock.now();
    const attempts = item.attempts + 1;
    const dead = error !== null && attempts >= this.#o.config.maxAttempts;
    await this.#o.store.transaction(async (uow) => {
      const scope = uow.forTenant(item.tenantId);
      const settled = await scope.notifications.outbox.settle(item.id, {
        state: error === null ? 'delivered' : dead ? 'dead' : 'pending',
        attempts,
        nextAttemptAt: error === null || dead ? now : now + this.#backoff(attempts),
        lastError: error,
        deliveredAt: error === null ? now : null,
      });
      if (!settled || (error !== null && !dead)) return;
      await scope.journal.append({
        actor: 'system:notifications',
        kind: error === null ? 'notification.delivered' : 'notification.dead_lettered',
        payload: {
          outboxId: item.id,
          channelId: item.channelId,
          event: item.event,
          journalSeq: item.journalSeq,
          recipient: item.recipient,
          attempts,
          ...(error === null ? {} : { error }),
        },
      });
    });
  }

  async #send(item: OutboxItem, channel: NotificationChannel | undefined): Promise<void> {
    if (!channel?.enabled) throw new Error('the channel is gone or disabled');
    switch (channel.kind) {
      case 'webhook':
        return postWebhook({
          url: item.recipient,
          request: signWebhook({
            secret: this.#o.service.signingSecret(channel),
            body: item.message.body,
            timestamp: this.#o.clock.now(),
            deliveryId: item.id,
            event: item.event,
          }),
          policy: this.#policy,
          timeoutMs: this.#o.config.requestTimeoutMs,
        });
      case 'email':
        if (!this.#smtp) throw new Error('no SMTP relay is configured (CORDON_SMTP_URL)');
        return this.#smtp.send({
          to: item.recipient,
          subject: item.message.subject,
          text: item.message.text,
          deliveryId: item.id,
        });
    }
  }

  /** base × 2^(attempt−1), capped, then between half and all of it. */
  #backoff(attempt: number): number {
    const { baseDelayMs, maxDelayMs } = this.#o.config;
    const ceiling = Math.min(maxDelayMs, baseDelayMs * 2 ** Math.min(attempt - 1, 30));
    return Math.round(ceiling * (0.5 + 0.5 * (this.#o.random ?? Math.random)()));
  }
}
