/**
 * Blocking single addresses or networks, in and out, in a table of its own
 * (`inet cordon_blocklist`) so blocks and isolation never edit each other's rules. The whole
 * table is rebuilt from the persisted list on every change, atomically, which keeps the
 * firewall and the state file from drifting apart.
 */
import { networkContains, parseIpNetwork } from '@cordon/protocol';
import type { IpNetwork } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';
import type { AgentStateStore } from '../state/agent-state.ts';
import type { Endpoint } from './isolation-policy.ts';
import { removeTableScript } from './nft-isolation-script.ts';
import { applyNftScript } from './nft.ts';
import type { NftOptions } from './nft.ts';

export const BLOCKLIST_TABLE = 'cordon_blocklist';

export interface BlockListOptions {
  readonly store: AgentStateStore;
  /** Addresses that must never be blocked: blocking the server would cut the agent off. */
  readonly protectedEndpoints: () => readonly Endpoint[];
  readonly nft?: NftOptions;
  readonly table?: string;
}

export function blockListScript(networks: readonly IpNetwork[], table = BLOCKLIST_TABLE): string {
  if (networks.length === 0) return removeTableScript(table);
  const set = (name: string, type: string, members: readonly IpNetwork[]): string[] => [
    `  set ${name} {`,
    `    type ${type}; flags interval; auto-merge;`,
    ...(members.length > 0 ? [`    elements = { ${members.map((n) => n.cidr).join(', ')} }`] : []),
    '  }',
  ];
  const chain = (name: string, rules: readonly string[]): string[] => [
    `  chain ${name} {`,
    `    type filter hook ${name} priority filter - 20; policy accept;`,
    ...rules.map((rule) => `    ${rule}`),
    '  }',
  ];
  const both = [
    'ip saddr @blocked_v4 drop',
    'ip daddr @blocked_v4 drop',
    'ip6 saddr @blocked_v6 drop',
    'ip6 daddr @blocked_v6 drop',
  ];
  return [
    `table inet ${table}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    ...set(
      'blocked_v4',
      'ipv4_addr',
      networks.filter((n) => n.family === 4),
    ),
    ...set(
      'blocked_v6',
      'ipv6_addr',
      networks.filter((n) => n.family === 6),
    ),
    ...chain('input', both),
    ...chain('output', both),
    ...chain('forward', both),
    '}',
    '',
  ].join('\n');
}

export class BlockList {
  readonly #options: BlockListOptions;
  readonly #table: string;

  constructor(options: BlockListOptions) {
    this.#options = options;
    this.#table = options.table ?? BLOCKLIST_TABLE;
  }

  async block(target: string): Promise<readonly string[]> {
    const network = this.#parse(target);
    for (const endpoint of this.#options.protectedEndpoints()) {
      const address = parseIpNetwork(endpoint.address);
      if (address !== undefined && networkContains(network, address)) {
        throw new AgentError(
          'invalid-parameter',
          `refusing to block ${network.cidr}: it contains the server address ${address.address}`,
        );
      }
    }
    return this.#change((list) => (list.includes(network.cidr) ? list : [...list, network.cidr]));
  }

  async unblock(target: string): Promise<readonly string[]> {
    const network = this.#parse(target);
    return this.#change((list) => list.filter((entry) => entry !== network.cidr));
  }

  async reconcile(): Promise<readonly string[]> {
    const { blocked } = await this.#options.store.load();
    await this.#apply(blocked);
    return blocked;
  }

  #parse(target: string): IpNetwork {
    const network = parseIpNetwork(target);
    if (network === undefined) {
      throw new AgentError(
        'invalid-parameter',
        `${JSON.stringify(target)} is not an IP address or CIDR`,
      );
    }
    return network;
  }

  async #change(edit: (list: readonly string[]) => readonly string[]): Promise<readonly string[]> {
    const state = await this.#options.store.update((current) => ({
      ...current,
      blocked: edit(current.blocked),
    }));
    await this.#apply(state.blocked);
    return state.blocked;
  }

  async #apply(blocked: readonly string[]): Promise<void> {
    const networks = blocked.map((entry) => parseIpNetwork(entry)).filter((n) => n !== undefined);
    await applyNftScript(blockListScript(networks, this.#table), this.#options.nft);
  }
}
