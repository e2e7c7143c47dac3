/**
 * Whether a redundancy peer can take over from a server that is to be isolated. A failover to a
 * peer that is itself compromised, down, cut off or invisible moves the outage, or the intruder,
 * rather than ending it, so a peer is healthy only when every one of these holds:
 *   - it is in service (not retired) and documented as `up`;
 *   - it is not among the incident's affected assets;
 *   - an enrolled agent answers for it and was heard from recently (connected now, or a
 *     heartbeat within `PEER_RECENTLY_SEEN_MS`) — Cordon then sees it serving;
 *   - that agent is not isolated, and no isolation of it is pending.
 * Each unmet condition is a reason, so the options endpoint says why a failover is unavailable.
 */
import type { Asset } from '../assets/asset.ts';

export const PEER_RECENTLY_SEEN_MS = 10 * 60_000;

/** What the agent registry and the action queue say about the agent of an asset. */
export interface AgentStatus {
  readonly agentId: string;
  readonly online: boolean;
  /** Epoch ms of its last heartbeat or message. */
  readonly lastSeenAt: number;
  /** The host reports its isolation in force. */
  readonly isolated: boolean;
  /** An isolation of it is requested, approved or sent. */
  readonly isolationPending: boolean;
}

export interface PeerHealth {
  readonly asset: Asset;
  readonly agent: AgentStatus | undefined;
  readonly healthy: boolean;
  readonly reasons: readonly string[];
}

export function peerHealth(
  peer: Asset,
  context: {
    readonly affectedAssetIds: ReadonlySet<string>;
    readonly agent: AgentStatus | undefined;
    readonly now: number;
  },
): PeerHealth {
  const reasons: string[] = [];
  const { agent } = context;
  if (peer.retiredAt !== null) reasons.push(`${peer.name} is retired`);
  else if (peer.operationalStatus !== 'up')
    reasons.push(`${peer.name} is documented as ${peer.operationalStatus}, not up`);
  if (context.affectedAssetIds.has(peer.id))
    reasons.push(`${peer.name} is itself affected by the incident`);
  if (agent === undefined) {
    reasons.push(`no enrolled agent answers for ${peer.name}, so Cordon cannot see it serving`);
  } else {
    const silentMs = context.now - agent.lastSeenAt;
    if (!agent.online && silentMs > PEER_RECENTLY_SEEN_MS)
      reasons.push(
        `the agent of ${peer.name} was last heard from ${Math.round(silentMs / 60_000)} minutes ago`,
      );
    if (agent.isolated) reasons.push(`${peer.name} is isolated`);
    else if (agent.isolationPending) reasons.push(`an isolation of ${peer.name} is pending`);
  }
  return { asset: peer, agent, healthy: reasons.length === 0, reasons };
}
