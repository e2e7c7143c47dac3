/**
 * `cordon alerts list` against a real server on a port: the brute-force alert that live
 * detection raised from stored sshd events, as a table, filtered, and as JSON.
 */
import type { CordonServer } from '@cordon/server';
import { createServer, defaultServerConfig } from '@cordon/server';
import { parseRecord } from '@cordon/ingest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../run-cli.ts';

const system = { kind: 'system', name: 'test' } as const;
let server: CordonServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cordon-alerts-cli-'));
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
  const events = Array.from({ length: 10 }, (_, n) => {
    const outcome = parseRecord(
      `Oct 11 22:14:${String(n).padStart(2, '0')} bastion sshd[${n}]: Failed password for root from 203.0.113.7 port ${40000 + n} ssh2`,
      { receivedAt: new Date('2024-10-11T23:00:00Z') },
    );
    if (outcome.kind !== 'events') throw new Error('unparsed');
    return { id: `e${n}`, event: outcome.events[0]!, provenance: { kind: 'unrecorded' } as const };
  });
  await server.detection.service.consume(tenant.id, events);
  env = { CORDON_SERVER: address, CORDON_TOKEN: token };
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

async function run(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d: Buffer) => (out += d.toString()));
  stderr.on('data', (d: Buffer) => (err += d.toString()));
  const code = await runCli(args, { stdout, stderr, stdin: new PassThrough(), env });
  return { code, out, err };
}

describe('cordon alerts list', () => {
  it('prints the alerts as a table', async () => {
    const { code, out, err } = await run(['alerts', 'list']);
    expect(code, err).toBe(0);
    const lines = out.trimEnd().split('\n');
    expect(lines[1]).toMatch(
      /high +open +1 bastion +203\.0\.113\.7 +\S{8} SSH Brute Force Against a Host$/,
    );
    expect(lines.at(-1)).toBe('1 of 1 alerts');
  });

  it('filters, prints JSON, and refuses a bad status', async () => {
    const closed = await run(['alerts', 'list', '--status', 'closed', '--json']);
    expect(JSON.parse(closed.out)).toEqual({
      total: 0,
      totalIsLowerBound: false,
      items: [],
      nextCursor: null,
    });
    const byHost = await run(['alerts', 'list', '--host', 'bastion', '--json']);
    expect(JSON.parse(byHost.out)).toMatchObject({ total: 1 });
    const bad = await run(['alerts', 'list', '--status', 'new']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--status is one of/);
  });
});
