/**
 * `cordon incident verify` against a real server on a port: a clean re-hunt exits 0, the same
 * check after the indicator shows up in new telemetry exits 1 with the reason.
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
let tenantId: string;
let incidentId: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cordon-verify-cli-'));
  server = await createServer({
    config: { ...defaultServerConfig, dataDir: dir, port: 0 },
    logger: false,
  });
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  tenantId = (await server.services.access.createTenant(system, 'Acme')).id;
  const { token } = await server.services.access.createToken(system, { tenantId, role: 'analyst' });
  const { incidents } = server.services;
  incidentId = (await incidents.create(system, tenantId, { title: 'C2', severity: 'high' })).id;
  await incidents.addObservable(system, tenantId, incidentId, { kind: 'ip', value: '203.0.113.9' });
  for (const to of ['identified', 'contained', 'analysed', 'eradicated', 'recovered'] as const)
    await incidents.transition(system, tenantId, incidentId, {
      to,
      overrideJustification: 'test set-up: facts recorded elsewhere',
    });
  await server.recovery.verification.addCheck(system, tenantId, incidentId, { kind: 'rehunt' });
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

describe('cordon incident verify', () => {
  it('exits 0 on a clean re-hunt and 1 once the indicator is seen again', async () => {
    const clean = await run(['incident', 'verify', incidentId]);
    expect(clean.err).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.out).toMatch(/^passed +rehunt +Re-hunt the observables/m);
    expect(clean.out).toMatch(/1 of 1 checks passed/);

    // After recovery by construction: `Date.now() - 100` could land before the recovered
    // transition when set-up and the clean run took less than 100 ms, outside the window.
    const incident = await server.services.incidents.get(system, tenantId, incidentId);
    const recoveredAt = incident.phaseTimes.recovered!;
    await server.store.events.appendBatch(tenantId, {
      batchId: 'after-recovery',
      events: [
        {
          '@timestamp': new Date(Math.max(recoveredAt + 1, Date.now() - 100)).toISOString(),
          event: { kind: 'event', dataset: 'zeek.conn' },
          source: { ip: '198.18.0.5' },
          destination: { ip: '203.0.113.9' },
        },
      ],
    });
    const dirty = await run(['incident', 'verify', incidentId, '--json']);
    expect(dirty.code).toBe(1);
    const runs = JSON.parse(dirty.out) as { status: string; reason: string }[];
    expect(runs).toEqual([
      expect.objectContaining({ status: 'failed', reason: 'ip 203.0.113.9 seen in 1 events' }),
    ]);
    expect((await run(['incident', 'verify', 'INC-1'])).code).toBe(2);
  });
});
