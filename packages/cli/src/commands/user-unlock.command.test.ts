/**
 * `cordon user unlock` against a real server on a port (issue 13: a platform admin must be
 * able to lift a sign-in lock; the lock lives in the server's memory, so the CLI asks the
 * server): an account locked by five wrong passwords signs in again after the unlock, and a
 * user who is not a platform admin cannot unlock.
 */
import type { CordonServer } from '@cordon/server';
import { createServer, defaultServerConfig } from '@cordon/server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';

const system = { kind: 'system', name: 'test' } as const;
let server: CordonServer;
let dir: string;
let address: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cordon-unlock-cli-'));
  server = await createServer({
    config: { ...defaultServerConfig, dataDir: dir, port: 0 },
    logger: false,
  });
  address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const { access } = server.services;
  const tenant = await access.createTenant(system, 'Acme');
  await access.createUser(system, {
    email: 'root@cordon.test',
    password: 'admin password 1',
    role: 'platform_admin',
  });
  await access.createUser(system, {
    email: 'ana@acme.test',
    password: 'analyst password 1',
    role: 'analyst',
    tenantId: tenant.id,
  });
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], input: string) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  stdin.end(input);
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr, stdin, env: { CORDON_SERVER: address } });
  return { code, out, err };
}

const login = async (email: string, password: string): Promise<number> =>
  (
    await fetch(`${address}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    })
  ).status;

describe('cordon user unlock', () => {
  it('lifts the lock of an account locked by wrong passwords', async () => {
    for (let i = 0; i < 5; i++) expect(await login('ana@acme.test', 'wrong')).toBe(401);
    expect(await login('ana@acme.test', 'analyst password 1')).toBe(429);
    const unlocked = await run(
      [
        'user',
        'unlock',
        '--email',
        'ana@acme.test',
        '--admin',
        'root@cordon.test',
        '--password-stdin',
        '--json',
      ],
      'admin password 1\n',
    );
    expect(unlocked.code, unlocked.err).toBe(0);
    expect(JSON.parse(unlocked.out)).toEqual({ email: 'ana@acme.test', wasRestricted: true });
    expect(await login('ana@acme.test', 'analyst password 1')).toBe(200);
  });

  it('refuses a user who is not a platform admin', async () => {
    const refused = await run(
      [
        'user',
        'unlock',
        '--email',
        'root@cordon.test',
        '--admin',
        'ana@acme.test',
        '--password-stdin',
      ],
      'analyst password 1\n',
    );
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/platform admin/);
  });
});
