/**
 * How recovery and verification ask for agent actions (releasing an isolation, running a
 * reachability test): through the server's action queue, so they are signed, sent, reported and
 * journalled like every other action. The command's exact grammar is the protocol's.
 */
import type { ContainmentAction, ContainmentCommand } from '../containment/containment-action.ts';

export interface ContainmentActionRequest {
  readonly tenantId: string;
  readonly agentId: string;
  readonly action: ContainmentCommand;
  readonly requestedBy: string;
  readonly incidentId: string;
  readonly detail: string;
}

export interface ContainmentRequests {
  /** Stores the action approved and wakes the dispatcher; resolves with it as stored. */
  request(request: ContainmentActionRequest): Promise<ContainmentAction>;
}
