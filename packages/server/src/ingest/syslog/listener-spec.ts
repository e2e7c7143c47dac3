/**
 * How listeners are named on the command line and in the environment:
 * `127.0.0.1:5514=acme` (a listener for one tenant), `0.0.0.0:514` (tenant by source address,
 * from the `--syslog-map` routes `10.1.0.0/16=acme`), `[::1]:6514=acme` for IPv6.
 * Tenants are given by id or name and resolved when the server starts.
 */
import { parseIpNetwork } from '@cordon/protocol';
import type { IpNetwork } from '@cordon/protocol';

export type SyslogTransport = 'udp' | 'tcp' | 'tls';

export interface SyslogListenerSpec {
  readonly transport: SyslogTransport;
  readonly host: string;
  readonly port: number;
  /** Tenant id or name; undefined: by source address (`syslogMap`). */
  readonly tenant: string | undefined;
}

export interface TenantRoute {
  readonly network: IpNetwork;
  readonly tenant: string;
}

export class ListenerSpecError extends Error {
  override readonly name = 'ListenerSpecError';
}

export function parseListenerSpec(transport: SyslogTransport, text: string): SyslogListenerSpec {
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([^:=\s]+)):(\d{1,5})(?:=(\S+))?$/.exec(text.trim());
  const port = Number(match?.[3]);
  if (!match || port > 65535) {
    throw new ListenerSpecError(
      `syslog ${transport} listener "${text}" is not HOST:PORT[=TENANT] (e.g. 127.0.0.1:5514=acme)`,
    );
  }
  return { transport, host: (match[1] ?? match[2])!, port, tenant: match[4] };
}

export function parseTenantRoute(text: string): TenantRoute {
  const [cidr, tenant, ...rest] = text.trim().split('=');
  const network = cidr === undefined ? undefined : parseIpNetwork(cidr);
  if (network === undefined || !tenant || rest.length > 0) {
    throw new ListenerSpecError(`syslog map "${text}" is not CIDR=TENANT (e.g. 10.1.0.0/16=acme)`);
  }
  return { network, tenant };
}

/** Comma- or space-separated lists, as environment variables carry them. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '').split(/[,\s]+/).filter((item) => item.length > 0);
}
