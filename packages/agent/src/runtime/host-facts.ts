/** Host facts for heartbeats, from `node:os` and `/etc/os-release`. */
import { readFile } from 'node:fs/promises';
import { hostname, networkInterfaces, platform, release } from 'node:os';
import type { HostFacts } from '@cordon/protocol';

export const AGENT_VERSION = '0.1.0';

export async function collectHostFacts(isolated: boolean): Promise<HostFacts> {
  const v4: string[] = [];
  const v6: string[] = [];
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.internal) continue;
      if (address.family === 'IPv4') v4.push(address.address);
      else if (!address.address.includes('%')) v6.push(address.address);
    }
  }
  const osRelease = await readFile('/etc/os-release', 'utf8').catch(() => '');
  const name = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1];
  return {
    hostname: hostname(),
    os: { platform: platform(), release: release(), ...(name === undefined ? {} : { name }) },
    addresses: { v4, v6 },
    agentVersion: AGENT_VERSION,
    isolated,
  };
}
