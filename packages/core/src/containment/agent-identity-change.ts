/**
 * A change of an agent's identity (host name or addresses) that its heartbeat reported. It
 * does not change what containment targets until an incident lead approves it; a newer report
 * supersedes a pending one, so the lead always decides on the latest claim.
 */
import type { AgentIdentity } from './agent-record.ts';

export const IDENTITY_CHANGE_STATES = ['pending', 'approved', 'denied', 'superseded'] as const;
export type IdentityChangeState = (typeof IDENTITY_CHANGE_STATES)[number];

export interface AgentIdentityChange {
  readonly id: string;
  readonly tenantId: string;
  readonly agentId: string;
  readonly from: AgentIdentity;
  readonly to: AgentIdentity;
  readonly state: IdentityChangeState;
  /** Epoch ms of the heartbeat that first reported `to`. */
  readonly reportedAt: number;
  readonly decidedBy: string | null;
  readonly decidedAt: number | null;
  readonly reason: string | null;
}
