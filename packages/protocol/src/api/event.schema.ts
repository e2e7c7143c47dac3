/**
 * Event search and dead letters as the API shows them. Query text follows the search language
 * of @cordon/core (KQL-like); times are RFC 3339. Search answers carry the stored events as
 * they were normalised (ECS fields, `fields`, `log_source`).
 */
import { Type } from '@sinclair/typebox';
import { PageQuery, Timestamp, Uuid, closed, literals } from './common.schema.ts';

const filterProperties = {
  query: Type.Optional(
    Type.String({
      maxLength: 10_000,
      description:
        'e.g. host.name:web01 AND source.ip:10.0.0.0/8 AND NOT event.code:4624 (empty: everything)',
    }),
  ),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'inclusive lower bound' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'exclusive upper bound' })),
};

export const EventFilterRequest = closed(filterProperties);

export const EventSearchRequest = closed({
  ...filterProperties,
  sort: Type.Optional(literals(['desc', 'asc'])),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 100' })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
});

export const StoredEventView = closed({
  id: Uuid,
  timestamp: Timestamp,
  ingestedAt: Timestamp,
  event: Type.Record(Type.String(), Type.Unknown()),
  provenance: Type.Record(Type.String(), Type.Unknown(), {
    description:
      'how the event arrived, recorded by the server (not part of the event): kind agent {agentId, host}, syslog {listener, transport, senderAddress, spoofable, tenantBinding, boundHosts, bindingConfirms}, http {credential, id}, replay {deadLetterId, source}, or unrecorded',
  }),
});

export const EventSearchResponse = closed({
  total: Type.Integer({ description: 'matching events, counted up to 10,000' }),
  totalIsLowerBound: Type.Boolean({ description: 'true when more than 10,000 match' }),
  events: Type.Array(StoredEventView),
});

export const EventCountResponse = closed({ count: Type.Integer() });

export const EventTermsRequest = closed({
  ...filterProperties,
  field: Type.String({ minLength: 1, maxLength: 300 }),
  size: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'default 10' })),
});

export const EventTermsResponse = closed({
  field: Type.String(),
  terms: Type.Array(
    closed({
      value: Type.Union([Type.String(), Type.Number(), Type.Boolean(), Type.Null()]),
      count: Type.Integer(),
    }),
  ),
});

export const EventHistogramRequest = closed({
  ...filterProperties,
  interval: Type.Optional(
    Type.String({
      pattern: '^[0-9]{1,6}(s|m|h|d)$',
      description: 'bucket width, e.g. 30s, 5m, 1h, 1d (default: chosen from the time range)',
    }),
  ),
});

export const EventHistogramResponse = closed({
  intervalMs: Type.Integer(),
  buckets: Type.Array(closed({ start: Timestamp, count: Type.Integer() })),
});

export const EventParams = closed({ tenantId: Uuid, eventId: Uuid });

export const DeadLetterStatus = literals(['pending', 'replayed', 'failed']);

export const ListDeadLettersQuery = closed({
  ...PageQuery,
  status: Type.Optional(DeadLetterStatus),
});

const deadLetterProperties = {
  id: Uuid,
  source: Type.String(),
  reason: Type.String(),
  code: Type.String(),
  receivedAt: Timestamp,
  status: DeadLetterStatus,
  replayedAt: Type.Union([Timestamp, Type.Null()]),
  replayOutcome: Type.Union([Type.String(), Type.Null()]),
  size: Type.Integer({ description: 'bytes received' }),
  preview: Type.String({ description: 'the first bytes as text (invalid UTF-8 replaced)' }),
};

export const DeadLetterSummaryView = closed(deadLetterProperties);

export const DeadLetterView = closed({
  ...deadLetterProperties,
  raw: Type.String({ description: 'the bytes exactly as received, base64' }),
});

export const DeadLetterParams = closed({ tenantId: Uuid, deadLetterId: Uuid });

export const EventRetentionView = closed({
  days: Type.Union([Type.Integer({ minimum: 1, maximum: 36_500 }), Type.Null()], {
    description: 'events older than this many days are deleted (null: kept forever)',
  }),
});
