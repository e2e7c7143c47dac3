/**
 * Notifications: `POST|GET …/notifications/channels`, `POST …/channels/{channelId}/disable|enable`,
 * `DELETE …/channels/{channelId}`, `POST|GET …/notifications/rules`,
 * `DELETE …/notifications/rules/{notificationRuleId}`, `GET …/notifications/outbox?state=dead`
 * (the dead-letter list) and `POST …/notifications/outbox/{outboxId}/replay`. A webhook's
 * secret is never in an answer (`secretSet` says there is one), except once: the secret Cordon
 * made, in the answer that created the channel.
 */
import type {
  NotificationChannel,
  NotificationRule,
  NotificationService,
  OutboxItem,
} from '@cordon/core';
import {
  ChannelList,
  ChannelView,
  CreateChannelRequest,
  CreateRuleRequest,
  CreatedChannelView,
  OutboxList,
  OutboxQuery,
  ReplayAnswer,
  RuleList,
  RuleView,
  Uuid,
  closed,
} from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import type { App } from './route-context.ts';

const TenantParams = closed({ tenantId: Uuid });
const RuleParams = closed({ tenantId: Uuid, notificationRuleId: Uuid });
const ChannelParams = closed({ tenantId: Uuid, channelId: Uuid });
const OutboxParams = closed({ tenantId: Uuid, outboxId: Uuid });
const tags = ['notifications'];
const iso = (ms: number): string => new Date(ms).toISOString();
const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));

const channelView = (c: NotificationChannel) => ({
  id: c.id,
  kind: c.kind,
  name: c.name,
  target: c.target,
  secretSet: c.sealedSecret !== null,
  enabled: c.enabled,
  createdBy: c.createdBy,
  createdAt: iso(c.createdAt),
});

const ruleView = (r: NotificationRule) => ({
  id: r.id,
  channelId: r.channelId,
  events: [...r.spec.events],
  kinds: [...r.spec.kinds],
  roles: [...r.spec.roles],
  responseRoles: [...r.spec.responseRoles],
  onCall: r.spec.onCall,
  addresses: [...r.spec.addresses],
  createdBy: r.createdBy,
  createdAt: iso(r.createdAt),
});

const outboxView = (o: OutboxItem) => ({
  id: o.id,
  channelId: o.channelId,
  ruleId: o.ruleId,
  journalSeq: o.journalSeq,
  event: o.event,
  recipient: o.recipient,
  subject: o.message.subject,
  state: o.state,
  attempts: o.attempts,
  nextAttemptAt: isoOrNull(o.nextAttemptAt),
  lastError: o.lastError,
  createdAt: isoOrNull(o.createdAt),
  deliveredAt: isoOrNull(o.deliveredAt),
});

export function notificationRoutes(app: App, notifications: NotificationService): void {
  const base = '/api/v1/tenants/:tenantId/notifications';

  app.post(
    `${base}/channels`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateChannelRequest,
        response: { 201: CreatedChannelView },
      },
    },
    async (request, reply) => {
      const { channel, generatedSecret } = await notifications.addChannel(
        principalOf(request),
        request.params.tenantId,
        request.body,
      );
      return reply.status(201).send({
        ...channelView(channel),
        ...(generatedSecret === null ? {} : { secret: generatedSecret }),
      });
    },
  );
  for (const action of ['disable', 'enable'] as const)
    app.post(
      `${base}/channels/:channelId/${action}`,
      { schema: { tags, params: ChannelParams, response: { 200: ChannelView } } },
      async (request) =>
        channelView(
          await notifications.setChannelEnabled(
            principalOf(request),
            request.params.tenantId,
            request.params.channelId,
            action === 'enable',
          ),
        ),
    );
  app.delete(
    `${base}/channels/:channelId`,
    { schema: { tags, params: ChannelParams } },
    async (request, reply) => {
      await notifications.deleteChannel(
        principalOf(request),
        request.params.tenantId,
        request.params.channelId,
      );
      return reply.status(204).send();
    },
  );
  const channelsSchema = { schema: { tags, params: TenantParams, response: { 200: ChannelList } } };
  app.get(`${base}/channels`, channelsSchema, async (request) => ({
    items: (await notifications.channels(principalOf(request), request.params.tenantId)).map(
      channelView,
    ),
  }));
  app.post(
    `${base}/rules`,
    {
      schema: { tags, params: TenantParams, body: CreateRuleRequest, response: { 201: RuleView } },
    },
    async (request, reply) => {
      const { channelId, events, kinds, roles, responseRoles, onCall, addresses } = request.body;
      const rule = await notifications.addRule(principalOf(request), request.params.tenantId, {
        channelId,
        spec: {
          events,
          kinds: kinds ?? [],
          roles: roles ?? [],
          responseRoles: responseRoles ?? [],
          onCall: onCall ?? false,
          addresses: addresses ?? [],
        },
      });
      return reply.status(201).send(ruleView(rule));
    },
  );
  const rulesSchema = { schema: { tags, params: TenantParams, response: { 200: RuleList } } };
  app.get(`${base}/rules`, rulesSchema, async (request) => ({
    items: (await notifications.rules(principalOf(request), request.params.tenantId)).map(ruleView),
  }));
  app.delete(
    `${base}/rules/:notificationRuleId`,
    { schema: { tags, params: RuleParams } },
    async (request, reply) => {
      await notifications.deleteRule(
        principalOf(request),
        request.params.tenantId,
        request.params.notificationRuleId,
      );
      return reply.status(204).send();
    },
  );
  app.get(
    `${base}/outbox`,
    {
      schema: {
        tags,
        params: TenantParams,
        querystring: OutboxQuery,
        response: { 200: OutboxList },
      },
    },
    async (request) => ({
      items: (
        await notifications.outbox(
          principalOf(request),
          request.params.tenantId,
          request.query.state ? { state: request.query.state } : {},
          request.query.limit ?? 100,
        )
      ).map(outboxView),
    }),
  );
  app.post(
    `${base}/outbox/:outboxId/replay`,
    { schema: { tags, params: OutboxParams, response: { 202: ReplayAnswer } } },
    async (request, reply) => {
      await notifications.replay(
        principalOf(request),
        request.params.tenantId,
        request.params.outboxId,
      );
      return reply.status(202).send({ replayed: request.params.outboxId });
    },
  );
}
