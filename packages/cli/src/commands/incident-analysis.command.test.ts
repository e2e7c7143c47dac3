/**
 * `cordon incident timeline` and `cordon incident process-tree` against a real server on a
 * port: the findings, the entries as a table and as JSON, the tree indented, and usage errors.
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
let env: Record<string, string>;
let incidentId: string;
const at = Date.parse('2026-01-05T10:00:00Z');

const started = (pid: number, ppid: number, name: string, ms: number) => ({
  '@timestamp': new Date(ms).toISOString(),
  event: {
    kind: 'event',
    category: ['process'],
    action: 'process-started',
    dataset: 'agent.process',
  },
  host: { name: 'lnx-01' },
  process: {
    pid,
    name,
    executable: `/usr/bin/${name}`,
    command_line: `${name} -x`,
    parent: { pid: ppid },
  },
  user: { id: '0', name: 'root' },
});

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cordon-analysis-cli-'));
  server = await createServer({
    config: { ...defaultServerConfig, dataDir: dir, port: 0 },
    logger: false,
  });
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const tenant = await server.services.access.createTenant(system, 'Acme');
  const { token } = await server.services.access.createToken(system, {
    tenantId: tenant.id,
    role: 'incident_lead',
  });
  const incidents = server.services.incidents;
  const incident = await incidents.create(system, tenant.id, {
    title: 'miner on lnx-01',
    severity: 'medium',
  });
  incidentId = incident.id;
  await incidents.update(system, tenant.id, incidentId, {
    rootCause: 'weak SSH password on root',
    scope: 'lnx-01',
    affectedAssets: ['lnx-01'],
  });
  await incidents.addNote(system, tenant.id, incidentId, 'xmrig found in /tmp');
  await server.store.events.appendBatch(tenant.id, {
    batchId: 'procs',
    events: [
      started(500, 1, 'sshd', at),
      started(501, 500, 'bash', at + 1000),
      started(502, 501, 'xmrig', at + 2000),
    ],
  });
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

describe('cordon incident timeline / process-tree', () => {
  it('prints the findings and the entries, or the API answer with --json', async () => {
    const table = await run(['incident', 'timeline', incidentId]);
    expect(table.code, table.err).toBe(0);
    expect(table.out).toMatch(/^root cause {2}weak SSH password on root\nscope {7}lnx-01\n/);
    expect(table.out).toMatch(/Z note +- +system:test +xmrig found in \/tmp\n/);
    expect(table.out).toMatch(/1 of 1 entries\n$/);
    const json = await run(['incident', 'timeline', incidentId, '--kinds', 'note', '--json']);
    expect(JSON.parse(json.out)).toMatchObject({
      incidentId,
      findings: { scope: 'lnx-01' },
      total: 1,
      entries: [{ kind: 'note', title: 'xmrig found in /tmp' }],
    });
  });

  it('prints the process tree indented under the parents', async () => {
    const tree = await run([
      'incident',
      'process-tree',
      incidentId,
      '--host',
      'lnx-01',
      '--from',
      '2026-01-05T09:00:00Z',
      '--to',
      '2026-01-05T11:00:00Z',
    ]);
    expect(tree.code, tree.err).toBe(0);
    expect(tree.out).toContain('    sshd (500)  2026-01-05T10:00:00.000Z  root  sshd -x\n');
    expect(tree.out).toContain('      bash (501)  ');
    expect(tree.out).toContain('        xmrig (502)  ');
    expect(tree.out).toMatch(/4 processes on lnx-01\n$/);
  });

  it('refuses a bad id or time with a usage error', async () => {
    expect((await run(['incident', 'timeline', 'INC-1'])).err).toMatch(/not an incident id/);
    expect((await run(['incident', 'timeline', incidentId, '--from', 'yesterday'])).code).toBe(2);
    const missing = await run(['incident', 'timeline', '00000000-0000-4000-8000-000000000001']);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/not_found/);
  });
});
