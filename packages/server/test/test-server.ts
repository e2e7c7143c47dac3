/** A real server on a throwaway data directory (and PostgreSQL schema) for API tests. */
import type { Principal, Role } from '@cordon/core';
import { postgresUrl } from '@cordon/storage/testing';
import type { DialectName } from '@cordon/storage';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { CordonServer, ServerConfig } from '../src/index.ts';
import { createServer, defaultServerConfig } from '../src/index.ts';

export const system: Principal = { kind: 'system', name: 'test' };

/**
 * Every tenant's share lifted (fairness/fairness-config.ts), for tests about something else
 * (one body's backpressure, a parser fuzzed) that send more than a tenant's default share.
 */
export const liftedFairness: ServerConfig['fairness'] = {
  ...defaultServerConfig.fairness,
  ingest: {
    concurrency: 1_000,
    recordsPerSecond: 1e12,
    recordBurst: 1e12,
    bytesPerSecond: 1e15,
    byteBurst: 1e15,
  },
  rules: { concurrency: 1_000, perSecond: 1e12, burst: 1e12 },
  search: { concurrency: 1_000, perSecond: 1e12, burst: 1e12 },
};

export interface TestServer {
  readonly server: CordonServer;
  token(tenantId: string, role: Role): Promise<string>;
  dispose(): Promise<void>;
}

export async function startTestServer(
  dialect: DialectName,
  overrides: Partial<ServerConfig> = {},
): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cordon-server-test-'));
  const url = dialect === 'postgres' ? postgresUrl() : undefined;
  const schema =
    dialect === 'postgres'
      ? `s_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
      : undefined;
  const server = await createServer({
    config: {
      ...defaultServerConfig,
      dataDir,
      databaseUrl: url,
      databaseSchema: schema,
      port: 0,
      ...overrides,
    },
    logger: false,
  });
  return {
    server,
    token: async (tenantId, role) =>
      (await server.services.access.createToken(system, { tenantId, role })).token,
    dispose: async () => {
      await server.close();
      if (url && schema) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export const bearer = (token: string): Record<string, string> => ({
  authorization: `Bearer ${token}`,
});

/** Headers of a signed-in platform admin's browser session (cookie and CSRF token). */
export async function adminSession(t: TestServer): Promise<Record<string, string>> {
  const email = `admin-${Math.random().toString(36).slice(2, 10)}@cordon.local`;
  const password = 'a long enough password';
  await t.server.services.access.createUser(system, { email, password, role: 'platform_admin' });
  const response = await t.server.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  });
  const cookie = String(response.headers['set-cookie']).split(';')[0]!;
  return { cookie, 'x-csrf-token': response.json<{ csrfToken: string }>().csrfToken };
}
