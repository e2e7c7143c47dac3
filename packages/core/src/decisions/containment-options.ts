/**
 * The containment options for one server on an incident, with the figures a lead weighs:
 * what each option stops (business functions and dependent assets, from the asset impact),
 * the expected downtime cost (each stopped function's hourly cost × the option's expected
 * duration, with its maximum tolerable downtime flagged when the duration exceeds it), the
 * residual risk it leaves (`residual-risk.ts`), what it needs (an agent, an incident lead's
 * approval, a second approver for a critical asset, a healthy peer) and whether it is available,
 * with every reason it is not. Pure: the caller reads the inventory, the agents and the policy.
 *
 * What stops, per option:
 *   - isolate: the host and everything that depends on it, directly or through other assets;
 *   - isolate-with-allow: the host keeps serving on the named ports to the named segments, so
 *     its own functions go on (the lead names the segments their users are in); a dependent
 *     asset outside those segments is cut off, and so is whatever depends on it;
 *   - block-origins: only dependants whose own address is an origin being blocked;
 *   - failover-then-isolate: everything, but only for the switch-over to the peer;
 *   - disable-accounts, watch: nothing Cordon can see (a service running as a disabled account
 *     stops too: the note says so).
 */
import type { Asset, AssetRelation, NetworkSegment } from '../assets/asset.ts';
import type { ContainmentCommand } from '../containment/containment-action.ts';
import { assetImpact, redundancyPeers } from '../continuity/asset-impact.ts';
import type { ImpactedFunction } from '../continuity/asset-impact.ts';
import type { BusinessFunction } from '../continuity/business-function.ts';
import type { Incident } from '../incidents/incident.ts';
import type { TacticLookup } from './attack-tactics-seen.ts';
import { CONTAINMENT_OPTION_KINDS, optionDurations } from './containment-option-kind.ts';
import type { ContainmentOptionKind, OptionDurations } from './containment-option-kind.ts';
import { describeRule, recommendedRule } from './containment-option-rule.ts';
import type { ContainmentOptionRule, KeepOpenRule } from './containment-option-rule.ts';
import { containDevice, denyAddress, disableAccount } from './openc2-command.ts';
import type { AllowEntry, OpenC2Command, OpenC2Device } from './openc2-command.ts';
import type { AgentStatus, PeerHealth } from './peer-health.ts';
import { peerHealth } from './peer-health.ts';
import { residualRisk, untouchedRisk } from './residual-risk.ts';
import type { RiskScore } from './residual-risk.ts';

export interface ContainmentOptionsInput {
  readonly incident: Pick<Incident, 'severity' | 'attackTechniques' | 'origins'>;
  readonly asset: Asset;
  readonly facts: {
    readonly assets: readonly Asset[];
    readonly relations: readonly AssetRelation[];
    readonly functions: readonly BusinessFunction[];
    readonly segments: readonly NetworkSegment[];
  };
  readonly affectedAssetIds: ReadonlySet<string>;
  readonly agentOf: (asset: Asset) => AgentStatus | undefined;
  /** The accounts the incident shows compromised (its `user` observables). */
  readonly accounts: readonly string[];
  /** What an isolation with an allow-list keeps open; absent: the policy's rule, if any. */
  readonly keepOpen?: readonly KeepOpenRule[] | undefined;
  readonly rules: readonly ContainmentOptionRule[];
  readonly durations: OptionDurations;
  readonly now: number;
  /** Why the agent would refuse a command (the protocol's grammar), or undefined. */
  readonly commandProblem?: (command: ContainmentCommand) => string | undefined;
  readonly tacticsOf?: TacticLookup | undefined;
}

export interface StoppedFunction {
  readonly function: BusinessFunction;
  readonly viaAsset: Asset;
  /** costPerHour × expected duration, rounded to cents. */
  readonly expectedCost: number;
  readonly mtdExceeded: boolean;
}

export type PlannedStep =
  | { readonly kind: 'failover'; readonly peer: Asset }
  | {
      readonly kind: 'agent-action';
      readonly command: ContainmentCommand;
      readonly openc2: OpenC2Command;
      /** Held until the failover step is confirmed. */
      readonly afterFailover: boolean;
    };

export const OPTION_NEED_KINDS = [
  'agent',
  'incident-lead-approval',
  'second-approver',
  'healthy-peer',
] as const;
export type OptionNeedKind = (typeof OPTION_NEED_KINDS)[number];

export interface OptionNeed {
  readonly kind: OptionNeedKind;
  readonly detail: string;
  /** Whether it holds now; null for approvals, which come after the decision. */
  readonly met: boolean | null;
}

export interface ContainmentOption {
  readonly kind: ContainmentOptionKind;
  readonly recommended: boolean;
  readonly available: boolean;
  readonly unavailableReasons: readonly string[];
  readonly stoppedFunctions: readonly StoppedFunction[];
  readonly stoppedDependants: readonly Asset[];
  readonly expectedDurationMinutes: number;
  readonly downtimeCost: number;
  readonly mtdExceeded: boolean;
  readonly residualRisk: RiskScore;
  readonly needs: readonly OptionNeed[];
  /** Distinct approvers the implied actions need before they are sent. */
  readonly requiredApprovals: number;
  readonly steps: readonly PlannedStep[];
  readonly notes: readonly string[];
}

export interface Recommendation {
  readonly option: ContainmentOptionKind;
  readonly rule: string;
  readonly ruleIndex: number;
}

export interface AssetContainmentOptions {
  readonly asset: Asset;
  readonly agent: AgentStatus | undefined;
  readonly peers: readonly PeerHealth[];
  readonly functions: readonly ImpactedFunction[];
  readonly dependants: readonly Asset[];
  readonly untouchedRisk: RiskScore;
  readonly recommendation: Recommendation | null;
  /** Where the isolation's allow-list came from. */
  readonly keepOpen: {
    readonly source: 'request' | 'policy';
    readonly rules: readonly KeepOpenRule[];
  } | null;
  readonly options: readonly ContainmentOption[];
}

const cents = (value: number): number => Math.round(value * 100) / 100;

export function containmentOptions(input: ContainmentOptionsInput): AssetContainmentOptions {
  const { asset, facts } = input;
  const impact = assetImpact(asset, facts);
  const peers = redundancyPeers(asset, facts.assets, facts.relations).map((peer) =>
    peerHealth(peer, {
      affectedAssetIds: input.affectedAssetIds,
      agent: input.agentOf(peer),
      now: input.now,
    }),
  );
  const healthyPeer = peers.find((p) => p.healthy);
  const agent = input.agentOf(asset);
  const untouched = untouchedRisk({
    severity: input.incident.severity,
    attackIds: input.incident.attackTechniques,
    criticality: asset.criticality,
    tacticsOf: input.tacticsOf,
  });
  const recommended = recommendedRule(input.rules, {
    kind: asset.kind,
    hasHealthyPeer: healthyPeer !== undefined,
  });
  const keepOpen = chooseKeepOpen(input, healthyPeer !== undefined);
  const durations = optionDurations(input.durations);
  const graph = dependencyGraph(asset, impact.dependentAssets, facts.relations);
  const device: OpenC2Device = {
    hostname: asset.name,
    ...(agent === undefined ? {} : { device_id: agent.agentId }),
  };
  const problem = input.commandProblem ?? (() => undefined);

  const option = (kind: ContainmentOptionKind): ContainmentOption => {
    const unavailable: string[] = [];
    const notes: string[] = [];
    const steps: PlannedStep[] = [];
    const action = (command: ContainmentCommand, openc2: OpenC2Command, afterFailover = false) => {
      const refused = problem(command);
      if (refused !== undefined) unavailable.push(refused);
      steps.push({ kind: 'agent-action', command, openc2, afterFailover });
    };
    // Which dependants lose the host, and whether its own functions stop.
    let loses: (dependant: Asset) => boolean = () => false;
    let hostStops = false;
    switch (kind) {
      case 'isolate':
        hostStops = true;
        loses = () => true;
        action({ kind: 'isolate' }, containDevice(device));
        break;
      case 'isolate-with-allow': {
        const allow = allowEntries(keepOpen?.rules ?? [], facts.segments, unavailable);
        if (keepOpen === null)
          unavailable.push(
            'no service ports and segments named to keep open (keepOpen in the request, or the containment policy)',
          );
        loses = (dependant) => !allow.some((entry) => reaches(dependant, entry, facts.segments));
        if (allow.length > 0)
          action(
            {
              kind: 'isolate',
              allow: allow.map((a) => ({ network: a.network, ports: [...a.ports] })),
            },
            containDevice(device, allow),
          );
        notes.push(
          'the host keeps serving on the named ports to the named segments: its own functions go on if their users are there',
        );
        break;
      }
      case 'block-origins': {
        const own = new Set(asset.addresses.map((a) => a.trim().toLowerCase()));
        const targets = [
          ...new Set(input.incident.origins.map((o) => o.address.trim().toLowerCase())),
        ].filter((address) => !own.has(address));
        if (targets.length === 0)
          unavailable.push('the incident records no origin address to block');
        const blocked = new Set(targets);
        loses = (dependant) => dependant.addresses.some((a) => blocked.has(a.trim().toLowerCase()));
        for (const target of targets)
          action({ kind: 'block', target }, denyAddress(device, target));
        notes.push(
          'an intruder already on the host, or coming from other addresses, is not stopped',
        );
        break;
      }
      case 'failover-then-isolate':
        hostStops = true;
        loses = () => true;
        if (healthyPeer === undefined) {
          unavailable.push(
            peers.length === 0
              ? `${asset.name} has no redundancy peer`
              : `no healthy redundancy peer: ${peers.map((p) => p.reasons.join('; ')).join(' | ')}`,
          );
        } else {
          steps.push({ kind: 'failover', peer: healthyPeer.asset });
          notes.push(
            `the functions stop only while ${healthyPeer.asset.name} takes over; the isolation is sent once the failover is confirmed`,
          );
        }
        action({ kind: 'isolate' }, containDevice(device), true);
        break;
      case 'disable-accounts': {
        const accounts = [...new Set(input.accounts.map((a) => a.trim()))].filter((a) => a !== '');
        if (accounts.length === 0)
          unavailable.push('the incident records no compromised account (user observables)');
        for (const user of accounts)
          action({ kind: 'disable-account', user }, disableAccount(device, user));
        notes.push('services that run as these accounts stop too; Cordon does not know which do');
        break;
      }
      case 'watch':
        notes.push('nothing is sent; the host keeps running as it is');
        break;
    }
    if (kind !== 'watch' && agent === undefined)
      unavailable.push(`no enrolled agent answers for ${asset.name}`);
    if (agent !== undefined && !agent.online && kind !== 'watch')
      notes.push(`the agent of ${asset.name} is offline: actions are sent when it reconnects`);
    if (
      agent !== undefined &&
      (kind === 'isolate' || kind === 'isolate-with-allow' || kind === 'failover-then-isolate') &&
      (agent.isolated || agent.isolationPending)
    )
      unavailable.push(
        agent.isolated
          ? `${asset.name} is already isolated`
          : `an isolation of ${asset.name} is pending`,
      );

    const cut = graph.cutOff(loses);
    const minutes = durations[kind];
    const stopped = stoppedFunctions(impact.functions, {
      runners: graph.runners(facts.relations),
      stops: (assetId) => (assetId === asset.id ? hostStops : cut.has(assetId)),
      byId: new Map(facts.assets.map((a) => [a.id, a])),
      minutes,
    });
    const requiredApprovals = kind === 'watch' ? 0 : asset.criticality === 'critical' ? 2 : 1;
    const needs: OptionNeed[] = [];
    if (kind !== 'watch') {
      needs.push({
        kind: 'agent',
        detail:
          agent === undefined
            ? `no enrolled agent answers for ${asset.name}`
            : `agent ${agent.agentId}${agent.online ? ' (online)' : ' (offline)'}`,
        met: agent !== undefined,
      });
      needs.push({
        kind: 'incident-lead-approval',
        detail: 'an incident lead approves the actions before they are sent',
        met: null,
      });
      if (requiredApprovals > 1)
        needs.push({
          kind: 'second-approver',
          detail: `${asset.name} is critical: a second, different approver (two-person rule), not the requester`,
          met: null,
        });
    }
    if (kind === 'failover-then-isolate')
      needs.push({
        kind: 'healthy-peer',
        detail:
          healthyPeer === undefined
            ? 'a healthy redundancy peer (same group, not affected, agent recently seen, not isolated)'
            : `${healthyPeer.asset.name} takes over`,
        met: healthyPeer !== undefined,
      });
    return {
      kind,
      recommended: recommended?.rule.option === kind,
      available: unavailable.length === 0,
      unavailableReasons: unavailable,
      stoppedFunctions: stopped,
      stoppedDependants: impact.dependentAssets.filter((d) => cut.has(d.id)),
      expectedDurationMinutes: minutes,
      downtimeCost: cents(stopped.reduce((sum, f) => sum + f.expectedCost, 0)),
      mtdExceeded: stopped.some((f) => f.mtdExceeded),
      residualRisk: residualRisk(untouched, kind),
      needs,
      requiredApprovals,
      steps,
      notes,
    };
  };

  return {
    asset,
    agent,
    peers,
    functions: impact.functions,
    dependants: impact.dependentAssets,
    untouchedRisk: untouched,
    recommendation:
      recommended === undefined
        ? null
        : {
            option: recommended.rule.option,
            rule: describeRule(recommended.rule),
            ruleIndex: recommended.index,
          },
    keepOpen,
    options: CONTAINMENT_OPTION_KINDS.map(option),
  };
}

function chooseKeepOpen(
  input: ContainmentOptionsInput,
  hasHealthyPeer: boolean,
): AssetContainmentOptions['keepOpen'] {
  if (input.keepOpen !== undefined && input.keepOpen.length > 0)
    return { source: 'request', rules: input.keepOpen };
  const rule = input.rules.find(
    (r) =>
      r.option === 'isolate-with-allow' &&
      r.keepOpen !== undefined &&
      r.keepOpen.length > 0 &&
      (r.assetKind === 'any' || r.assetKind === input.asset.kind) &&
      (r.peer === 'any' || (r.peer === 'healthy') === hasHealthyPeer),
  );
  return rule?.keepOpen === undefined ? null : { source: 'policy', rules: rule.keepOpen };
}

function allowEntries(
  rules: readonly KeepOpenRule[],
  segments: readonly NetworkSegment[],
  unavailable: string[],
): AllowEntry[] {
  const entries: AllowEntry[] = [];
  for (const rule of rules) {
    const wanted = rule.segment.trim().toLowerCase();
    const segment = segments.find((s) => s.id === rule.segment || s.name.toLowerCase() === wanted);
    if (segment === undefined) {
      unavailable.push(`no documented network segment ${JSON.stringify(rule.segment)}`);
      continue;
    }
    if (rule.ports.length === 0) {
      unavailable.push(`no service port named for segment ${segment.name}`);
      continue;
    }
    entries.push({ network: segment.cidr, ports: [...new Set(rule.ports)].sort((a, b) => a - b) });
  }
  return entries;
}

/** Whether `dependant` sits in the allow-list entry's network (by segment or by address). */
function reaches(
  dependant: Asset,
  entry: AllowEntry,
  segments: readonly NetworkSegment[],
): boolean {
  const segment = segments.find((s) => s.id === dependant.segmentId);
  if (segment !== undefined && segment.cidr === entry.network) return true;
  return dependant.addresses.some((address) => inNetwork(address, entry.network));
}

/** IPv4 containment by prefix; IPv6 networks match by segment membership only. */
function inNetwork(address: string, cidr: string): boolean {
  const [base, bits] = cidr.split('/');
  const v4 = (text: string): number | undefined => {
    const parts = text.trim().split('.');
    if (parts.length !== 4) return undefined;
    let value = 0;
    for (const part of parts) {
      if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
      value = value * 256 + Number(part);
    }
    return value;
  };
  const a = v4(address);
  const b = base === undefined ? undefined : v4(base);
  const prefix = bits === undefined ? 32 : Number(bits);
  if (a === undefined || b === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > 32)
    return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(a / size) === Math.floor(b / size);
}

interface DependencyGraph {
  /** The dependants cut off when `loses` says which lose the host directly. */
  cutOff(loses: (dependant: Asset) => boolean): Set<string>;
  /** Function id → the reached assets that run it. */
  runners(relations: readonly AssetRelation[]): Map<string, string[]>;
}

function dependencyGraph(
  target: Asset,
  dependants: readonly Asset[],
  relations: readonly AssetRelation[],
): DependencyGraph {
  const reached = new Set([target.id, ...dependants.map((d) => d.id)]);
  const dependsOn = new Map<string, string[]>();
  for (const r of relations) {
    if (r.kind !== 'depends_on' || !reached.has(r.fromAssetId) || !reached.has(r.toId)) continue;
    dependsOn.set(r.fromAssetId, [...(dependsOn.get(r.fromAssetId) ?? []), r.toId]);
  }
  return {
    cutOff: (loses) => {
      const cut = new Set<string>();
      // A fixpoint over at most |dependants| rounds: each round cuts one more or stops.
      for (let changed = true; changed;) {
        changed = false;
        for (const d of dependants) {
          if (cut.has(d.id)) continue;
          const lost = (dependsOn.get(d.id) ?? []).some((to) =>
            to === target.id ? loses(d) : cut.has(to),
          );
          if (lost) {
            cut.add(d.id);
            changed = true;
          }
        }
      }
      return cut;
    },
    runners: (all) => {
      const map = new Map<string, string[]>();
      for (const r of all)
        if (r.kind === 'runs_function' && reached.has(r.fromAssetId))
          map.set(r.toId, [...(map.get(r.toId) ?? []), r.fromAssetId]);
      return map;
    },
  };
}

function stoppedFunctions(
  functions: readonly ImpactedFunction[],
  context: {
    readonly runners: Map<string, string[]>;
    readonly stops: (assetId: string) => boolean;
    readonly byId: ReadonlyMap<string, Asset>;
    readonly minutes: number;
  },
): StoppedFunction[] {
  const stopped: StoppedFunction[] = [];
  for (const impacted of functions) {
    const via = (context.runners.get(impacted.function.id) ?? []).find(context.stops);
    const viaAsset = via === undefined ? undefined : context.byId.get(via);
    if (viaAsset === undefined) continue;
    stopped.push({
      function: impacted.function,
      viaAsset,
      expectedCost: cents((impacted.function.costPerHour * context.minutes) / 60),
      mtdExceeded: context.minutes > impacted.function.mtdMinutes,
    });
  }
  return stopped;
}
