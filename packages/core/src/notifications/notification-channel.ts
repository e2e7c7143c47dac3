/**
 * Where a tenant's notifications go: a webhook (an http(s) URL, each delivery signed with the
 * channel's secret) or e-mail (over the platform's SMTP relay, to the recipients a rule names).
 */
import type { Role } from '../access/role.ts';
import type { ResponseRole } from '../response-plan/response-plan.ts';
import type { NotificationEvent } from './notification-event.ts';

export const CHANNEL_KINDS = ['webhook', 'email'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];

export interface NotificationChannel {
  readonly id: string;
  readonly tenantId: string;
  readonly kind: ChannelKind;
  readonly name: string;
  /** The webhook URL; null for e-mail. */
  readonly target: string | null;
  /**
   * The webhook's HMAC key as the SecretBox sealed it (never plaintext at rest, never in an
   * answer); null for e-mail.
   */
  readonly sealedSecret: string | null;
  readonly enabled: boolean;
  readonly createdBy: string;
  readonly createdAt: number;
}

/** Which entries a rule takes and who it tells. */
export interface RoutingSpec {
  readonly events: readonly NotificationEvent[];
  /** Further journal kinds, routed as they are (kinds other services journal). */
  readonly kinds: readonly string[];
  /** Tenant members holding these roles (their sign-in addresses). */
  readonly roles: readonly Role[];
  /** The people the response plan assigns to these roles (primary). */
  readonly responseRoles: readonly ResponseRole[];
  /** The on-call rota's primary at the time of the entry (else the MSSP on-call role). */
  readonly onCall: boolean;
  readonly addresses: readonly string[];
}

export interface NotificationRule {
  readonly id: string;
  readonly tenantId: string;
  readonly channelId: string;
  readonly spec: RoutingSpec;
  readonly createdBy: string;
  /** Entries older than the rule are not routed by it. */
  readonly createdAt: number;
}

export const OUTBOX_STATES = ['pending', 'sending', 'delivered', 'dead'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

export interface NotificationRecipient {
  readonly name: string | null;
  readonly email: string | null;
  readonly via: string;
}

/** What is sent, fixed when the entry is routed. */
export interface NotificationMessage {
  readonly subject: string;
  readonly text: string;
  /** The webhook's JSON body. */
  readonly body: unknown;
}

export interface OutboxItem {
  readonly id: string;
  readonly tenantId: string;
  readonly channelId: string;
  readonly ruleId: string;
  readonly journalSeq: number;
  readonly event: string;
  /** An e-mail address, or the webhook's URL. */
  readonly recipient: string;
  readonly message: NotificationMessage;
  readonly state: OutboxState;
  readonly attempts: number;
  readonly nextAttemptAt: number;
  readonly leaseUntil: number | null;
  readonly lastError: string | null;
  readonly createdAt: number;
  readonly deliveredAt: number | null;
}
