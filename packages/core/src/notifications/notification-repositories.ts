/** The storage port of notifications, reached as `scope.notifications` from a `TenantScope`. */
import type {
  NotificationChannel,
  NotificationRule,
  OutboxItem,
  OutboxState,
} from './notification-channel.ts';

export interface NotificationRepositories {
  readonly channels: {
    insert(channel: NotificationChannel): Promise<void>;
    get(id: string): Promise<NotificationChannel | undefined>;
    list(): Promise<NotificationChannel[]>;
    /** False when there is no such channel. */
    setEnabled(id: string, enabled: boolean): Promise<boolean>;
    setSealedSecret(id: string, sealed: string): Promise<boolean>;
    delete(id: string): Promise<boolean>;
  };
  readonly rules: {
    insert(rule: NotificationRule): Promise<void>;
    list(): Promise<NotificationRule[]>;
    delete(id: string): Promise<boolean>;
  };
  /** The last journal sequence number the router has read. */
  readonly cursor: { get(): Promise<number>; set(seq: number): Promise<void> };
  readonly outbox: {
    /** False when the (channel, entry, recipient) is already in the outbox. */
    insert(item: OutboxItem): Promise<boolean>;
    get(id: string): Promise<OutboxItem | undefined>;
    list(filter: { state?: OutboxState }, limit: number): Promise<OutboxItem[]>;
    /**
     * Takes up to `limit` items due at `now` (pending, or sending with an expired lease) and
     * marks them sending until `leaseUntil`; an item is taken by one caller only.
     */
    claim(now: number, leaseUntil: number, limit: number): Promise<OutboxItem[]>;
    /** Writes the outcome of an attempt on an item this caller holds (state `sending`). */
    settle(
      id: string,
      outcome: Pick<
        OutboxItem,
        'state' | 'attempts' | 'nextAttemptAt' | 'lastError' | 'deliveredAt'
      >,
    ): Promise<boolean>;
    /** Puts a dead item back in the queue; false when it is not dead. */
    revive(id: string, now: number): Promise<boolean>;
  };
}
