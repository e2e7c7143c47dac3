/**
 * `cordon search` against a real server listening on a port (SQLite in a temporary directory):
 * the table, `--json`, `--count`, time ranges, and a bad query reported with its position.
 */
import type { CordonServer } from '@cordon/server';
import { createServer, defaultServerConfig } from '@cordon/server';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';
import { timeArgument } from './search.command.ts';

const system = { kind: 'system', name: 'test' } as const;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

let server: CordonServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cordon-search-cli-'));
  server = await createServer({
    config: { ...defaultServerConfig, dataDir: dir, port: 0 },
    logger: false,
  });
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const tenant = await server.services.access.createTenant(system, 'Acme');
  const { token } = await server.services.access.createToken(system, {
    tenantId: tenant.id,
    role: 'analyst',
  });
  const event = (minutes: number, user: string, ip: string, message: string) => ({
    '@timestamp': minutesAgo(minutes),
    event: { kind: 'event', dataset: 'system.auth', code: '4625' },
    message,
    host: { name: 'bastion' },
    user: { name: user },
    source: { ip },
    log_source: {},
    fields: {},
  });
  await server.store.events.appendBatch(tenant.id, {
    batchId: 'seed',
    events: [
      event(90, 'root', '203.0.113.7', 'Failed password for root from 203.0.113.7'),
      event(30, 'root', '203.0.113.7', 'Failed password for root from 203.0.113.7 again'),
      event(10, 'alice', '10.0.0.5', 'Accepted password for alice'),
    ],
  });
  env = { CORDON_SERVER: address, CORDON_TOKEN: token };
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[], environment: Record<string, string> = env) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr, stdin: new PassThrough(), env: environment });
  return { code, out, err };
}

describe('cordon search', () => {
  it('prints a table, newest first', async () => {
    const { code, out, err } = await run(['search', 'user:root OR source.ip:10.0.0.0/8']);
    expect(code, err).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^time +host +user +source\.ip +code +message$/);
    expect(lines[1]).toMatch(/bastion +alice +10\.0\.0\.5 +4625 +Accepted password for alice$/);
    expect(lines[3]).toContain('Failed password for root from 203.0.113.7');
    expect(lines.at(-1)).toBe('3 of 3 events');
  });

  it('prints JSON with --json, honours --from, and counts with --count', async () => {
    const json = await run(['search', '--json', '--from', '1h', 'user:root']);
    expect(json.code, json.err).toBe(0);
    const body = JSON.parse(json.out) as {
      total: number;
      events: { event: { message: string } }[];
    };
    expect(body.total).toBe(1);
    expect(body.events[0]!.event.message).toBe('Failed password for root from 203.0.113.7 again');
    const count = await run(['search', '--count', 'event.code >= 4624']);
    expect(count.out).toBe('3\n');
    const countJson = await run(['search', '--count', '--json', '--to', minutesAgo(20), '']);
    expect(JSON.parse(countJson.out)).toEqual({ total: 2 });
  });

  it('takes the server and token as options instead of the environment', async () => {
    const { code, out } = await run(
      ['search', '--server', env['CORDON_SERVER']!, '--token', env['CORDON_TOKEN']!, '--count'],
      {},
    );
    expect(code).toBe(0);
    expect(out).toBe('3\n');
  });

  it('reports a bad query with its position, and bad options as usage errors', async () => {
    const bad = await run(['search', 'user:root AND (host:x']);
    expect(bad.code).toBe(2);
    expect(bad.err).toBe("cordon: missing ')' for the '(' at 15 (invalid_input)\n");
    const time = await run(['search', '--from', 'yesterday', 'x']);
    expect(time.code).toBe(2);
    expect(time.err).toMatch(/--from takes an RFC 3339 time or a duration/);
    const denied = await run(['search', 'x'], { ...env, CORDON_TOKEN: 'wrong' });
    expect(denied.code).toBe(1);
  });

  it('reads relative and absolute times', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(timeArgument('90m', '--from', now)).toBe('2026-11-28T10:30:00.000Z');
    expect(timeArgument('2026-11-01T00:00:00+01:00', '--from', now)).toBe(
      '2026-10-31T23:00:00.000Z',
    );
  });
});
