/**
 * `cordon incident report`, `cordon evidence bundle` and `cordon verify bundle` against a real
 * server on a port: the report files are saved, the bundle verifies offline with an empty
 * environment (no server, no token, no data directory), and a changed byte of the evidence
 * inside the archive fails with the file named.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliTestServer } from '../../test/cli-test-server.ts';
import { startCliTestServer, system } from '../../test/cli-test-server.ts';

const LOG_LINE = 'Dec  4 10:00:01 ws-042 sshd[811]: Failed password for root from 198.18.0.66\n';
let t: CliTestServer;
let dir: string;
let incidentId: string;
const run = (args: string[], env?: Record<string, string>) => t.run(args, env);

beforeAll(async () => {
  t = await startCliTestServer();
  dir = t.dir;
  const { incidents, evidence } = t.server.services;
  incidentId = (
    await incidents.create(system, t.tenantId, { title: 'SSH brute force', severity: 'high' })
  ).id;
  await evidence.add(
    system,
    t.tenantId,
    { filename: 'auth.log', incidentId, collectedFrom: 'ws-042:/var/log/auth.log', method: 'copy' },
    (async function* () {
      yield Buffer.from(LOG_LINE.repeat(20));
    })(),
  );
});
afterAll(async () => t?.dispose());

describe('cordon incident report / evidence bundle / verify bundle', () => {
  it('saves the report files the server kept as evidence', async () => {
    const saved = await run([
      'incident',
      'report',
      incidentId,
      '--kind',
      'executive',
      '--out',
      dir,
    ]);
    expect(saved.err).toBe('');
    expect(saved.code).toBe(0);
    expect(saved.out).toMatch(/INC-1-executive\.pdf {2}sha256 [0-9a-f]{64}/);
    expect(readFileSync(join(dir, 'INC-1-executive.pdf')).subarray(0, 5).toString()).toBe('%PDF-');
    expect(readFileSync(join(dir, 'INC-1-executive.html'), 'utf8')).toContain('Executive summary');
    const bad = await run(['incident', 'report', incidentId, '--kind', 'novel']);
    expect(bad.code).toBe(2);
  });

  it('exports a bundle that verifies offline, and names a changed evidence file', async () => {
    const file = join(dir, 'bundle.tar');
    const exported = await run(['evidence', 'bundle', '--incident', incidentId, '--out', file]);
    expect(exported.err).toBe('');
    expect(exported.code).toBe(0);
    const ok = await run(['verify', 'bundle', file], {});
    expect(ok.err).toBe('');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/^ok {2}the manifest's signature/m);
    expect(ok.out).toMatch(/holds; signed by key [0-9a-f]{16}/);
    const pinned = await run(
      ['verify', 'bundle', file, '--public-key', join(dir, 'data/keys/server-ed25519.pub.pem')],
      {},
    );
    expect(pinned.code).toBe(0);

    const bytes = readFileSync(file);
    const at = bytes.indexOf(LOG_LINE) + 20;
    bytes[at] = bytes[at]! ^ 0x01;
    const tampered = join(dir, 'tampered.tar');
    writeFileSync(tampered, bytes);
    const failed = await run(['verify', 'bundle', tampered], {});
    expect(failed.code).toBe(1);
    expect(failed.err).toMatch(/^FAILED: evidence\/[0-9a-f-]+\/auth\.log was changed: SHA-256/);

    writeFileSync(join(dir, 'garbage.tar'), 'not a tar at all');
    const garbage = await run(['verify', 'bundle', join(dir, 'garbage.tar')], {});
    expect(garbage.code).toBe(1);
    expect(garbage.err).toMatch(/^FAILED: /);
  });

  it('stores a report template the next report uses, refuses a bad one with its line', async () => {
    const good = join(dir, 'acme.html');
    writeFileSync(good, '<main class="acme">{{reference}} · {{title}}</main>\n');
    const set = await run(['report', 'template', 'set', 'executive', good]);
    expect(set.err).toBe('');
    expect(set.code).toBe(0);
    expect(set.out).toMatch(/^stored executive +53 bytes {2}sha256 [0-9a-f]{64}/);
    const listed = await run(['report', 'template', 'list', '--json']);
    expect(JSON.parse(listed.out).items.map((t: { kind: string }) => t.kind)).toEqual([
      'executive',
    ]);
    const shown = await run(['report', 'template', 'get', 'executive']);
    expect(shown.out).toBe('<main class="acme">{{reference}} · {{title}}</main>\n');

    const out = join(dir, 'with-template');
    mkdirSync(out);
    const made = await run([
      'incident',
      'report',
      incidentId,
      '--kind',
      'executive',
      '--format',
      'html',
      '--out',
      out,
    ]);
    expect(made.code).toBe(0);
    expect(readFileSync(join(out, 'INC-1-executive.html'), 'utf8')).toBe(
      '<main class="acme">INC-1 · Executive summary</main>\n',
    );

    const bad = join(dir, 'bad.html');
    writeFileSync(bad, '<p>\n{{#if title}}\n{{> header}}\n{{/if}}\n');
    const refused = await run(['report', 'template', 'set', 'executive', bad]);
    expect(refused.code).toBe(1);
    expect(refused.err).toBe(
      'error: template line 3: unescaped output and partials do not exist (invalid_input)\n',
    );
    writeFileSync(bad, 'x'.repeat(64 * 1024 + 1));
    const big = await run(['report', 'template', 'set', 'executive', bad]);
    expect(big.code).toBe(2);
    expect(big.err).toContain('is larger than 65536 bytes');
    expect((await run(['report', 'template', 'set', 'novel', good])).code).toBe(2);

    const removed = await run(['report', 'template', 'delete', 'executive']);
    expect(removed.out).toBe('deleted the executive template\n');
    const gone = await run(['report', 'template', 'get', 'executive']);
    expect(gone.code).toBe(1);
    expect(gone.err).toMatch(/\(not_found\)\n$/);
  });
});
