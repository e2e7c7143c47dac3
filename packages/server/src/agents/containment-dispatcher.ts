/**
 * Sends approved actions to their agents off the caller's path (issue 13 item 4: dispatch ran
 * inside the ingest consumer chain, so a slow or hung gateway held up ingestion). Actions are
 * stored before they are queued here, and what is queued is only "this agent has approved
 * actions": a set of agents, so it is bounded by the agents enrolled, however many incidents
 * are raised. Each agent drains on its own chain, so one hung agent holds up only itself;
 * anything not sent (agent offline, server restarted) goes when the agent next authenticates.
 */
import type { ActionQueue } from './action-queue.ts';
import type { AgentGateway } from './agent-gateway.ts';

export interface ContainmentDispatcherOptions {
  readonly queue: ActionQueue;
  readonly gateway: Pick<AgentGateway, 'dispatch'>;
  readonly warn: (message: string, error?: unknown) => void;
}

export class ContainmentDispatcher {
  readonly #options: ContainmentDispatcherOptions;
  /** Per agent: the drain running now, and whether another pass is wanted after it. */
  readonly #agents = new Map<string, { running: Promise<void>; again: boolean }>();

  constructor(options: ContainmentDispatcherOptions) {
    this.#options = options;
  }

  /** Agents with a drain running or pending (for tests and metrics). */
  get busyAgents(): number {
    return this.#agents.size;
  }

  /**
   * Asks for the agent's approved actions to be sent. Resolves when a pass that started after
   * this call has finished; callers on the ingest path do not wait for it.
   */
  wake(tenantId: string, agentId: string): Promise<void> {
    const key = `${tenantId}/${agentId}`;
    const busy = this.#agents.get(key);
    if (busy !== undefined) {
      busy.again = true;
      return busy.running;
    }
    const entry = { running: Promise.resolve(), again: false };
    entry.running = this.#drain(key, tenantId, agentId, entry);
    this.#agents.set(key, entry);
    return entry.running;
  }

  async #drain(
    key: string,
    tenantId: string,
    agentId: string,
    entry: { again: boolean },
  ): Promise<void> {
    try {
      do {
        entry.again = false;
        const approved = await this.#options.queue.list(tenantId, { agentId, state: 'approved' });
        // Oldest first: the list is newest first.
        for (const action of approved.reverse()) {
          try {
            await this.#options.gateway.dispatch(tenantId, action.id);
          } catch (error) {
            this.#options.warn(`sending action ${action.id} to ${agentId} failed`, error);
          }
        }
      } while (entry.again);
    } catch (error) {
      this.#options.warn(`listing approved actions of ${agentId} failed`, error);
    } finally {
      this.#agents.delete(key);
    }
  }
}
