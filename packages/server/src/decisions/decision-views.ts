/**
 * Containment options and decisions → API views (`containment-decision.schema.ts`). The view of
 * an asset's options is also what a decision keeps as its snapshot, so the figures a lead saw
 * are the figures recorded.
 */
import type {
  AgentStatus,
  AssetContainmentOptions,
  ContainmentDecisionRecord,
  ContainmentOption,
  ContainmentOptionKind,
  PlannedStep,
  RiskScore,
} from '@cordon/core';
import type {
  AssetOptionsViewType,
  CommandActionBody,
  ContainmentOptionViewType,
  OpenC2CommandViewType,
} from '@cordon/protocol';
import type { CONTAINMENT_OPTION_VALUES } from '@cordon/protocol';
import type { Static } from '@sinclair/typebox';
import type { AgentAction } from '../agents/agent-action.ts';
import { actionView } from '../routes/agent.routes.ts';
import { iso, isoOrNull } from '../http/views.ts';

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
/** The protocol spells the option kinds again (it depends on nothing); this keeps them equal. */
export const OPTION_KINDS_AGREE: Same<
  ContainmentOptionKind,
  (typeof CONTAINMENT_OPTION_VALUES)[number]
> = true;

const riskView = (r: RiskScore) => ({ score: r.score, level: r.level, reasons: [...r.reasons] });

const stepView = (step: PlannedStep) => {
  switch (step.kind) {
    case 'failover':
      return { kind: step.kind, peerAssetId: step.peer.id, peerName: step.peer.name };
    case 'agent-action':
      return {
        kind: step.kind,
        action: { ...step.command } as Static<typeof CommandActionBody>,
        openc2: structuredClone(step.openc2) as OpenC2CommandViewType,
        afterFailover: step.afterFailover,
      };
  }
};

export const optionView = (o: ContainmentOption): ContainmentOptionViewType => ({
  option: o.kind,
  recommended: o.recommended,
  available: o.available,
  unavailableReasons: [...o.unavailableReasons],
  stops: {
    functions: o.stoppedFunctions.map((f) => ({
      functionId: f.function.id,
      name: f.function.name,
      viaAssetId: f.viaAsset.id,
      viaAssetName: f.viaAsset.name,
      costPerHour: f.function.costPerHour,
      mtdMinutes: f.function.mtdMinutes,
      expectedCost: f.expectedCost,
      mtdExceeded: f.mtdExceeded,
    })),
    dependants: o.stoppedDependants.map((d) => ({ assetId: d.id, name: d.name })),
  },
  expectedDurationMinutes: o.expectedDurationMinutes,
  downtimeCost: o.downtimeCost,
  mtdExceeded: o.mtdExceeded,
  residualRisk: riskView(o.residualRisk),
  needs: o.needs.map((n) => ({ kind: n.kind, detail: n.detail, met: n.met })),
  requiredApprovals: o.requiredApprovals,
  steps: o.steps.map(stepView),
  notes: [...o.notes],
});

const agentStatusView = (a: AgentStatus) => ({
  agentId: a.agentId,
  online: a.online,
  lastSeenAt: iso(a.lastSeenAt),
  isolated: a.isolated,
  isolationPending: a.isolationPending,
});

export const assetOptionsView = (o: AssetContainmentOptions): AssetOptionsViewType => ({
  asset: {
    id: o.asset.id,
    name: o.asset.name,
    kind: o.asset.kind,
    criticality: o.asset.criticality,
    segmentId: o.asset.segmentId,
    addresses: [...o.asset.addresses],
  },
  agent: o.agent === undefined ? null : agentStatusView(o.agent),
  peers: o.peers.map((p) => ({
    assetId: p.asset.id,
    name: p.asset.name,
    healthy: p.healthy,
    reasons: [...p.reasons],
    agentId: p.agent?.agentId ?? null,
  })),
  functions: o.functions.map((f) => ({
    functionId: f.function.id,
    name: f.function.name,
    mtdMinutes: f.function.mtdMinutes,
    costPerHour: f.function.costPerHour,
    viaAssetId: f.viaAssetId,
  })),
  dependants: o.dependants.map((d) => ({ assetId: d.id, name: d.name })),
  untouchedRisk: riskView(o.untouchedRisk),
  recommendation: o.recommendation === null ? null : { ...o.recommendation },
  keepOpen:
    o.keepOpen === null
      ? null
      : {
          source: o.keepOpen.source,
          rules: o.keepOpen.rules.map((k) => ({ segment: k.segment, ports: [...k.ports] })),
        },
  options: o.options.map(optionView),
});

export const decisionView = (d: ContainmentDecisionRecord, actions: readonly AgentAction[]) => {
  const snapshot = d.snapshot as AssetOptionsViewType;
  const figures = snapshot.options.find((o) => o.option === d.option);
  if (figures === undefined) throw new Error(`decision ${d.id} lacks the figures of ${d.option}`);
  return {
    id: d.id,
    incidentId: d.incidentId,
    assetId: d.assetId,
    assetName: d.assetName,
    option: d.option,
    rationale: d.rationale,
    decidedBy: d.decidedBy,
    decidedAt: iso(d.decidedAt),
    state: d.state,
    figures,
    snapshot,
    commands: d.commands.map((c) => structuredClone(c) as OpenC2CommandViewType),
    failover:
      d.failover === null
        ? null
        : {
            peerAssetId: d.failover.peerAssetId,
            peerName: d.failover.peerName,
            state: d.failover.state,
            by: d.failover.by,
            at: isoOrNull(d.failover.at),
            note: d.failover.note,
          },
    actions: actions.map((a) => actionView(a)),
    updatedAt: iso(d.updatedAt),
  };
};
