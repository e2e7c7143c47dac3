/**
 * An allow-list entry kept open while a host is isolated, e.g. a responder's jump host:
 * traffic to and from `network`, restricted to `ports` (the host's own service ports for
 * inbound, the peer's for outbound) when given. An entry too wide to leave an isolation
 * meaningful (`0.0.0.0/0`, `::/0`, `::ffff:0:0/96`, …) is refused here: see
 * `allow-list-scope.ts` for the rule, and `checkAllowListScope` for the whole list.
 */
import { checkAllowNetwork } from './allow-list-scope.ts';
import { parseIpNetwork } from './ip-network.ts';
import type { IpNetwork } from './ip-network.ts';
import { WireFormatError, asRecord, readArray, readString } from './wire-reader.ts';

export interface AllowRule {
  readonly network: string;
  readonly ports?: readonly number[];
}

export interface ParsedAllowRule {
  readonly network: IpNetwork;
  readonly ports: readonly number[];
}

export function parseAllowRule(value: unknown): ParsedAllowRule {
  const record =
    typeof value === 'string' ? { network: value } : asRecord(value, 'allow-list entry');
  const networkText = readString(record, 'network', { max: 64 });
  const network = parseIpNetwork(networkText);
  if (network === undefined) {
    throw new WireFormatError(
      `allow-list entry ${JSON.stringify(networkText)} is not an IP address or CIDR`,
    );
  }
  checkAllowNetwork(network);
  const ports =
    record.ports === undefined
      ? []
      : readArray(record, 'ports', 64).map((port) => {
          if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
            throw new WireFormatError('allow-list ports must be integers 1..65535');
          }
          return port;
        });
  return { network, ports: [...new Set(ports)].sort((a, b) => a - b) };
}
