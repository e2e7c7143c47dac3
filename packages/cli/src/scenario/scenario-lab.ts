/**
 * The stage a lab scenario plays on: a Cordon server in this process (SQLite in a throwaway
 * data directory, API on loopback, its agent gateway relayed into the lab), a tenant with two
 * incident leads and a responder, lab hosts documented in the inventory as the scenario says,
 * and one enrolled agent per host in its namespace. Everything the scenario then does goes
 * through the HTTP API with those tokens, as a person with `curl` would.
 */
import type { Principal, Role } from '@cordon/core';
import type { Lab, LabAgent, LabHostLayout } from '@cordon/lab';
import {
  Lab as LabClass,
  connectLabGateway,
  startLabAgent,
  writeLabAgentConfig,
} from '@cordon/lab';
import type { CordonServer } from '@cordon/server';
import { createServer, defaultServerConfig } from '@cordon/server';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const system: Principal = { kind: 'system', name: 'cordon lab scenario' };

/** Who calls the API: two distinct incident leads (the two-person rule) and a responder. */
export type ScenarioActor = 'lead' | 'secondLead' | 'responder';

export interface ApiAnswer<T> {
  readonly status: number;
  readonly body: T;
}

/** An inventory entry for one lab host (the host's id is its asset name). */
export interface ScenarioAsset {
  readonly kind: 'workstation' | 'server';
  readonly criticality?: 'low' | 'medium' | 'high' | 'critical';
  readonly redundancyGroup?: string;
  readonly owner?: string;
}

export interface ScenarioStage {
  readonly lab: Lab;
  readonly server: CordonServer;
  readonly dataDir: string;
  readonly apiUrl: string;
  readonly tenantId: string;
  /** Asset ids by host id. */
  readonly assetIds: ReadonlyMap<string, string>;
  readonly agents: ReadonlyMap<string, LabAgent>;
  /** `path` is below `/api/v1/tenants/{tenantId}`. */
  api<T>(
    method: string,
    path: string,
    body?: unknown,
    actor?: ScenarioActor,
  ): Promise<ApiAnswer<T>>;
  /** Stops the server (it signs the journal heads as it goes); idempotent. */
  stopServer(): Promise<void>;
  dispose(): Promise<void>;
}

export async function startScenarioStage(options: {
  readonly name: string;
  readonly assets: readonly ScenarioAsset[];
  readonly stateDir?: string;
}): Promise<ScenarioStage> {
  const work = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'cordon-scenario-')));
  const lab = await LabClass.up({
    name: options.name,
    hosts: options.assets.length,
    stateDir: work,
  });
  const dataDir = join(work, 'server');
  let server: CordonServer | undefined;
  let serverStopped = false;
  const stopServer = async () => {
    if (serverStopped || server === undefined) return;
    serverStopped = true;
    await server.close();
  };
  const dispose = async () => {
    await lab.down();
    await stopServer();
    await rm(work, { recursive: true, force: true });
  };
  try {
    server = await createServer({
      config: { ...defaultServerConfig, dataDir, port: 0 },
      logger: false,
    });
    const apiUrl = await server.app.listen({ host: '127.0.0.1', port: 0 });
    const gateway = await server.containment.listen('127.0.0.1', 0);
    const gatewayUrl = await connectLabGateway(lab, new URL(gateway).host);
    const { access } = server.services;
    const tenantId = (await access.createTenant(system, `lab-${options.name}`)).id;
    const token = async (role: Role, name: string) =>
      (await access.createToken(system, { tenantId, role, name })).token;
    const tokens: Record<ScenarioActor, string> = {
      lead: await token('incident_lead', 'lead: Ada'),
      secondLead: await token('incident_lead', 'second lead: Grace'),
      responder: await token('responder', 'responder: Linus'),
    };
    const api = async <T>(
      method: string,
      path: string,
      body?: unknown,
      actor: ScenarioActor = 'lead',
    ): Promise<ApiAnswer<T>> => {
      const response = await fetch(`${apiUrl}/api/v1/tenants/${tenantId}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${tokens[actor]}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await response.text();
      return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
    };
    const assetIds = new Map<string, string>();
    for (const [index, asset] of options.assets.entries()) {
      const host = lab.hosts[index]!;
      const created = await api<{ id: string }>('POST', '/assets', {
        name: host.id,
        kind: asset.kind,
        addresses: [host.ipv4, host.ipv6],
        agentInstalled: true,
        operationalStatus: 'up',
        ...(asset.criticality === undefined ? {} : { criticality: asset.criticality }),
        ...(asset.redundancyGroup === undefined ? {} : { redundancyGroup: asset.redundancyGroup }),
        ...(asset.owner === undefined ? {} : { owner: asset.owner }),
      });
      if (created.status !== 201)
        throw new Error(`asset ${host.id}: ${JSON.stringify(created.body)}`);
      assetIds.set(host.id, created.body.id);
    }
    const agents = new Map<string, LabAgent>();
    await Promise.all(
      lab.hosts.map(async (host: LabHostLayout) => {
        const issued = await api<{ token: string }>('POST', '/agents/enrolment-tokens', {});
        if (issued.status !== 201)
          throw new Error(`enrolment token: ${JSON.stringify(issued.body)}`);
        await writeLabAgentConfig(lab, host, { gatewayUrl, enrolmentToken: issued.body.token });
        agents.set(host.id, await startLabAgent(lab, host));
      }),
    );
    return {
      lab,
      server,
      dataDir,
      apiUrl,
      tenantId,
      assetIds,
      agents,
      api,
      stopServer,
      dispose,
    };
  } catch (error) {
    await dispose();
    throw error;
  }
}
