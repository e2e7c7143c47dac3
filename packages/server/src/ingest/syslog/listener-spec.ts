/**
 * How listeners are named on the command line and in the environment:
 * `127.0.0.1:5514=acme` (a listener for one tenant), `0.0.0.0:514` (tenant by source address,
 * from the `--syslog-map` routes `10.1.0.0/16=acme`), `[::1]:6514=acme` for IPv6.
 * Tenants are given by id or name and resolved when the server starts.
 *
 * A sender can also be bound to the host(s) it speaks for, `198.18.0.10=acme:ws-1+ws-1.corp`
 * (`--syslog-host`): its records then carry that binding in their provenance, and over TCP or
 * TLS (or UDP with `--syslog-udp-confirms-hosts`) they confirm those hosts for auto-containment.
 */
import { parseIpAddress, parseIpNetwork } from '@cordon/protocol';
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

/** One sender address speaking for one or more hosts of a tenant. */
export interface SenderHostBinding {
  /** Canonical address text (`parseIpAddress`). */
  readonly address: string;
  /** Tenant id or name. */
  readonly tenant: string;
  readonly hosts: readonly string[];
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

const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,252})$/;

export function parseSenderHostBinding(text: string): SenderHostBinding {
  const [addressText, rest, ...extra] = text.trim().split('=');
  const address = addressText === undefined ? undefined : parseIpAddress(addressText);
  const colon = rest?.indexOf(':') ?? -1;
  const tenant = rest === undefined || colon <= 0 ? undefined : rest.slice(0, colon);
  const hosts = rest === undefined || colon <= 0 ? [] : rest.slice(colon + 1).split('+');
  if (
    address === undefined ||
    tenant === undefined ||
    extra.length > 0 ||
    hosts.length === 0 ||
    !hosts.every((h) => HOST_NAME.test(h))
  ) {
    throw new ListenerSpecError(
      `syslog host binding "${text}" is not ADDRESS=TENANT:HOST[+HOST…] (e.g. 198.18.0.10=acme:ws-1)`,
    );
  }
  return { address: address.address, tenant, hosts };
}

/** Comma- or space-separated lists, as environment variables carry them. */
export function splitList(text: string | undefined): string[] {
  return (text ?? '').split(/[,\s]+/).filter((item) => item.length > 0);
}
