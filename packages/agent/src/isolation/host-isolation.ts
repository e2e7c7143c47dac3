/**
 * Host isolation: apply the nftables table, then prove it — the server must still answer a TCP
 * connect and the forbidden test target must not — and roll back with the reason if either
 * proof fails. Desired state is persisted first and re-applied by `reconcile()` at start.
 *
 * At start the agent does not roll back when the server is unreachable: the server being down
 * is no reason to release a compromised host. It re-applies and reports instead.
 */
import type { AgentState, AgentStateStore } from '../state/agent-state.ts';
import { parseEndpoint, parseIsolationPolicy } from './isolation-policy.ts';
import type { Endpoint, IsolationPolicy } from './isolation-policy.ts';
import { ISOLATION_TABLE, isolationScript, removeTableScript } from './nft-isolation-script.ts';
import { applyNftScript, nftTableExists } from './nft.ts';
import type { NftOptions } from './nft.ts';
import { probeTcp, provesUnreachable } from './reachability.ts';
import type { ProbeResult } from './reachability.ts';

export interface HostIsolationOptions {
  readonly store: AgentStateStore;
  /** A target that must be unreachable once isolated (e.g. a lab host or a public address). */
  readonly forbiddenTarget?: Endpoint;
  readonly nft?: NftOptions;
  readonly table?: string;
  readonly probeTimeoutMs?: number;
  readonly now?: () => number;
}

export interface IsolationReport {
  readonly status: 'applied' | 'rolled-back' | 'failed';
  readonly detail: string;
  readonly serverProbes: readonly (ProbeResult & Endpoint)[];
  readonly forbiddenProbe?: ProbeResult & Endpoint;
}

export class HostIsolation {
  readonly #options: HostIsolationOptions;
  readonly #table: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: HostIsolationOptions) {
    if (options.forbiddenTarget !== undefined)
      parseEndpoint(options.forbiddenTarget, 'forbidden target');
    this.#options = options;
    this.#table = options.table ?? ISOLATION_TABLE;
  }

  get table(): string {
    return this.#table;
  }

  isolate(policy: IsolationPolicy, context: { commandId?: string } = {}): Promise<IsolationReport> {
    return this.#serialised(async () => {
      const script = isolationScript(parseIsolationPolicy(policy), this.#table);
      const before = await this.#options.store.load();
      await this.#setIntent({ desired: 'isolated', policy, commandId: context.commandId });
      try {
        await applyNftScript(script, this.#options.nft);
      } catch (error) {
        await this.#setIntent(before.isolation);
        throw error;
      }
      const report = await this.#verify(policy, 'isolated');
      if (report.status === 'applied') return report;
      await this.#rollBack(before, report.detail, context.commandId);
      return { ...report, status: 'rolled-back' };
    });
  }

  release(context: { commandId?: string; reason?: string } = {}): Promise<IsolationReport> {
    return this.#serialised(async () => {
      await this.#setIntent({
        desired: 'released',
        commandId: context.commandId,
        reason: context.reason,
      });
      await applyNftScript(removeTableScript(this.#table), this.#options.nft);
      return { status: 'applied', detail: 'isolation table removed', serverProbes: [] };
    });
  }

  /** Makes the firewall match the persisted intent; run at agent start. */
  reconcile(): Promise<IsolationReport> {
    return this.#serialised(async () => {
      const { isolation } = await this.#options.store.load();
      if (isolation.desired === 'isolated' && isolation.policy !== undefined) {
        const script = isolationScript(parseIsolationPolicy(isolation.policy), this.#table);
        await applyNftScript(script, this.#options.nft);
        const report = await this.#verify(isolation.policy, 're-applied after start');
        // Report-only: staying isolated is the safe side when the proof fails at start.
        return report.status === 'applied' ? report : { ...report, status: 'failed' };
      }
      await applyNftScript(removeTableScript(this.#table), this.#options.nft);
      return { status: 'applied', detail: 'not isolated', serverProbes: [] };
    });
  }

  async isEnforced(): Promise<boolean> {
    return nftTableExists(this.#table, this.#options.nft);
  }

  async #verify(policy: IsolationPolicy, what: string): Promise<IsolationReport> {
    const timeout = this.#options.probeTimeoutMs ?? 2000;
    const serverProbes = await Promise.all(
      policy.server.map(async (endpoint) => ({
        ...endpoint,
        ...(await probeTcp(endpoint.address, endpoint.port, timeout)),
      })),
    );
    const target = this.#options.forbiddenTarget;
    const forbiddenProbe =
      target === undefined
        ? undefined
        : { ...target, ...(await probeTcp(target.address, target.port, timeout)) };
    const base = forbiddenProbe === undefined ? { serverProbes } : { serverProbes, forbiddenProbe };
    if (!serverProbes.some((probe) => probe.outcome === 'connected')) {
      const seen = serverProbes.map((p) => `${p.address}:${p.port} ${p.outcome}`).join(', ');
      return { ...base, status: 'failed', detail: `server unreachable after isolating (${seen})` };
    }
    if (forbiddenProbe !== undefined && !provesUnreachable(forbiddenProbe)) {
      return {
        ...base,
        status: 'failed',
        detail: `forbidden target ${forbiddenProbe.address}:${forbiddenProbe.port} still answers (${forbiddenProbe.outcome})`,
      };
    }
    const proof =
      forbiddenProbe === undefined
        ? 'no forbidden target configured'
        : `forbidden target ${forbiddenProbe.outcome}`;
    return { ...base, status: 'applied', detail: `${what}: server reachable, ${proof}` };
  }

  async #rollBack(
    before: AgentState,
    reason: string,
    commandId: string | undefined,
  ): Promise<void> {
    const previous = before.isolation;
    if (previous.desired === 'isolated' && previous.policy !== undefined) {
      await applyNftScript(
        isolationScript(parseIsolationPolicy(previous.policy), this.#table),
        this.#options.nft,
      );
      await this.#setIntent({ ...previous, reason: `rolled back: ${reason}` });
      return;
    }
    await applyNftScript(removeTableScript(this.#table), this.#options.nft);
    await this.#setIntent({ desired: 'released', commandId, reason: `rolled back: ${reason}` });
  }

  async #setIntent(intent: Omit<AgentState['isolation'], 'changedAt'>): Promise<void> {
    const changedAt = (this.#options.now ?? Date.now)();
    const clean = Object.fromEntries(
      Object.entries(intent).filter(([, value]) => value !== undefined),
    );
    await this.#options.store.update((state) => ({
      ...state,
      isolation: { ...(clean as Omit<AgentState['isolation'], 'changedAt'>), changedAt },
    }));
  }

  #serialised<T>(operation: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(operation);
    this.#queue = next.catch(() => undefined);
    return next;
  }
}
