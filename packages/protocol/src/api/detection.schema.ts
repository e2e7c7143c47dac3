/**
 * Live detection API: alerts (list, read, acknowledge, close), suppressions, exclusions and
 * the tenant's own Sigma rules.
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { CursorQuery, PageQuery, Timestamp, Uuid, closed, literals } from './common.schema.ts';

export const AlertStatus = literals(['open', 'acknowledged', 'closed', 'suppressed']);
export const AlertLevel = literals(['informational', 'low', 'medium', 'high', 'critical']);

export const ListAlertsQuery = closed({
  ...PageQuery,
  ...CursorQuery,
  status: Type.Optional(AlertStatus),
  level: Type.Optional(AlertLevel),
  ruleId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  host: Type.Optional(Type.String({ minLength: 1, maxLength: 253 })),
  user: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  incidentId: Type.Optional(Uuid),
  from: Type.Optional(Timestamp),
  to: Type.Optional(Timestamp),
});

const ExplanationValue = Type.Union([Type.Number(), Type.String(), Type.Array(Type.String())]);

/** A behavioural detector's reasons: its score against the threshold, features and baseline. */
export const AlertExplanationView = closed({
  detector: Type.String(),
  key: Type.String(),
  score: Type.Number(),
  threshold: Type.Number(),
  summary: Type.String(),
  features: Type.Record(Type.String(), ExplanationValue),
  baseline: Type.Record(Type.String(), ExplanationValue),
});

export const AlertView = closed({
  id: Uuid,
  ruleId: Type.String(),
  ruleTitle: Type.String(),
  level: AlertLevel,
  tags: Type.Array(Type.String()),
  source: literals(['server', 'tenant']),
  entities: closed({
    hosts: Type.Array(Type.String()),
    users: Type.Array(Type.String()),
    sourceIps: Type.Array(Type.String()),
    ips: Type.Array(Type.String()),
  }),
  firstSeen: Timestamp,
  lastSeen: Timestamp,
  count: Type.Integer(),
  eventIds: Type.Array(Type.String()),
  eventCount: Type.Integer(),
  status: AlertStatus,
  incidentId: Type.Union([Uuid, Type.Null()]),
  suppressionId: Type.Union([Uuid, Type.Null()]),
  closedReason: Type.Union([Type.String(), Type.Null()]),
  explanation: Type.Optional(AlertExplanationView),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type AlertView = Static<typeof AlertView>;

export const CloseAlertRequest = closed({
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
});

const FilterFields = Type.Record(
  Type.String({ minLength: 1, maxLength: 200 }),
  Type.Array(Type.String({ minLength: 1, maxLength: 512 }), { minItems: 1, maxItems: 64 }),
  { maxProperties: 16, description: 'field → accepted values (case-insensitive, * wildcards)' },
);
const RuleRef = Type.Union([Type.String({ minLength: 1, maxLength: 200 }), Type.Null()], {
  description: 'Sigma rule id or name; null for any rule',
});

export const CreateSuppressionRequest = closed({
  ruleId: Type.Optional(RuleRef),
  fields: Type.Optional(FilterFields),
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
  expiresAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
});

export const SuppressionView = closed({
  id: Uuid,
  ruleId: Type.Union([Type.String(), Type.Null()]),
  fields: FilterFields,
  reason: Type.String(),
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  createdBy: Type.String(),
  createdAt: Timestamp,
  hits: Type.Integer(),
});

export const CreateExclusionRequest = closed({
  ruleId: Type.Optional(RuleRef),
  fields: Type.Optional(FilterFields),
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
});

export const ExclusionView = closed({
  id: Uuid,
  ruleId: Type.Union([Type.String(), Type.Null()]),
  fields: FilterFields,
  reason: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp,
});

export const CreateTenantRuleRequest = closed({
  yaml: Type.String({ minLength: 1, maxLength: 262_144, description: 'Sigma rule(s), YAML' }),
});

export const UpdateTenantRuleRequest = closed({ enabled: Type.Boolean() });

export const TenantRuleView = closed({
  id: Uuid,
  title: Type.String(),
  yaml: Type.String(),
  ruleIds: Type.Array(Type.String()),
  enabled: Type.Boolean(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** Why live detection does not run this rule (it failed its check when last compiled). */
  problems: Type.Optional(Type.Array(Type.String())),
});
