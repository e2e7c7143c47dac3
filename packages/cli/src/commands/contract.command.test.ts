/**
 * The contract commands against a real server on a port (SQLite in its data directory): the
 * contract set as the platform, then an incident's SLA clocks shown, paused and resumed, a
 * determination and a notice recorded, the deadlines and the CISA draft printed, and the
 * tenant's and the platform's SLA reports.
 */
import type { CordonServer } from '@cordon/server';
import { createServer, defaultServerConfig } from '@cordon/server';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
  dir = mkdtempSync(join(tmpdir(), 'cordon-contract-cli-'));
  server = await createServer({
    config: { ...defaultServerConfig, dataDir: dir, port: 0 },
    logger: false,
  });
  const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
  tenantId = (await server.services.access.createTenant(system, 'Acme')).id;
  const { token } = await server.services.access.createToken(system, {
    tenantId,
    role: 'incident_lead',
  });
  incidentId = (
    await server.services.incidents.create(system, tenantId, { title: 'Phish', severity: 'high' })
  ).id;
  env = { CORDON_SERVER: address, CORDON_TOKEN: token, CORDON_DATA_DIR: dir };
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

describe('cordon contract, sla and regulatory', () => {
  it('sets the contract as the platform and refuses a bad file', async () => {
    const file = join(dir, 'contract.json');
    writeFileSync(
      file,
      JSON.stringify({
        calendar: { timeZone: 'America/New_York', mode: 'always' },
        sla: { targets: { high: { acknowledge: 30, contain: 120 } } },
        regimes: ['circia', 'sec-8k'],
      }),
    );
    const set = await run(['contract', 'set', file, '--tenant', tenantId]);
    expect(set.err).toBe('');
    expect(set.out).toContain('contract version 1');
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ calendar: { timeZone: 'Nowhere/X' } }));
    const bad = await run(['contract', 'set', join(dir, 'bad.json'), '--tenant', tenantId]);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('unknown time zone');
    const shown = await run(['contract', 'show']);
    expect(JSON.parse(shown.out)).toMatchObject({ version: 1, regimes: ['circia', 'sec-8k'] });
  });

  it('shows, pauses and resumes the SLA clocks', async () => {
    const shown = await run(['sla', 'show', incidentId]);
    expect(shown.out).toMatch(/^acknowledge\s+running\s+left 0h[23]\dm/m);
    expect(shown.out).toMatch(/^contain\s+running/m);
    const paused = await run(['sla', 'pause', incidentId, '--reason', 'waiting on the client']);
    expect(paused.code).toBe(0);
    expect((await run(['sla', 'show', incidentId])).out).toMatch(/paused\s+left .* due \(paused\)/);
    const again = await run(['sla', 'pause', incidentId, '--reason', 'again']);
    expect(again.code).toBe(1);
    expect(again.err).toContain('already paused');
    expect((await run(['sla', 'resume', incidentId])).code).toBe(0);
  });

  it('records a determination and a notice, and prints deadlines and the CISA draft', async () => {
    const determined = await run([
      'regulatory',
      'determine',
      incidentId,
      '--regimes',
      'circia,sec-8k',
      '--reason',
      'covered incident at a pipeline operator; material',
      '--paid-at',
      new Date(Date.now() - 3_600_000).toISOString(),
    ]);
    expect(determined.err).toBe('');
    const status = await run(['regulatory', 'status', incidentId]);
    expect(status.out).toMatch(/^circia\/incident\s+open/m);
    expect(status.out).toMatch(/^circia\/ransom-payment\s+open/m);
    expect(status.out).toMatch(/^sec-8k\/form-8k\s+open/m);
    const content = join(dir, 'notice.txt');
    writeFileSync(content, 'CIRCIA ransom payment report: 2 BTC paid');
    const notice = await run([
      'regulatory',
      'notice',
      incidentId,
      '--regime',
      'circia',
      '--obligation',
      'ransom-payment',
      '--channel',
      'CISA portal',
      '--content-file',
      content,
    ]);
    expect(JSON.parse(notice.out)).toMatchObject({
      contentSha256: createHash('sha256')
        .update('CIRCIA ransom payment report: 2 BTC paid')
        .digest('hex'),
    });
    expect((await run(['regulatory', 'status', incidentId])).out).toMatch(
      /^circia\/ransom-payment\s+met/m,
    );
    const draft = JSON.parse((await run(['regulatory', 'cisa-draft', incidentId])).out);
    expect(draft).toMatchObject({ reference: 'INC-1', organisation: 'Acme', severity: 'high' });
    expect(draft.othersInformed).toEqual([expect.objectContaining({ recipient: 'CISA' })]);
    const regimes = JSON.parse((await run(['regulatory', 'regimes'])).out);
    expect(regimes.regimes.map((r: { id: string }) => r.id)).toContain('gdpr');
  });

  it("prints the tenant's and the platform's SLA reports", async () => {
    const report = JSON.parse((await run(['sla', 'report'])).out);
    expect(report).toMatchObject({ tenantId, incidents: 1, covered: true });
    const all = await run(['sla', 'platform-report']);
    expect(all.err).toBe('');
    expect(all.out).toContain(`${tenantId}  1 incidents  acknowledge 0 met/0 failed`);
  });
});
