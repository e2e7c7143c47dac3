/**
 * API schemas of notifications under `/api/v1/tenants/{tenantId}/notifications/…`: channels
 * (webhook or e-mail), routing rules (events or journal kinds → roles, response roles, the
 * on-call person, addresses) and the outbox with its dead letters.
 */
import { Type } from '@sinclair/typebox';
import { Role, Uuid, closed, literals } from './common.schema.ts';
import { ResponseRoleName } from './preparation.schema.ts';

export const NotificationEventName = literals([
  'incident_opened',
  'severity_raised',
  'approval_needed',
  'sla_at_risk',
  'sla_breached',
  'regulatory_deadline_near',
  'regulatory_deadline_missed',
  'containment_applied',
  'containment_failed',
]);

export const CreateChannelRequest = closed({
  kind: literals(['webhook', 'email']),
  name: Type.String({ minLength: 1, maxLength: 200 }),
  /** webhook: the http(s) URL. */
  target: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
  /** webhook: the signing secret to use (32–256 printable ASCII); made by Cordon when absent. */
  secret: Type.Optional(Type.String({ minLength: 32, maxLength: 256, pattern: '^[!-~]+$' })),
});

export const CreateRuleRequest = closed({
  channelId: Uuid,
  events: Type.Array(NotificationEventName, { maxItems: 20, uniqueItems: true }),
  kinds: Type.Optional(
    Type.Array(Type.String({ pattern: '^[a-z][a-z0-9_.-]{0,99}$' }), {
      maxItems: 50,
      uniqueItems: true,
    }),
  ),
  roles: Type.Optional(Type.Array(Role, { maxItems: 10, uniqueItems: true })),
  responseRoles: Type.Optional(Type.Array(ResponseRoleName, { maxItems: 10, uniqueItems: true })),
  onCall: Type.Optional(Type.Boolean()),
  addresses: Type.Optional(
    Type.Array(Type.String({ format: 'email', maxLength: 254 }), {
      maxItems: 50,
      uniqueItems: true,
    }),
  ),
});

export const OutboxQuery = closed({
  state: Type.Optional(literals(['pending', 'sending', 'delivered', 'dead'])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
});

const Instant = Type.String({ format: 'date-time' });
const InstantOrNull = Type.Union([Instant, Type.Null()]);

/** A channel as the API shows it: whether it has a secret, never the secret. */
export const ChannelView = closed({
  id: Uuid,
  kind: literals(['webhook', 'email']),
  name: Type.String(),
  target: Type.Union([Type.String(), Type.Null()]),
  secretSet: Type.Boolean(),
  enabled: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: Instant,
});

/** The answer that created a channel: the secret Cordon made, this once (absent otherwise). */
export const CreatedChannelView = closed({
  ...ChannelView.properties,
  secret: Type.Optional(Type.String()),
});

export const ChannelList = closed({ items: Type.Array(ChannelView) });

export const RuleView = closed({
  id: Uuid,
  channelId: Uuid,
  events: Type.Array(NotificationEventName),
  kinds: Type.Array(Type.String()),
  roles: Type.Array(Role),
  responseRoles: Type.Array(ResponseRoleName),
  onCall: Type.Boolean(),
  addresses: Type.Array(Type.String()),
  createdBy: Type.String(),
  createdAt: Instant,
});

export const RuleList = closed({ items: Type.Array(RuleView) });

export const OutboxItemView = closed({
  id: Uuid,
  channelId: Uuid,
  ruleId: Uuid,
  journalSeq: Type.Integer(),
  event: Type.String(),
  recipient: Type.String(),
  subject: Type.String(),
  state: literals(['pending', 'sending', 'delivered', 'dead']),
  attempts: Type.Integer(),
  nextAttemptAt: InstantOrNull,
  lastError: Type.Union([Type.String(), Type.Null()]),
  createdAt: InstantOrNull,
  deliveredAt: InstantOrNull,
});

export const OutboxList = closed({ items: Type.Array(OutboxItemView) });

export const ReplayAnswer = closed({ replayed: Uuid });
