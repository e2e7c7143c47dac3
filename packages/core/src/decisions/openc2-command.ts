/**
 * The OpenC2 Endpoint Response (ER) shape of what a decision asks agents to do, kept in the
 * decision record so that it reads the same to any tool that speaks OpenC2: `contain device`
 * with `device_containment: network_isolation` (and `permitted_addresses` for an allow-list),
 * `deny ipv4_net|ipv6_net` on a downstream device for a block, `set er:account` with
 * `account_status: disabled`. The ER profile has no ports on permitted addresses and no failover
 * action: the ports Cordon keeps open are under `args["x-cordon"]` (OpenC2 leaves `x-`
 * namespaces to implementations), and a failover is a step a person confirms, not a command.
 */
export interface OpenC2Device {
  readonly hostname: string;
  readonly device_id?: string;
}

export interface OpenC2Command {
  readonly action: 'contain' | 'deny' | 'set';
  readonly target: Readonly<Record<string, unknown>>;
  readonly args?: Readonly<Record<string, unknown>>;
  readonly actuator: { readonly er: Readonly<Record<string, unknown>> };
}

export interface AllowEntry {
  readonly network: string;
  readonly ports: readonly number[];
}

const isV6 = (network: string): boolean => network.includes(':');

export function containDevice(device: OpenC2Device, allow?: readonly AllowEntry[]): OpenC2Command {
  const er: Record<string, unknown> = { device_containment: 'network_isolation' };
  const args: Record<string, unknown> = { er };
  if (allow !== undefined && allow.length > 0) {
    const v4 = allow.filter((a) => !isV6(a.network)).map((a) => a.network);
    const v6 = allow.filter((a) => isV6(a.network)).map((a) => a.network);
    er['permitted_addresses'] = {
      ...(v4.length > 0 ? { ipv4_net: v4 } : {}),
      ...(v6.length > 0 ? { ipv6_net: v6 } : {}),
    };
    args['x-cordon'] = { permitted_ports: allow.map((a) => ({ ...a, ports: [...a.ports] })) };
  }
  return { action: 'contain', target: { device: { ...device } }, args, actuator: { er: {} } };
}

export function denyAddress(device: OpenC2Device, network: string): OpenC2Command {
  return {
    action: 'deny',
    target: { [isV6(network) ? 'ipv6_net' : 'ipv4_net']: network },
    args: { er: { downstream_device: { devices: [{ ...device }] } } },
    actuator: { er: {} },
  };
}

export function disableAccount(device: OpenC2Device, accountName: string): OpenC2Command {
  return {
    action: 'set',
    target: { er: { account: { account_name: accountName } } },
    args: { er: { account_status: 'disabled', downstream_device: { devices: [{ ...device }] } } },
    actuator: { er: {} },
  };
}
