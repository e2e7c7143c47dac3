/**
 * Containment decisions for servers: the options for an incident's affected servers with their
 * figures (what stops, downtime cost, MTD exceeded, residual risk, needs, availability), the
 * decisions taken with their rationale and the figures as they stood, and the failover step a
 * lead confirms before a failover-then-isolate decision's isolation is queued.
 */
import { Type } from '@sinclair/typebox';
import type { Static } from '@sinclair/typebox';
import { ActionView, CommandActionBody } from './agent.schema.ts';
import { Timestamp, Uuid, closed, literals } from './common.schema.ts';
import { ContainmentOptionSchema, KeepOpenRuleSchema } from './containment-option.schema.ts';

export const DECISION_STATE_VALUES = [
  'recorded',
  'actions-queued',
  'awaiting-failover',
  'failover-failed',
] as const;

export const IncidentDecisionParams = closed({ tenantId: Uuid, incidentId: Uuid });
export const DecisionParams = closed({ tenantId: Uuid, incidentId: Uuid, decisionId: Uuid });

export const ContainmentOptionsQuery = closed({
  assetId: Type.Optional(Uuid),
  /** What an isolation with an allow-list keeps open: `segment:port,port;segment:port`. */
  keepOpen: Type.Optional(
    Type.String({
      maxLength: 2000,
      pattern: '^[^:;]{1,200}:[0-9]{1,5}(,[0-9]{1,5})*(;[^:;]{1,200}:[0-9]{1,5}(,[0-9]{1,5})*)*$',
    }),
  ),
});

const AssetRef = closed({ assetId: Uuid, name: Type.String() });

export const RiskScoreView = closed({
  score: Type.Integer({ minimum: 0, maximum: 100 }),
  level: literals(['low', 'medium', 'high', 'critical']),
  reasons: Type.Array(Type.String()),
});

export const StoppedFunctionView = closed({
  functionId: Uuid,
  name: Type.String(),
  viaAssetId: Uuid,
  viaAssetName: Type.String(),
  costPerHour: Type.Number(),
  mtdMinutes: Type.Integer(),
  expectedCost: Type.Number(),
  mtdExceeded: Type.Boolean(),
});

export const OpenC2CommandView = Type.Object({
  action: literals(['contain', 'deny', 'set']),
  target: Type.Record(Type.String(), Type.Unknown()),
  args: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  actuator: Type.Object({ er: Type.Record(Type.String(), Type.Unknown()) }),
});

export const PlannedStepView = Type.Union([
  closed({ kind: Type.Literal('failover'), peerAssetId: Uuid, peerName: Type.String() }),
  closed({
    kind: Type.Literal('agent-action'),
    action: CommandActionBody,
    openc2: OpenC2CommandView,
    afterFailover: Type.Boolean(),
  }),
]);

export const ContainmentOptionView = closed({
  option: ContainmentOptionSchema,
  recommended: Type.Boolean(),
  available: Type.Boolean(),
  unavailableReasons: Type.Array(Type.String()),
  stops: closed({ functions: Type.Array(StoppedFunctionView), dependants: Type.Array(AssetRef) }),
  expectedDurationMinutes: Type.Integer(),
  downtimeCost: Type.Number(),
  mtdExceeded: Type.Boolean(),
  residualRisk: RiskScoreView,
  needs: Type.Array(
    closed({
      kind: literals(['agent', 'incident-lead-approval', 'second-approver', 'healthy-peer']),
      detail: Type.String(),
      met: Type.Union([Type.Boolean(), Type.Null()]),
    }),
  ),
  requiredApprovals: Type.Integer({ minimum: 0 }),
  steps: Type.Array(PlannedStepView),
  notes: Type.Array(Type.String()),
});

export const AssetOptionsView = closed({
  asset: closed({
    id: Uuid,
    name: Type.String(),
    kind: Type.String(),
    criticality: Type.String(),
    segmentId: Type.Union([Uuid, Type.Null()]),
    addresses: Type.Array(Type.String()),
  }),
  agent: Type.Union([
    closed({
      agentId: Type.String(),
      online: Type.Boolean(),
      lastSeenAt: Timestamp,
      isolated: Type.Boolean(),
      isolationPending: Type.Boolean(),
    }),
    Type.Null(),
  ]),
  peers: Type.Array(
    closed({
      assetId: Uuid,
      name: Type.String(),
      healthy: Type.Boolean(),
      reasons: Type.Array(Type.String()),
      agentId: Type.Union([Type.String(), Type.Null()]),
    }),
  ),
  functions: Type.Array(
    closed({
      functionId: Uuid,
      name: Type.String(),
      mtdMinutes: Type.Integer(),
      costPerHour: Type.Number(),
      viaAssetId: Uuid,
    }),
  ),
  dependants: Type.Array(AssetRef),
  untouchedRisk: RiskScoreView,
  recommendation: Type.Union([
    closed({ option: ContainmentOptionSchema, rule: Type.String(), ruleIndex: Type.Integer() }),
    Type.Null(),
  ]),
  keepOpen: Type.Union([
    closed({ source: literals(['request', 'policy']), rules: Type.Array(KeepOpenRuleSchema) }),
    Type.Null(),
  ]),
  options: Type.Array(ContainmentOptionView),
});

export const ContainmentOptionsView = closed({
  incidentId: Uuid,
  severity: Type.String(),
  generatedAt: Timestamp,
  /** The expected duration of each option, minutes: the tenant's, or the defaults. */
  durations: Type.Record(Type.String(), Type.Integer()),
  assets: Type.Array(AssetOptionsView),
  /** Affected entries with no options here, and why (unknown to the inventory, a workstation …). */
  skipped: Type.Array(
    closed({
      entry: Type.String(),
      assetId: Type.Union([Uuid, Type.Null()]),
      reason: Type.String(),
    }),
  ),
});

export const CreateDecisionBody = closed({
  assetId: Uuid,
  option: ContainmentOptionSchema,
  rationale: Type.String({ minLength: 1, maxLength: 4000 }),
  keepOpen: Type.Optional(Type.Array(KeepOpenRuleSchema, { minItems: 1, maxItems: 32 })),
});

export const FailoverOutcomeBody = closed({
  outcome: literals(['confirmed', 'failed']),
  note: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
});

export const DecisionView = closed({
  id: Uuid,
  incidentId: Uuid,
  assetId: Uuid,
  assetName: Type.String(),
  option: ContainmentOptionSchema,
  rationale: Type.String(),
  decidedBy: Type.String(),
  decidedAt: Timestamp,
  state: literals(DECISION_STATE_VALUES),
  /** The chosen option's figures as they stood. */
  figures: ContainmentOptionView,
  /** The asset's options and figures when the decision was taken. */
  snapshot: AssetOptionsView,
  /** What the decision asks agents to do, in OpenC2 Endpoint Response shape. */
  commands: Type.Array(OpenC2CommandView),
  failover: Type.Union([
    closed({
      peerAssetId: Uuid,
      peerName: Type.String(),
      state: literals(['pending', 'confirmed', 'failed']),
      by: Type.Union([Type.String(), Type.Null()]),
      at: Type.Union([Timestamp, Type.Null()]),
      note: Type.Union([Type.String(), Type.Null()]),
    }),
    Type.Null(),
  ]),
  actions: Type.Array(ActionView),
  updatedAt: Timestamp,
});

export const DecisionList = closed({ items: Type.Array(DecisionView) });

export type OpenC2CommandViewType = Static<typeof OpenC2CommandView>;
export type AssetOptionsViewType = Static<typeof AssetOptionsView>;
export type ContainmentOptionViewType = Static<typeof ContainmentOptionView>;
export type DecisionViewType = Static<typeof DecisionView>;
