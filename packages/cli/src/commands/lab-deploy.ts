/**
 * `cordon lab up`'s second half: puts a server behind the lab and enrols one agent per host.
 * Without `--server` it starts its own (`cordon serve` on a data directory inside the lab's
 * work directory, a tenant and an incident-lead token made first); with `--server URL --token
 * T` it uses that one. Lab hosts are documented as workstations, so the default
 * auto-containment policy isolates them at once.
 */
import { AccessService, LoginThrottle, systemClock } from '@cordon/core';
import type { Lab, LabDeployment } from '@cordon/lab';
import { connectLabGateway, startLabAgent, writeLabAgentConfig } from '@cordon/lab';
import { openStore } from '@cordon/storage';
import { createServer as createNetServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CORDON = fileURLToPath(new URL('../../bin/cordon.js', import.meta.url));

export interface LabServerChoice {
  /** An existing server's API, with a token (incident lead or admin) for it. */
  readonly server?: { readonly url: string; readonly token: string; readonly gateway: string };
}

async function freePort(): Promise<number> {
  const probe = createNetServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function startOwnServer(lab: Lab): Promise<{ url: string; token: string; gateway: string }> {
  const dataDir = join(lab.workDir, 'server');
  const store = await openStore({ dataDir });
  let token: string;
  try {
    const access = new AccessService(store, systemClock, new LoginThrottle());
    const system = { kind: 'system', name: 'cordon lab up' } as const;
    const tenant = await access.createTenant(system, `lab-${lab.layout.name}`);
    token = (
      await access.createToken(system, { tenantId: tenant.id, role: 'incident_lead', name: 'lab' })
    ).token;
  } finally {
    await store.close();
  }
  const [apiPort, gatewayPort] = [await freePort(), await freePort()];
  const log = join(lab.workDir, 'server.log');
  await lab.spawnDetached(
    null,
    [
      process.execPath,
      CORDON,
      'serve',
      '--data-dir',
      dataDir,
      '--port',
      String(apiPort),
      '--agent-port',
      String(gatewayPort),
    ],
    log,
  );
  const url = `http://127.0.0.1:${apiPort}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${url}/healthz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`the lab server did not start; see ${log}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return { url, token, gateway: `127.0.0.1:${gatewayPort}` };
}

export async function deployLab(lab: Lab, choice: LabServerChoice): Promise<LabDeployment> {
  const server = choice.server ?? (await startOwnServer(lab));
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${server.token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok && response.status !== 409)
      throw new Error(`${method} ${path}: HTTP ${response.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
  const me = await api<{ tenantId?: string; memberships: { tenantId: string }[] }>(
    'GET',
    '/api/v1/auth/me',
  );
  const tenantId = me.tenantId ?? me.memberships[0]?.tenantId;
  if (tenantId === undefined) throw new Error('the token names no tenant');
  const gatewayUrl = await connectLabGateway(lab, server.gateway);
  const agents: Record<string, { agentId: string; logFile: string }> = {};
  for (const host of lab.hosts) {
    // 409: documented already (a second lab against the same server).
    await api('POST', `/api/v1/tenants/${tenantId}/assets`, {
      name: host.id,
      kind: 'workstation',
      addresses: [host.ipv4, host.ipv6],
    });
    const { token } = await api<{ token: string }>(
      'POST',
      `/api/v1/tenants/${tenantId}/agents/enrolment-tokens`,
      { ttlMinutes: 10 },
    );
    await writeLabAgentConfig(lab, host, { gatewayUrl, enrolmentToken: token });
    const agent = await startLabAgent(lab, host);
    agents[host.id] = { agentId: agent.agentId, logFile: agent.logFile };
  }
  const deployment: LabDeployment = {
    apiUrl: server.url,
    apiToken: server.token,
    tenantId,
    gatewayUrl,
    ownServer: choice.server === undefined,
    agents,
  };
  await lab.setDeployment(deployment);
  return deployment;
}
