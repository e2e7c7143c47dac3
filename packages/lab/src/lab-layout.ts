/**
 * Names and addresses of a lab, derived from its name alone so that `down` can find every
 * piece again even without the state file. Everything lives in namespaces the lab creates:
 * the bridge sits in a namespace of its own, so nothing is added to the root namespace and
 * two labs (e.g. two test files in parallel) never collide.
 */
export interface LabHostLayout {
  readonly role: 'host' | 'attacker';
  /** `h1` … `hN`, or `attacker`. */
  readonly id: string;
  readonly namespace: string;
  /** Name of the bridge-side veth end (inside the bridge namespace). */
  readonly bridgePort: string;
  readonly ipv4: string;
  readonly ipv6: string;
}

export interface LabLayout {
  readonly name: string;
  readonly bridgeNamespace: string;
  readonly bridge: string;
  /** The bridge namespace's own addresses: where a lab server listens. */
  readonly gatewayIpv4: string;
  readonly gatewayIpv6: string;
  readonly hosts: readonly LabHostLayout[];
  readonly attacker: LabHostLayout;
}

export const LAB_NAME_PATTERN = /^[a-z0-9][a-z0-9-]{0,30}$/;
export const MAX_LAB_HOSTS = 50;

export function namespacePrefix(name: string): string {
  return `cordon-lab-${name}-`;
}

export function labLayout(name: string, hostCount: number): LabLayout {
  if (!LAB_NAME_PATTERN.test(name))
    throw new TypeError(`lab name ${JSON.stringify(name)} must match ${String(LAB_NAME_PATTERN)}`);
  if (!Number.isInteger(hostCount) || hostCount < 1 || hostCount > MAX_LAB_HOSTS) {
    throw new TypeError(`host count must be 1..${MAX_LAB_HOSTS}`);
  }
  const prefix = namespacePrefix(name);
  const host = (id: string, octet: number, role: LabHostLayout['role']): LabHostLayout => ({
    role,
    id,
    namespace: `${prefix}${id}`,
    bridgePort: `p-${id}`,
    ipv4: `198.18.0.${octet}`,
    ipv6: `fd00:c0d0::${octet.toString(16)}`,
  });
  return {
    name,
    bridgeNamespace: `${prefix}bridge`,
    bridge: 'br0',
    gatewayIpv4: '198.18.0.1',
    gatewayIpv6: 'fd00:c0d0::1',
    hosts: Array.from({ length: hostCount }, (_, i) => host(`h${i + 1}`, 10 + i, 'host')),
    attacker: host('attacker', 200, 'attacker'),
  };
}
