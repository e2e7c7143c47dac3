/**
 * The containment API: agent enrolment, the agent registry, containment actions with their
 * transitions, offline release codes and the per-tenant auto-containment policy.
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { NameCursorQuery, PageQuery, Timestamp, Uuid, closed, literals } from './common.schema.ts';
import { ContainmentOptionRuleSchema, OptionDurationsSchema } from './containment-option.schema.ts';

export const AgentId = Type.String({ pattern: '^agent-[0-9a-f]{16}$', description: 'an agent id' });

export const ACTION_STATE_VALUES = [
  'requested',
  'approved',
  'sent',
  'applied',
  'failed',
  'rolled-back',
  'reverted',
] as const;
export const ActionStateSchema = literals(ACTION_STATE_VALUES);

export const CreateEnrolmentTokenBody = closed({
  ttlMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 })),
});

export const EnrolmentTokenView = closed({
  /** One-time: `cordon agent enroll --token`. Shown once. */
  token: Type.String(),
  expiresAt: Timestamp,
  certificateSha256: Type.String(),
});

export const EnrolBody = closed({
  token: Type.String({ maxLength: 512 }),
  publicKey: Type.String({ pattern: '^[A-Za-z0-9_-]{43}$', description: 'raw Ed25519, base64url' }),
  facts: Type.Unknown(),
});

export const EnrolView = closed({
  tenantId: Uuid,
  agentId: AgentId,
  serverPublicKey: Type.String(),
});

export const AgentParams = closed({ tenantId: Uuid, agentId: AgentId });

const IdentityAddresses = closed({ v4: Type.Array(Type.String()), v6: Type.Array(Type.String()) });
export const AgentIdentityView = closed({ hostname: Type.String(), addresses: IdentityAddresses });

export const AgentView = closed({
  agentId: Type.String(),
  /** Host name and addresses the agent enrolled with (or an incident lead approved): targeted by. */
  hostname: Type.String(),
  os: Type.Object({ platform: Type.String(), release: Type.String() }),
  addresses: IdentityAddresses,
  /** What its last heartbeat said, when that differs from the identity (shown, not targeted). */
  reported: Type.Optional(AgentIdentityView),
  agentVersion: Type.String(),
  online: Type.Boolean(),
  isolated: Type.Boolean(),
  enrolledAt: Timestamp,
  lastSeenAt: Timestamp,
});

/** Agents a page at a time, by hostname; totals counted up to 10,000. */
export const ListAgentsQuery = closed({ limit: PageQuery.limit, ...NameCursorQuery });

export const AgentList = closed({
  total: Type.Integer({ description: 'agents, counted up to 10,000' }),
  totalIsLowerBound: Type.Boolean({ description: 'true when there are more than 10,000' }),
  online: Type.Integer({ description: 'agents online when last heard of, counted up to 10,000' }),
  items: Type.Array(AgentView),
  nextCursor: Type.Union([Type.String(), Type.Null()], {
    description: 'pass as cursor for the next page; null on the last page',
  }),
});

export const IssueReleaseCodeBody = closed({
  incidentId: Type.Optional(Uuid),
  ttlMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 })),
});

export const ReleaseCodeView = closed({
  /** Read it to whoever is at the host: `cordon agent release --code`. Shown once. */
  code: Type.String(),
  codeId: Type.String(),
  expiresAt: Timestamp,
});

/** `{ kind, ...parameters }` as the agent protocol defines (`parseCommandAction`). */
export const CommandActionBody = Type.Object(
  { kind: Type.String({ maxLength: 32 }) },
  { additionalProperties: true },
);

export const RequestActionBody = closed({
  /** Agent id, host name or one of its addresses. */
  host: Type.String({ minLength: 1, maxLength: 253 }),
  action: CommandActionBody,
  incidentId: Type.Optional(Uuid),
});

export const ActionParams = closed({ tenantId: Uuid, actionId: Uuid });

export const ListActionsQuery = closed({
  agentId: Type.Optional(AgentId),
  incidentId: Type.Optional(Uuid),
  state: Type.Optional(ActionStateSchema),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,4}$' })),
});

export const DenyActionBody = closed({ reason: Type.String({ minLength: 1, maxLength: 2000 }) });

export const ActionTransitionView = closed({
  from: Type.Union([ActionStateSchema, Type.Null()]),
  to: ActionStateSchema,
  actor: Type.String(),
  at: Timestamp,
  detail: Type.Union([Type.String(), Type.Null()]),
});

export const ActionView = closed({
  id: Uuid,
  agentId: Type.String(),
  incidentId: Type.Union([Uuid, Type.Null()]),
  action: CommandActionBody,
  state: ActionStateSchema,
  requestedBy: Type.String(),
  approvedBy: Type.Union([Type.String(), Type.Null()]),
  /** Distinct approvers it needs: 2 under the two-person rule. */
  requiredApprovals: Type.Integer({ minimum: 1 }),
  approvals: Type.Array(closed({ by: Type.String(), at: Timestamp })),
  commandNonce: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  updatedAt: Timestamp,
  detail: Type.Union([Type.String(), Type.Null()]),
  result: Type.Unknown(),
  transitions: Type.Optional(Type.Array(ActionTransitionView)),
});

export const ActionList = closed({ items: Type.Array(ActionView) });

export const ContainmentRuleSchema = closed({
  minSeverity: literals(['low', 'medium', 'high', 'critical']),
  assetRole: literals(['workstation', 'server', 'any']),
  response: literals(['isolate', 'request-approval']),
});

/** Automatic isolations per tenant per window; beyond it the policy asks an incident lead. */
export const AutoIsolationLimitSchema = closed({
  maxIsolations: Type.Integer({ minimum: 0, maximum: 1000, description: '0: never automatic' }),
  windowMinutes: Type.Integer({ minimum: 1, maximum: 7 * 24 * 60 }),
});

export const ContainmentPolicyBody = closed({
  rules: Type.Array(ContainmentRuleSchema, { maxItems: 50 }),
  autoIsolationLimit: Type.Optional(AutoIsolationLimitSchema),
  /** The options it recommends for servers on an incident; absent: the default rule. */
  optionRules: Type.Optional(Type.Array(ContainmentOptionRuleSchema, { maxItems: 50 })),
  /** Expected minutes per option; absent ones take the defaults. */
  optionDurations: Type.Optional(OptionDurationsSchema),
});

export const ContainmentPolicyView = closed({
  rules: Type.Array(ContainmentRuleSchema),
  autoIsolationLimit: AutoIsolationLimitSchema,
  optionRules: Type.Array(ContainmentOptionRuleSchema),
  optionDurations: OptionDurationsSchema,
  isDefault: Type.Boolean(),
  updatedAt: Type.Union([Timestamp, Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});

export const IDENTITY_CHANGE_STATE_VALUES = [
  'pending',
  'approved',
  'denied',
  'superseded',
] as const;

export const IdentityChangeParams = closed({ tenantId: Uuid, changeId: Uuid });

export const ListIdentityChangesQuery = closed({
  agentId: Type.Optional(AgentId),
  state: Type.Optional(literals(IDENTITY_CHANGE_STATE_VALUES)),
});

export const DecideIdentityChangeBody = closed({
  decision: literals(['approved', 'denied']),
  reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
});

export const IdentityChangeView = closed({
  id: Uuid,
  agentId: Type.String(),
  from: AgentIdentityView,
  to: AgentIdentityView,
  state: literals(IDENTITY_CHANGE_STATE_VALUES),
  reportedAt: Timestamp,
  decidedBy: Type.Union([Type.String(), Type.Null()]),
  decidedAt: Type.Union([Timestamp, Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
});

export const IdentityChangeList = closed({ items: Type.Array(IdentityChangeView) });

export type ActionViewType = Static<typeof ActionView>;
export type AgentViewType = Static<typeof AgentView>;
