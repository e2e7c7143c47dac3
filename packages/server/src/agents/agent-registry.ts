/**
 * The per-tenant registry of enrolled agents (see core's `AgentRecord`): in the store for the
 * server, in memory for tests that need no database.
 */
import { agentAnswersTo } from '@cordon/core';
import type { AgentRecord, Store } from '@cordon/core';

export type { AgentRecord } from '@cordon/core';

export interface AgentRegistry {
  get(tenantId: string, agentId: string): Promise<AgentRecord | undefined>;
  list(tenantId: string): Promise<AgentRecord[]>;
  /** Finds an agent by id, host name or address within a tenant (for `--host H`). */
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
    return (await this.list(tenantId)).find((record) => agentAnswersTo(record, host));
  }

  async put(record: AgentRecord): Promise<void> {
    this.#records.set(`${record.tenantId}/${record.agentId}`, record);
  }
}

export class StoreAgentRegistry implements AgentRegistry {
  readonly #store: Store;
  constructor(store: Store) {
    this.#store = store;
  }

  get(tenantId: string, agentId: string): Promise<AgentRecord | undefined> {
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.agents.get(agentId),
    );
  }

  list(tenantId: string): Promise<AgentRecord[]> {
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).containment.agents.list(),
    );
  }

  async findByHost(tenantId: string, host: string): Promise<AgentRecord | undefined> {
    const agents = await this.list(tenantId);
    // An exact id or name beats a short-name match.
    return (
      agents.find((a) => a.agentId === host || a.facts.hostname === host) ??
      agents.find((record) => agentAnswersTo(record, host))
    );
  }

  put(record: AgentRecord): Promise<void> {
    return this.#store.transaction(async (uow) =>
      uow.forTenant(record.tenantId).containment.agents.put(record),
    );
  }
}
