/**
 * `cordon incident identification ID` against a real server on a port: facts an analyst
 * recorded through the API (an inventory asset, a technique, a public origin), as text with
 * their sources, and as the API's JSON.
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

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cordon-identification-cli-'));
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
  await server.services.preparation.assets.create(system, tenant.id, {
    name: 'db01',
    kind: 'server',
    criticality: 'critical',
    owner: 'DBA team',
  });
  const call = async (method: 'POST', url: string, payload: object) => {
    const response = await server.app.inject({
      method,
      url: `/api/v1/tenants/${tenant.id}${url}`,
      headers: { authorization: `Bearer ${token}` },
      payload,
    });
    expect(response.statusCode, response.body).toBeLessThan(300);
    return response.json<{ id: string }>();
  };
  incidentId = (await call('POST', '/incidents', { title: 'Phoned in', severity: 'high' })).id;
  const correct = (body: object) =>
    call('POST', `/incidents/${incidentId}/identification/corrections`, body);
  await correct({ action: 'add', kind: 'asset', name: 'DB01' });
  await correct({ action: 'add', kind: 'technique', id: 'T1190' });
  await correct({ action: 'add', kind: 'origin', address: '8.8.8.8', reason: 'from the WAF log' });
  env = { CORDON_SERVER: address, CORDON_TOKEN: token };
});
afterAll(async () => {
  await server?.close();
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

describe('cordon incident identification', () => {
  it('prints the facts with their sources', async () => {
    const { code, out, err } = await run(['incident', 'identification', incidentId]);
    expect([code, err]).toEqual([0, '']);
    expect(out).toMatch(/db01 \[corrected\] {2}server, criticality critical, owner DBA team/);
    expect(out).toContain('T1190 Exploit Public-Facing Application [corrected]');
    expect(out).toMatch(/8\.8\.8\.8 +external +US AS15169 Google LLC \[corrected\]/);
    expect(out).toMatch(/from: .*@ip-location-db\/asn@.*analyst token:.*: from the WAF log/);
    expect(out).toContain('MITRE ATT&CK®');
    // The technique the analyst added moves the inferred category (T1190 → web attack).
    expect(out).toMatch(/^Category: web_attack\n {6}from: category table \(T1190\)/);
  });

  it('prints the API view as JSON, and says when the incident is unknown', async () => {
    const { code, out } = await run(['incident', 'identification', incidentId, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ incidentId, techniques: [{ id: 'T1190' }] });
    const missing = await run([
      'incident',
      'identification',
      '00000000-0000-4000-8000-000000000000',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/incident not found/);
  });
});
