/**
 * What the client-command tests share: a real server on a loopback port over a throwaway data
 * directory, a tenant with an API token, and `cordon` run in-process with that server and token
 * in its environment, its output captured.
 */
import type { CordonServer } from '@cordon/server';
import { createServer, defaultServerConfig } from '@cordon/server';
import type { Role } from '@cordon/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../src/run-cli.ts';

export const system = { kind: 'system', name: 'test' } as const;

export interface CliTestServer {
  readonly server: CordonServer;
  /** A scratch directory for the test's files (the data directory is `dir/data`). */
  readonly dir: string;
  readonly tenantId: string;
  readonly env: Record<string, string>;
  /** Runs `cordon ARGS` with the server and token in its environment (or with `env`). */
  run(
    args: readonly string[],
    env?: Record<string, string>,
  ): Promise<{ code: number; out: string; err: string }>;
  dispose(): Promise<void>;
}

export async function startCliTestServer(
  options: { readonly role?: Role; readonly tenantName?: string } = {},
): Promise<CliTestServer> {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-cli-test-'));
  const server = await createServer({
    config: { ...defaultServerConfig, dataDir: join(dir, 'data'), port: 0 },
    logger: false,
  });
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const tenantId = (await server.services.access.createTenant(system, options.tenantName ?? 'Acme'))
    .id;
  const { token } = await server.services.access.createToken(system, {
    tenantId,
    role: options.role ?? 'incident_lead',
  });
  const env = { CORDON_SERVER: address, CORDON_TOKEN: token };
  return {
    server,
    dir,
    tenantId,
    env,
    run: async (args, withEnv = env) => {
      const stdout = new PassThrough();
      const stderr = new PassThrough();
      let out = '';
      let err = '';
      stdout.on('data', (d: Buffer) => (out += d.toString()));
      stderr.on('data', (d: Buffer) => (err += d.toString()));
      const code = await runCli([...args], {
        stdout,
        stderr,
        stdin: new PassThrough(),
        env: withEnv,
      });
      return { code, out, err };
    },
    dispose: async () => {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
