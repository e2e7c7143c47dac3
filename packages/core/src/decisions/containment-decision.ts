/**
 * A containment decision on a server: the option chosen for an asset of an incident, the
 * rationale, who decided and when, the figures as they stood (the asset's whole options
 * snapshot, so what was weighed and rejected stays readable), the OpenC2 commands it implies,
 * and the agent actions queued for it. A failover-then-isolate decision waits on its failover
 * step: an incident lead confirms the peer has taken over, and only then is the isolation
 * queued (or reports the failover failed, and nothing is sent).
 */
import type { ContainmentOptionKind } from './containment-option-kind.ts';
import type { OpenC2Command } from './openc2-command.ts';

export const DECISION_STATES = [
  /** Nothing to send: watch. */
  'recorded',
  /** The implied actions are in the action queue. */
  'actions-queued',
  /** Waiting for an incident lead to confirm the failover to the peer. */
  'awaiting-failover',
  /** The failover did not happen; nothing was sent. */
  'failover-failed',
] as const;
export type DecisionState = (typeof DECISION_STATES)[number];

export interface FailoverStep {
  readonly peerAssetId: string;
  readonly peerName: string;
  readonly state: 'pending' | 'confirmed' | 'failed';
  readonly by: string | null;
  readonly at: number | null;
  readonly note: string | null;
}

export interface ContainmentDecisionRecord {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly assetId: string;
  readonly assetName: string;
  readonly option: ContainmentOptionKind;
  readonly rationale: string;
  readonly decidedBy: string;
  /** Epoch ms. */
  readonly decidedAt: number;
  readonly state: DecisionState;
  /** The asset's options and figures when the decision was taken (API view, JSON). */
  readonly snapshot: unknown;
  readonly commands: readonly OpenC2Command[];
  readonly failover: FailoverStep | null;
  readonly actionIds: readonly string[];
  readonly updatedAt: number;
}
