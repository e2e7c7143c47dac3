/**
 * An enrolled endpoint agent as the server keeps it, per tenant: its key (the Ed25519 public
 * key it enrolled with), its identity (host name and addresses, fixed at enrolment: what
 * containment targets it by), the host facts of its last heartbeat (shown, never targeted
 * by), whether it is connected now, when it was last heard from, and the last telemetry batch
 * stored (so that batches the agent resends after a reconnect are dropped, not ingested twice).
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

/**
 * What an agent answers to. Recorded from the enrolment facts; a heartbeat reporting other
 * values only files an `AgentIdentityChange` that an incident lead decides (issue 13 item 7:
 * an agent that claimed another host's name in its heartbeat received that host's isolation).
 */
export interface AgentIdentity {
  readonly hostname: string;
  readonly addresses: { readonly v4: readonly string[]; readonly v6: readonly string[] };
}

export interface AgentRecord {
  readonly tenantId: string;
  readonly agentId: string;
  /** Raw Ed25519 public key, base64url. */
  readonly publicKey: string;
  /** Epoch ms. */
  readonly enrolledAt: number;
  readonly identity: AgentIdentity;
  readonly facts: AgentHostFacts;
  readonly online: boolean;
  /** Epoch ms. */
  readonly lastSeenAt: number;
  readonly telemetrySeq: number;
}

/** The identity host facts claim, addresses sorted so that two claims compare as text. */
export function identityOf(facts: Pick<AgentHostFacts, 'hostname' | 'addresses'>): AgentIdentity {
  const sorted = (list: readonly string[]): string[] =>
    [...new Set(list.map((a) => a.trim().toLowerCase()))].sort();
  return {
    hostname: facts.hostname.trim(),
    addresses: { v4: sorted(facts.addresses.v4), v6: sorted(facts.addresses.v6) },
  };
}

/** Host names compare without case, as DNS does. */
export function sameIdentity(a: AgentIdentity, b: AgentIdentity): boolean {
  const key = (i: AgentIdentity): string => {
    const normal = identityOf(i);
    return JSON.stringify({ ...normal, hostname: normal.hostname.toLowerCase() });
  };
  return key(a) === key(b);
}

const shortName = (name: string): string => name.trim().toLowerCase().split('.')[0] ?? '';

/**
 * How `host` names this agent, by its enrolled identity: `exact` (its id, full host name or
 * one of its addresses), `short` (host name without domain), or not at all.
 */
export function agentMatch(record: AgentRecord, host: string): 'exact' | 'short' | undefined {
  const wanted = host.trim().toLowerCase();
  if (wanted === '') return undefined;
  const { hostname, addresses } = record.identity;
  if (
    record.agentId === host.trim() ||
    hostname.toLowerCase() === wanted ||
    addresses.v4.includes(wanted) ||
    addresses.v6.includes(wanted)
  )
    return 'exact';
  return shortName(hostname) === shortName(wanted) ? 'short' : undefined;
}

/** Whether `host` names this agent (id, host name with or without domain, or an address). */
export function agentAnswersTo(record: AgentRecord, host: string): boolean {
  return agentMatch(record, host) !== undefined;
}
