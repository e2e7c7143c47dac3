/**
 * The agent's desired containment state, persisted so that isolation and blocks survive a
 * crash or restart: at start the agent re-applies what this file says. Intent is written
 * before the firewall is changed, so a crash in between errs towards staying contained.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AgentError } from '../agent-error.ts';
import type { IsolationPolicy } from '../isolation/isolation-policy.ts';
import { writeFileAtomic } from './atomic-write.ts';

export interface IsolationIntent {
  readonly desired: 'isolated' | 'released';
  readonly policy?: IsolationPolicy;
  readonly changedAt: number;
  readonly commandId?: string;
  readonly reason?: string;
}

export interface AgentState {
  readonly version: 1;
  readonly isolation: IsolationIntent;
  /** Blocked networks, canonical CIDR text. */
  readonly blocked: readonly string[];
  /** Offline release codes already used; kept until they expire. */
  readonly usedReleaseCodes: readonly { readonly codeId: string; readonly expiresAt: number }[];
}

export const INITIAL_AGENT_STATE: AgentState = {
  version: 1,
  isolation: { desired: 'released', changedAt: 0 },
  blocked: [],
  usedReleaseCodes: [],
};

/** Reads and writes `state.json` in the agent's state directory; writes are serialised. */
export class AgentStateStore {
  readonly path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(stateDir: string) {
    this.path = join(stateDir, 'state.json');
  }

  async load(): Promise<AgentState> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return INITIAL_AGENT_STATE;
      throw error;
    }
    try {
      const state = JSON.parse(text) as AgentState;
      if (state.version !== 1 || typeof state.isolation !== 'object') throw new Error('bad shape');
      return { ...INITIAL_AGENT_STATE, ...state };
    } catch (error) {
      // A corrupt state file must not silently un-isolate a host: refuse to start instead.
      throw new AgentError('invalid-config', `state file ${this.path} is unreadable`, {
        cause: error,
      });
    }
  }

  /** Applies `change` to the current state and persists the result atomically. */
  update(change: (state: AgentState) => AgentState): Promise<AgentState> {
    const next = this.#queue.then(async () => {
      const updated = change(await this.load());
      await writeFileAtomic(this.path, `${JSON.stringify(updated, null, 2)}\n`);
      return updated;
    });
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
