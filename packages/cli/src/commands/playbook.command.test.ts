/**
 * `cordon playbook`: validate offline (the shipped folder passes; a bad step is named with its
 * reason and exit 1), and list and run against a real server on a port (SQLite).
 */
import type { CordonServer } from '@cordon/server';
import { SHIPPED_PLAYBOOK_DIR, createServer, defaultServerConfig } from '@cordon/server';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  dir = mkdtempSync(join(tmpdir(), 'cordon-playbook-cli-'));
  server = await createServer({
    config: { ...defaultServerConfig, dataDir: dir, port: 0 },
    logger: false,
  });
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  const tenant = await server.services.access.createTenant(system, 'Acme');
  const { token } = await server.services.access.createToken(system, {
    tenantId: tenant.id,
    role: 'responder',
  });
  incidentId = (
    await server.services.incidents.create(system, tenant.id, {
      title: 'odd powershell',
      severity: 'medium',
    })
  ).id;
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

describe('cordon playbook', () => {
  it('validates the shipped folder, and refuses a bad step naming it', async () => {
    const ok = await run(['playbook', 'validate', SHIPPED_PLAYBOOK_DIR]);
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(ok.out.trimEnd().split('\n')).toHaveLength(6);
    const document = JSON.parse(
      readFileSync(join(SHIPPED_PLAYBOOK_DIR, 'ransomware.json'), 'utf8'),
    ) as {
      workflow: Record<string, { type: string; on_completion?: string }>;
    };
    const [stepId, step] = Object.entries(document.workflow).find(([, s]) => s.type === 'start')!;
    step.on_completion = 'action--00000000-0000-4000-8000-000000000999';
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify(document));
    const refused = await run(['playbook', 'validate', bad]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain(`refused  ${bad}`);
    expect(refused.out).toContain(
      `${stepId}: on_completion points at action--00000000-0000-4000-8000-000000000999`,
    );
    expect(refused.out).toContain('[dangling_reference]');
  });

  it('lists the playbooks and runs one on an incident', async () => {
    const listed = await run(['playbook', 'list']);
    expect(listed.code, listed.err).toBe(0);
    expect(listed.out).toMatch(/shipped +- +Suspicious PowerShell \(malware\)/);
    const id = /^(playbook--\S+) +shipped +- +Suspicious PowerShell/m.exec(listed.out)![1]!;
    // The incident has no alert to name its host: the run refuses to guess, and says so.
    const refused = await run(['playbook', 'run', '--incident', incidentId, '--playbook', id]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('__affected_host__ cannot be set: the incident has no alert');
    const started = await run([
      'playbook',
      'run',
      '--incident',
      incidentId,
      '--playbook',
      id,
      '--var',
      '__affected_host__=ws-07',
    ]);
    expect(started.code, started.err).toBe(0);
    expect(started.out).toMatch(/^run \S+: Suspicious PowerShell v1, waiting/);
    expect(started.out).toContain('waiting  Decode and review the command');
  });
});
