/**
 * The per-tenant registry of enrolled agents: identity (public key), last host facts,
 * online/offline, last seen, isolation state, and the last telemetry sequence stored (for
 * at-least-once de-duplication). A port with an in-memory implementation; the SQL-backed one
 * belongs in storage beside the other tenant repositories.
 */
import type { HostFacts } from '@cordon/protocol';

export interface AgentRecord {
  readonly tenantId: string;
  readonly agentId: string;
  /** Raw Ed25519 public key, base64url. */
  readonly publicKey: string;
  readonly enrolledAt: string;
  readonly facts: HostFacts;
  readonly online: boolean;
  readonly lastSeenAt: string;
  readonly telemetrySeq: number;
}

export interface AgentRegistry {
  get(tenantId: string, agentId: string): Promise<AgentRecord | undefined>;
  list(tenantId: string): Promise<AgentRecord[]>;
  /** Finds an agent by host name or address within a tenant (for `--host H`). */
  findByHost(tenantId: string, host: string): Promise<AgentRecord | undefined>;
  put(record: AgentRecord): Promise<void>;
}

export class InMemoryAgentRegistry implements AgentRegistry {
  readonly #records = new Map<string, AgentRecord>();

  async get(tenantId: string, agentId: string): Promise<AgentRecord | undefined> {
    return this.#records.get(`${tenantId}/${agentId}`);
  }

  async list(tenantId: string): Promise<AgentRecord[]> {
    return [...this.#records.values()].filter((record) => record.tenantId === tenantId);
  }

  async findByHost(tenantId: string, host: string): Promise<AgentRecord | undefined> {
    return (await this.list(tenantId)).find(
      (record) =>
        record.agentId === host ||
        record.facts.hostname === host ||
        record.facts.addresses.v4.includes(host) ||
        record.facts.addresses.v6.includes(host),
    );
  }

  async put(record: AgentRecord): Promise<void> {
    this.#records.set(`${record.tenantId}/${record.agentId}`, record);
  }
}
