/**
 * `cordon intel import|watchlists|export` against a real server on a port: a STIX 2.1 bundle
 * and a defanged IOC list become watchlists (the unusable entries listed with their reason, the
 * expiry as asked), the list shows both, and an incident exports as STIX and MISP exactly as the
 * server made it (the SHA-256 it announced).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliTestServer } from '../../test/cli-test-server.ts';
import { startCliTestServer, system } from '../../test/cli-test-server.ts';

let t: CliTestServer;
let dir: string;
let incidentId: string;
const run = (args: string[]) => t.run(args);

const indicator = (n: number, pattern: string) => ({
  type: 'indicator',
  spec_version: '2.1',
  id: `indicator--00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  created: '2026-12-01T00:00:00.000Z',
  modified: '2026-12-01T00:00:00.000Z',
  pattern,
  pattern_type: 'stix',
  valid_from: '2026-12-01T00:00:00.000Z',
});

beforeAll(async () => {
  t = await startCliTestServer();
  dir = t.dir;
  const { incidents } = t.server.services;
  incidentId = (
    await incidents.create(system, t.tenantId, { title: 'C2 beacon from ws-042', severity: 'high' })
  ).id;
  await incidents.addObservable(system, t.tenantId, incidentId, {
    kind: 'ip',
    value: '203.0.113.50',
  });
  await incidents.addObservable(system, t.tenantId, incidentId, {
    kind: 'domain',
    value: 'c2.bad.example',
  });
});
afterAll(async () => t?.dispose());

describe('cordon intel', () => {
  it('imports a STIX bundle and an IOC list into watchlists and lists them', async () => {
    const bundle = join(dir, 'feed.json');
    writeFileSync(
      bundle,
      JSON.stringify({
        type: 'bundle',
        id: 'bundle--00000000-0000-4000-8000-000000000001',
        objects: [
          indicator(1, "[ipv4-addr:value = '198.51.100.7']"),
          indicator(2, "[domain-name:value = 'bad.example']"),
          indicator(3, "[process:name = 'evil.exe']"),
        ],
      }),
    );
    const stix = await run(['intel', 'import', bundle, '--watchlist', 'partner feed', '--json']);
    expect(stix.err).toBe('');
    expect(stix.code).toBe(0);
    const imported = JSON.parse(stix.out);
    expect(imported.watchlist).toMatchObject({
      name: 'partner feed',
      source: 'feed.json',
      format: 'stix',
      indicatorCount: 2,
      expiresAt: null,
    });
    expect(imported.rejected.map((r: { where: string }) => r.where)).toEqual([
      'indicator--00000000-0000-4000-8000-000000000003',
    ]);

    const list = join(dir, 'iocs.txt');
    writeFileSync(
      list,
      '198[.]51[.]100[.]9\nhxxps://phish.example/login\nnot an indicator at all\n',
    );
    const before = Date.now();
    const iocs = await run([
      'intel',
      'import',
      list,
      '--watchlist',
      'phishing',
      '--source',
      'ISAC bulletin 42',
      '--expires',
      '30d',
      '--level',
      'medium',
    ]);
    expect(iocs.code, iocs.err).toBe(0);
    const [first, notUsed, line] = iocs.out.trim().split('\n');
    expect(first).toMatch(
      /^[0-9a-f-]{36} {2}tenant {4}phishing {2}\(ISAC bulletin 42\) {2}2 indicators {2}medium {2}expires \d{4}-/,
    );
    const expires = Date.parse(/expires (\S+)/.exec(first!)![1]!);
    expect(expires).toBeGreaterThanOrEqual(before + 30 * 86_400_000 - 1_000);
    expect(expires).toBeLessThanOrEqual(Date.now() + 30 * 86_400_000);
    expect(notUsed).toBe('1 not used:');
    expect(line).toBe('  line 3  not  not an address, network, domain, URL or hash');

    const listed = await run(['intel', 'watchlists', '--json']);
    expect(listed.code).toBe(0);
    expect(
      JSON.parse(listed.out).map((w: { name: string; format: string }) => [w.name, w.format]),
    ).toEqual(
      expect.arrayContaining([
        ['partner feed', 'stix'],
        ['phishing', 'iocs'],
      ]),
    );
    const table = await run(['intel', 'watchlists']);
    expect(table.out.trim().split('\n')).toHaveLength(2);
  });

  it('refuses bad command lines (exit 2) and reports the server’s refusals (exit 1)', async () => {
    const list = join(dir, 'one.txt');
    writeFileSync(list, '198.51.100.10\n');
    expect((await run(['intel', 'import', list])).code).toBe(2);
    const past = await run([
      'intel',
      'import',
      list,
      '--watchlist',
      'x',
      '--expires',
      '2020-01-01T00:00:00Z',
    ]);
    expect(past.code).toBe(2);
    expect(past.err).toContain('--expires is in the past');
    expect(
      (await run(['intel', 'import', list, '--watchlist', 'x', '--expires', 'soon'])).code,
    ).toBe(2);
    expect((await run(['intel', 'import', join(dir, 'absent.txt'), '--watchlist', 'x'])).code).toBe(
      2,
    );
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"type": "bundle", "objects": [');
    const refused = await run(['intel', 'import', broken, '--watchlist', 'broken']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/^error: .+ \(invalid_input\)\n$/);
    expect((await run(['intel', 'export', incidentId, '--format', 'xml'])).code).toBe(2);
    const missing = await run([
      'intel',
      'export',
      '00000000-0000-4000-8000-00000000dead',
      '--format',
      'stix',
    ]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/\(not_found\)\n$/);
  });

  it('exports an incident as STIX 2.1 and as a MISP event, byte for byte', async () => {
    const file = join(dir, 'INC-1.stix.json');
    const saved = await run(['intel', 'export', incidentId, '--format', 'stix', '--out', file]);
    expect(saved.err).toBe('');
    expect(saved.code).toBe(0);
    const bytes = readFileSync(file);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(saved.out).toBe(`${file}  sha256 ${sha256}  stix\n`);
    const stix = JSON.parse(bytes.toString('utf8'));
    expect(stix.type).toBe('bundle');
    const types = stix.objects.map((o: { type: string }) => o.type);
    expect(types).toEqual(expect.arrayContaining(['incident', 'indicator', 'observed-data']));
    expect(JSON.stringify(stix)).toContain("[ipv4-addr:value = '203.0.113.50']");

    const misp = await run(['intel', 'export', incidentId, '--format', 'misp']);
    expect(misp.code).toBe(0);
    const event = JSON.parse(misp.out);
    expect(event.Event.info).toContain('C2 beacon from ws-042');
    expect(
      event.Event.Attribute.map((a: { type: string; value: string }) => `${a.type}=${a.value}`),
    ).toEqual(expect.arrayContaining(['ip-dst=203.0.113.50', 'domain=c2.bad.example']));
  });
});
