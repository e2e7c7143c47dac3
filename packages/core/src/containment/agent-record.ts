/**
 * An enrolled endpoint agent as the server keeps it, per tenant: its identity (the Ed25519
 * public key it enrolled with), the host facts of its last heartbeat, whether it is connected
 * now, when it was last heard from, and the last telemetry batch stored (so that batches the
 * agent resends after a reconnect are dropped, not ingested twice).
 */
export interface AgentHostFacts {
  readonly hostname: string;
  readonly os: { readonly platform: string; readonly release: string; readonly name?: string };
  readonly addresses: { readonly v4: readonly string[]; readonly v6: readonly string[] };
  readonly agentVersion: string;
  /** Whether the host reports itself isolated (nftables table in force). */
  readonly isolated: boolean;
  readonly bootedAt?: number;
}

export interface AgentRecord {
  readonly tenantId: string;
  readonly agentId: string;
  /** Raw Ed25519 public key, base64url. */
  readonly publicKey: string;
  /** Epoch ms. */
  readonly enrolledAt: number;
  readonly facts: AgentHostFacts;
  readonly online: boolean;
  /** Epoch ms. */
  readonly lastSeenAt: number;
  readonly telemetrySeq: number;
}

/** Whether `host` names this agent: its id, host name (without domain, any case) or an address. */
export function agentAnswersTo(record: AgentRecord, host: string): boolean {
  const wanted = host.trim().toLowerCase();
  const short = (name: string): string => name.toLowerCase().split('.')[0] ?? '';
  return (
    record.agentId === host ||
    record.facts.hostname.toLowerCase() === wanted ||
    short(record.facts.hostname) === short(wanted) ||
    record.facts.addresses.v4.includes(wanted) ||
    record.facts.addresses.v6.includes(wanted)
  );
}
