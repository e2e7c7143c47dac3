/**
 * A real Cordon server for the console's end-to-end tests: the same `createServer` that
 * `cordon serve` runs, on loopback, with a throwaway SQLite store and the built console.
 * Seeding goes through the services as the system (what an operator's commands would do) and
 * through the HTTP API; everything the test then checks is done in the browser.
 */
import type { Principal } from '@cordon/core';
import type { CordonServer } from '@cordon/server';
import { createServer, defaultServerConfig } from '@cordon/server';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_DIST, ensureConsoleBuilt } from '../scripts/console-build.ts';

export const system: Principal = { kind: 'system', name: 'console-e2e' };
export const PASSWORD = 'a long enough password';

export interface ConsoleServer {
  readonly server: CordonServer;
  readonly url: string;
  readonly tenantId: string;
  readonly otherTenantId: string;
  readonly leadToken: string;
  dispose(): Promise<void>;
}

export interface ConsoleServerOptions {
  /** The console's own tests raise incidents by hand; the demo needs detection's default. */
  readonly incidentMinLevel?: typeof defaultServerConfig.detection.incidentMinLevel;
}

export async function startConsoleServer(
  options: ConsoleServerOptions = {},
): Promise<ConsoleServer> {
  await ensureConsoleBuilt();
  const dataDir = mkdtempSync(join(tmpdir(), 'cordon-console-e2e-'));
  const server = await createServer({
    config: {
      ...defaultServerConfig,
      dataDir,
      port: 0,
      agentPort: 0,
      consoleDir: CONSOLE_DIST,
      detection: {
        ...defaultServerConfig.detection,
        incidentMinLevel: options.incidentMinLevel ?? 'critical',
      },
    },
    logger: false,
  });
  const { access } = server.services;
  const tenantId = (await access.createTenant(system, 'Acme Manufacturing')).id;
  const otherTenantId = (await access.createTenant(system, 'Borealis Logistics')).id;
  for (const [email, role, tenant] of [
    ['lead@mssp.example', 'incident_lead', tenantId],
    ['viewer@acme.example', 'client_viewer', tenantId],
  ] as const) {
    await access.createUser(system, { email, password: PASSWORD, role, tenantId: tenant });
  }
  // The MSSP's lead works for a second client too (an existing user is granted the role).
  await access.createUser(system, {
    email: 'lead@mssp.example',
    password: PASSWORD,
    role: 'analyst',
    tenantId: otherTenantId,
  });
  const leadToken = (await access.createToken(system, { tenantId, role: 'incident_lead' })).token;
  const url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    server,
    url,
    tenantId,
    otherTenantId,
    leadToken,
    dispose: async () => {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** An API call with a bearer token (seeding what an agent or another analyst would do). */
export async function apiCall<T>(
  c: ConsoleServer,
  method: string,
  path: string,
  body?: unknown,
  token = c.leadToken,
): Promise<T> {
  const response = await fetch(`${c.url}/api/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A tenant rule and one matching sshd log line through HTTP ingest: detection raises a real alert. */
export const ALERT_RULE_TITLE = 'SSH sign-in from outside by a finance user';
export const ALERT_RULE_ID = '6b2f4c1e-6a8e-4d4c-9c55-0e7c1a9d0001';

export async function raiseAlert(c: ConsoleServer, host: string): Promise<void> {
  const { tenantId } = c;
  await apiCall(c, 'POST', `/tenants/${tenantId}/detection/rules`, {
    yaml: [
      `title: ${ALERT_RULE_TITLE}`,
      `id: ${ALERT_RULE_ID}`,
      'status: test',
      'level: high',
      'logsource: {product: linux, service: sshd}',
      'detection:',
      '  keywords: ["Accepted password for alice from 203.0.113."]',
      '  condition: keywords',
      'tags: [attack.initial-access, attack.t1078]',
    ].join('\n'),
  });
  await ingestSyslog(c, host, 'Accepted password for alice from 203.0.113.9 port 50022 ssh2');
}

/** One RFC 3164 sshd line from `host`, stamped now, through HTTP ingest with an ingest token. */
export async function ingestSyslog(c: ConsoleServer, host: string, message: string): Promise<void> {
  const ingest = (
    await c.server.services.access.createToken(system, { tenantId: c.tenantId, role: 'ingest' })
  ).token;
  const now = new Date();
  const stamp =
    now.toUTCString().slice(8, 11) +
    ' ' +
    String(now.getUTCDate()).padStart(2, ' ') +
    ' ' +
    now.toISOString().slice(11, 19);
  const line = `<38>${stamp} ${host} sshd[4242]: ${message}`;
  const response = await fetch(`${c.url}/api/v1/ingest`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ingest}`, 'content-type': 'text/plain' },
    body: `${line}\n`,
  });
  if (!response.ok) throw new Error(`ingest: ${response.status} ${await response.text()}`);
}

/** Enrols an agent for `hostname` over the REST enrolment (no live connection). */
export async function enrolAgent(c: ConsoleServer, hostname: string): Promise<string> {
  const issued = await apiCall<{ token: string }>(
    c,
    'POST',
    `/tenants/${c.tenantId}/agents/enrolment-tokens`,
    {},
  );
  const { publicKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'jwk' }).x ?? '';
  const enrolled = await apiCall<{ agentId: string }>(c, 'POST', '/agents/enrol', {
    token: issued.token,
    publicKey: raw,
    facts: {
      hostname,
      os: { platform: 'linux', release: '6.1' },
      addresses: { v4: ['198.18.0.20'], v6: [] },
      agentVersion: '0.1.0',
      isolated: false,
    },
  });
  return enrolled.agentId;
}

/** Polls `check` until it holds (setup code runs outside a test, where expect.poll cannot). */
export async function waitUntil(
  check: () => Promise<boolean>,
  what: string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
