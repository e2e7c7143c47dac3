/**
 * What stays open while a host is isolated: the server's management endpoints and an
 * allow-list. Built only from parsed, normalised networks, so whatever reaches the nftables
 * script is an address, a prefix length or a port number, nothing else.
 */
import { checkAllowListScope, parseAllowRule, parseIpAddress } from '@cordon/protocol';
import type { AllowRule, IpNetwork, ParsedAllowRule } from '@cordon/protocol';
import { AgentError } from '../agent-error.ts';

export interface Endpoint {
  readonly address: string;
  readonly port: number;
}

export interface IsolationPolicy {
  /** Every address the server answers on (v4 and v6) with its port. */
  readonly server: readonly Endpoint[];
  readonly allow: readonly AllowRule[];
}

export interface ParsedEndpoint {
  readonly address: IpNetwork;
  readonly port: number;
}

export interface ParsedIsolationPolicy {
  readonly server: readonly ParsedEndpoint[];
  readonly allow: readonly ParsedAllowRule[];
}

export function parseEndpoint(endpoint: Endpoint, what: string): ParsedEndpoint {
  const address = parseIpAddress(endpoint.address);
  if (address === undefined) {
    throw new AgentError(
      'invalid-parameter',
      `${what} address ${JSON.stringify(endpoint.address)} is not an IP address`,
    );
  }
  if (!Number.isInteger(endpoint.port) || endpoint.port < 1 || endpoint.port > 65535) {
    throw new AgentError(
      'invalid-parameter',
      `${what} port ${String(endpoint.port)} is not 1..65535`,
    );
  }
  return { address, port: endpoint.port };
}

export function parseIsolationPolicy(policy: IsolationPolicy): ParsedIsolationPolicy {
  if (policy.server.length === 0) {
    throw new AgentError('invalid-parameter', 'isolation needs at least one server endpoint');
  }
  // The configured list and the command's are checked together: each may be narrow enough
  // while their union opens the host to everything.
  let allow: ParsedAllowRule[];
  try {
    allow = policy.allow.map((rule) => parseAllowRule(rule));
    checkAllowListScope(allow.map((rule) => rule.network));
  } catch (error) {
    throw new AgentError('invalid-parameter', (error as Error).message, { cause: error });
  }
  return { server: policy.server.map((endpoint) => parseEndpoint(endpoint, 'server')), allow };
}
