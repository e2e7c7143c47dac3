/**
 * The nftables script that isolates a host: one `inet` table (IPv4 and IPv6 together) whose
 * input, output and forward chains drop everything except loopback, IPv6 neighbour discovery
 * (without it IPv6 to the server dies when the neighbour cache expires), the server's
 * endpoints and the allow-list.
 *
 * Server traffic is matched statelessly (to server:port, from server:port), so the already
 * established management connection survives the swap even without a conntrack entry.
 * Allow-list entries with ports open those ports in both directions (the host's services for
 * inbound, the peer's for outbound) plus the replies, via conntrack.
 *
 * The script starts with "create if missing, delete, recreate", so `nft -f` replaces the table
 * in one transaction: there is no moment with half a rule set.
 */
import type { IpNetwork } from '@cordon/protocol';
import type { ParsedIsolationPolicy } from './isolation-policy.ts';

export const ISOLATION_TABLE = 'cordon_isolation';
/** Before the usual `filter` priority: our drops hold whatever other tables accept. */
const PRIORITY = 'filter - 10';
const NEIGHBOUR_DISCOVERY =
  'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert } ip6 hoplimit 255 accept';

function family(network: IpNetwork): 'ip' | 'ip6' {
  return network.family === 4 ? 'ip' : 'ip6';
}

export function isolationScript(policy: ParsedIsolationPolicy, table = ISOLATION_TABLE): string {
  const input: string[] = ['iif "lo" accept', NEIGHBOUR_DISCOVERY];
  const output: string[] = ['oif "lo" accept', NEIGHBOUR_DISCOVERY];
  for (const { address, port } of policy.server) {
    const af = family(address);
    input.push(`${af} saddr ${address.cidr} tcp sport ${port} accept`);
    output.push(`${af} daddr ${address.cidr} tcp dport ${port} accept`);
  }
  for (const rule of policy.allow) {
    const af = family(rule.network);
    const peer = rule.network.cidr;
    if (rule.ports.length === 0) {
      input.push(`${af} saddr ${peer} accept`);
      output.push(`${af} daddr ${peer} accept`);
      continue;
    }
    const ports = `{ ${rule.ports.join(', ')} }`;
    input.push(`${af} saddr ${peer} meta l4proto { tcp, udp } th dport ${ports} accept`);
    input.push(`${af} saddr ${peer} ct state established,related accept`);
    output.push(`${af} daddr ${peer} meta l4proto { tcp, udp } th dport ${ports} accept`);
    output.push(`${af} daddr ${peer} ct state established,related accept`);
  }
  const chain = (name: string, hook: string, rules: readonly string[]): string[] => [
    `  chain ${name} {`,
    `    type filter hook ${hook} priority ${PRIORITY}; policy drop;`,
    ...rules.map((rule) => `    ${rule}`),
    '  }',
  ];
  return [
    `table inet ${table}`,
    `delete table inet ${table}`,
    `table inet ${table} {`,
    ...chain('input', 'input', input),
    // Local programs get an immediate error instead of hanging until their connect times out
    // (and the agent's own proof that a target is cut off takes milliseconds, not seconds).
    ...chain('output', 'output', [...output, 'reject with icmpx type admin-prohibited']),
    ...chain('forward', 'forward', []),
    '}',
    '',
  ].join('\n');
}

/** Removes the table if it exists (the leading `table` line makes the delete never fail). */
export function removeTableScript(table: string): string {
  return `table inet ${table}\ndelete table inet ${table}\n`;
}
