/**
 * `cordon rules update | list | enable | disable` against a SigmaHQ release built in the test
 * from `../shared/data/sigmahq` and served on loopback (never the internet): checksum or
 * Ed25519 signature (by a configured key) verified before anything is replaced, unpacked under the data directory with the licence and attribution, loaded by a
 * real server, turned off for one tenant (journaled) while another still alerts; wrong
 * checksums and hostile archives refused with nothing installed and the previous pack intact.
 * On SQLite and PostgreSQL.
 */
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { createServer as createHttpServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { pack } from 'tar-stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createServer, defaultServerConfig } from '@cordon/server';
import { DIALECTS, dialectAvailable, postgresUrl } from '@cordon/storage/testing';
import { ZEEK_TSV_DNS } from '@cordon/ingest/testing/sensors';
import { runCli } from '../src/index.ts';

vi.setConfig({ testTimeout: 120_000 });

const SIGMAHQ = join(import.meta.dirname, '../../../../shared/data/sigmahq');
const available = existsSync(join(SIGMAHQ, 'rules'));
if (!available) console.warn(`skipped: no SigmaHQ data at ${SIGMAHQ}`);

interface Entry {
  readonly name: string;
  readonly type?: 'file' | 'symlink' | 'link' | 'directory';
  readonly body?: string | Buffer;
  readonly linkname?: string;
}

async function tarGz(entries: readonly Entry[]): Promise<Buffer> {
  const archive = pack();
  const chunks: Buffer[] = [];
  const out = new PassThrough();
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise((resolve) => out.on('end', resolve));
  archive.pipe(out);
  for (const e of entries) {
    const type = e.type ?? 'file';
    if (type === 'file') archive.entry({ name: e.name }, e.body ?? '');
    else archive.entry({ name: e.name, type, ...(e.linkname ? { linkname: e.linkname } : {}) });
  }
  archive.finalize();
  await done;
  return gzipSync(Buffer.concat(chunks));
}

/** A release as GitHub serves a tag: one top folder, the licence, the rule folders. */
async function sigmaRelease(folders: readonly string[]): Promise<Buffer> {
  const top = 'sigma-r2099-01-01';
  const entries: Entry[] = [
    { name: `${top}/LICENSE`, body: readFileSync(join(SIGMAHQ, 'LICENSE')) },
    { name: `${top}/README.md`, body: readFileSync(join(SIGMAHQ, 'README.md')) },
    // Not kept: tests and deprecated rules.
    { name: `${top}/tests/thor.yml`, body: 'x: 1\n' },
  ];
  for (const folder of folders) {
    const dir = join(SIGMAHQ, folder);
    for (const name of (await readdir(dir, { recursive: true })).sort()) {
      if (!/\.ya?ml$/.test(name)) continue;
      entries.push({
        name: `${top}/${relative(SIGMAHQ, join(dir, name))}`,
        body: await readFile(join(dir, name)),
      });
    }
  }
  return tarGz(entries);
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

async function cordon(args: readonly string[], env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const sink = (write: (s: string) => void) => {
    const stream = new PassThrough();
    stream.on('data', (c: Buffer) => write(c.toString()));
    return stream;
  };
  const code = await runCli(args, {
    stdout: sink((s) => (stdout += s)),
    stderr: sink((s) => (stderr += s)),
    stdin: new PassThrough(),
    env,
  });
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout, stderr };
}

describe.skipIf(!available)('cordon rules update: a SigmaHQ release from loopback', () => {
  const files = new Map<string, Buffer>();
  let http: Server;
  let base: string;
  let good: Buffer;

  beforeAll(async () => {
    good = await sigmaRelease([
      'rules/network',
      'rules/linux/builtin',
      'rules-emerging-threats/2024',
    ]);
    files.set('/good.tar.gz', good);
    files.set(
      '/traversal.tar.gz',
      await tarGz([
        { name: 'sigma-x/rules/a.yml', body: 'title: a\n' },
        { name: 'sigma-x/rules/../../../escaped.yml', body: 'title: evil\n' },
      ]),
    );
    files.set(
      '/symlink.tar.gz',
      await tarGz([
        { name: 'sigma-x/rules/link.yml', type: 'symlink', linkname: '/etc/passwd' },
        { name: 'sigma-x/rules/a.yml', body: 'title: a\n' },
      ]),
    );
    files.set(
      '/big.tar.gz',
      await tarGz([{ name: 'sigma-x/rules/big.yml', body: Buffer.alloc(2 * 1024 * 1024, 0x61) }]),
    );
    http = createHttpServer((request, response) => {
      const body = files.get(request.url ?? '');
      if (body === undefined) return void response.writeHead(404).end();
      response.writeHead(200, { 'content-type': 'application/gzip' }).end(body);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => http.close(() => resolve())));

  const dataEnv = (): NodeJS.ProcessEnv => {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CORDON_DATA_DIR: mkdtempSync(join(tmpdir(), 'cordon-rules-')),
    };
    delete env['CORDON_DATABASE_URL'];
    return env;
  };
  const packDir = (env: NodeJS.ProcessEnv) => join(env['CORDON_DATA_DIR']!, 'rules', 'packs');

  it('verifies the checksum, installs with licence and attribution, and counts what loads', async () => {
    const env = dataEnv();
    const run = await cordon(
      [
        'rules',
        'update',
        '--url',
        `${base}/good.tar.gz`,
        '--sha256',
        sha256(good),
        '--release-version',
        'r2099-01-01',
        '--json',
      ],
      env,
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const manifest = JSON.parse(run.stdout) as Record<string, unknown> & {
      rules: { loaded: number; rejected: number };
    };
    expect(manifest).toMatchObject({
      pack: 'sigmahq',
      version: 'r2099-01-01',
      sha256: sha256(good),
    });
    const dir = join(packDir(env), 'sigmahq');
    expect(existsSync(join(dir, 'LICENSE'))).toBe(true);
    expect(readFileSync(join(dir, 'ATTRIBUTION.md'), 'utf8')).toMatch(
      /Detection Rule License \(DRL\) 1\.1/,
    );
    expect(existsSync(join(dir, 'tests'))).toBe(false);
    const shipped = (await readdir(join(SIGMAHQ, 'rules/network'), { recursive: true })).filter(
      (n) => n.endsWith('.yml'),
    ).length;
    expect(manifest.rules.loaded).toBeGreaterThanOrEqual(shipped);
    expect(existsSync(join(dir, 'rules/network/zeek/zeek_dns_mining_pools.yml'))).toBe(true);
    const list = await cordon(['rules', 'list', '--json'], env);
    expect(JSON.parse(list.stdout)).toEqual([
      expect.objectContaining({ pack: 'cordon', enabled: true }),
      expect.objectContaining({
        pack: 'sigmahq',
        version: 'r2099-01-01',
        rules: manifest.rules.loaded,
      }),
    ]);
  });

  it('refuses a wrong checksum, traversal, symlinks and oversized files: nothing half-installed, the old pack intact', async () => {
    const env = dataEnv();
    const first = await cordon(
      ['rules', 'update', '--url', `${base}/good.tar.gz`, '--sha256', sha256(good)],
      env,
    );
    expect(first.code).toBe(0);
    const before = readFileSync(join(packDir(env), 'sigmahq', 'PACK.json'), 'utf8');
    const cases: [string, string, RegExp][] = [
      ['/good.tar.gz', '0'.repeat(64), /checksum_mismatch.*not the pinned 0{64}/],
      [
        '/traversal.tar.gz',
        sha256(files.get('/traversal.tar.gz')!),
        /archive_refused.*leaves its folder/,
      ],
      ['/symlink.tar.gz', sha256(files.get('/symlink.tar.gz')!), /archive_refused.*symlink entry/],
      [
        '/big.tar.gz',
        sha256(files.get('/big.tar.gz')!),
        /archive_refused.*at most 1048576 per file/,
      ],
      ['/missing.tar.gz', '1'.repeat(64), /download_failed.*answered 404/],
    ];
    for (const [path, sum, reason] of cases) {
      const run = await cordon(
        ['rules', 'update', '--url', `${base}${path}`, '--sha256', sum],
        env,
      );
      expect(run.code, path).toBe(1);
      expect(run.stderr, path).toMatch(reason);
      expect(readdirSync(packDir(env)), path).toEqual(['sigmahq']);
      expect(readFileSync(join(packDir(env), 'sigmahq', 'PACK.json'), 'utf8')).toBe(before);
    }
    expect(existsSync(join(env['CORDON_DATA_DIR']!, 'escaped.yml'))).toBe(false);
    expect(existsSync(join(packDir(env), 'escaped.yml'))).toBe(false);
    const unpinned = await cordon(['rules', 'update', '--url', `${base}/good.tar.gz`], {
      ...env,
      CORDON_SIGMAHQ_SHA256: '',
    });
    expect(unpinned.code).toBe(1);
    expect(unpinned.stderr).toMatch(/no_checksum/);
  });

  it('verifies an Ed25519 signature by a configured key before replacing anything, and refuses a wrong one', async () => {
    const env = dataEnv();
    const signer = generateKeyPairSync('ed25519');
    const stranger = generateKeyPairSync('ed25519');
    const keyDir = mkdtempSync(join(tmpdir(), 'cordon-rules-key-'));
    const keyFile = join(keyDir, 'mirror.pub.pem');
    writeFileSync(keyFile, signer.publicKey.export({ type: 'spki', format: 'pem' }));
    // The signature beside the archive, base64 as a text file; raw bytes at another URL.
    files.set(
      '/good.tar.gz.sig',
      Buffer.from(sign(null, good, signer.privateKey).toString('base64') + '\n'),
    );
    files.set('/raw.sig', sign(null, good, signer.privateKey));
    files.set('/stranger.sig', sign(null, good, stranger.privateKey));
    const tampered = Buffer.from(good);
    tampered[tampered.length - 20]! ^= 0xff;
    files.set('/tampered.tar.gz', tampered);
    files.set('/tampered.tar.gz.sig', files.get('/good.tar.gz.sig')!);
    files.set('/garbage.sig', Buffer.from('not a signature'));
    const unpinned = { ...env, CORDON_SIGMAHQ_SHA256: '' };

    const signed = await cordon(
      ['rules', 'update', '--url', `${base}/good.tar.gz`, '--public-key', keyFile, '--json'],
      unpinned,
    );
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    const fingerprint = createHash('sha256')
      .update(signer.publicKey.export({ type: 'spki', format: 'der' }))
      .digest('hex');
    expect(JSON.parse(signed.stdout)).toMatchObject({
      sha256: sha256(good),
      signedBy: fingerprint,
    });
    const before = readFileSync(join(packDir(env), 'sigmahq', 'PACK.json'), 'utf8');

    const raw = await cordon(
      ['rules', 'update', '--url', `${base}/good.tar.gz`, '--signature-url', `${base}/raw.sig`],
      { ...unpinned, CORDON_RULES_PUBLIC_KEY: keyFile },
    );
    expect(raw.stderr).toBe('');
    expect(raw.code).toBe(0);
    const afterRaw = readFileSync(join(packDir(env), 'sigmahq', 'PACK.json'), 'utf8');

    const cases: [string[], RegExp][] = [
      [
        ['--url', `${base}/good.tar.gz`, '--signature-url', `${base}/stranger.sig`],
        /signature_mismatch.*good\.tar\.gz is not signed by the configured public key.*nothing installed/,
      ],
      [['--url', `${base}/tampered.tar.gz`], /signature_mismatch.*tampered\.tar\.gz is not signed/],
      [
        ['--url', `${base}/good.tar.gz`, '--signature-url', `${base}/garbage.sig`],
        /bad_signature_input.*not an Ed25519 signature/,
      ],
      [
        ['--url', `${base}/good.tar.gz`, '--signature-url', `${base}/missing.sig`],
        /download_failed.*missing\.sig answered 404/,
      ],
      // A signature that verifies does not excuse a pinned checksum that does not match.
      [['--url', `${base}/good.tar.gz`, '--sha256', '0'.repeat(64)], /checksum_mismatch/],
    ];
    for (const [flags, reason] of cases) {
      const run = await cordon(['rules', 'update', ...flags, '--public-key', keyFile], unpinned);
      expect(run.code, flags.join(' ')).toBe(1);
      expect(run.stderr, flags.join(' ')).toMatch(reason);
      expect(readdirSync(packDir(env))).toEqual(['sigmahq']);
      expect(readFileSync(join(packDir(env), 'sigmahq', 'PACK.json'), 'utf8')).toBe(afterRaw);
    }
    expect(afterRaw).not.toBe(before); // the second install did replace the first
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsaFile = join(keyDir, 'rsa.pub.pem');
    writeFileSync(rsaFile, rsa.publicKey.export({ type: 'spki', format: 'pem' }));
    const wrongKind = await cordon(
      ['rules', 'update', '--url', `${base}/good.tar.gz`, '--public-key', rsaFile],
      unpinned,
    );
    expect(wrongKind.code).toBe(1);
    expect(wrongKind.stderr).toMatch(
      /bad_signature_input.*rsa; rule packs are signed with Ed25519/,
    );
    const noKey = await cordon(
      ['rules', 'update', '--url', `${base}/good.tar.gz`, '--public-key', join(keyDir, 'none.pem')],
      unpinned,
    );
    expect(noKey.code).toBe(1);
    expect(noKey.stderr).toMatch(/bad_signature_input.*cannot read the public key/);
  });

  for (const dialect of DIALECTS) {
    it.skipIf(!dialectAvailable(dialect))(
      `loaded by the server; disabled for one tenant (journaled), still alerting for another (${dialect})`,
      async () => {
        const env = dataEnv();
        const schema = `rp_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
        if (dialect === 'postgres')
          Object.assign(env, {
            CORDON_DATABASE_URL: postgresUrl(),
            CORDON_DATABASE_SCHEMA: schema,
          });
        expect(
          (
            await cordon(
              ['rules', 'update', '--url', `${base}/good.tar.gz`, '--sha256', sha256(good)],
              env,
            )
          ).code,
        ).toBe(0);
        const tenant = async (name: string) =>
          JSON.parse((await cordon(['tenant', 'create', name, '--json'], env)).stdout) as {
            id: string;
          };
        const [quiet, loud] = [await tenant('Quiet'), await tenant('Loud')];
        const unknown = await cordon(
          ['rules', 'disable', 'nosuch', '--tenant', quiet.id, '--reason', 'x'],
          env,
        );
        expect(unknown.code).not.toBe(0);
        const off = await cordon(
          [
            'rules',
            'disable',
            'sigmahq',
            '--tenant',
            quiet.id,
            '--reason',
            'too noisy for this client',
          ],
          env,
        );
        expect(off.code, off.stderr).toBe(0);
        const listed = JSON.parse(
          (await cordon(['rules', 'list', '--tenant', quiet.id, '--json'], env)).stdout,
        ) as { pack: string; enabled: boolean }[];
        expect(listed.find((p) => p.pack === 'sigmahq')).toMatchObject({
          enabled: false,
          reason: 'too noisy for this client',
        });

        const server = await createServer({
          config: {
            ...defaultServerConfig,
            dataDir: env['CORDON_DATA_DIR']!,
            databaseUrl: dialect === 'postgres' ? postgresUrl() : undefined,
            databaseSchema: dialect === 'postgres' ? schema : undefined,
            port: 0,
          },
          logger: false,
        });
        try {
          const system = { kind: 'system', name: 'test' } as const;
          for (const t of [quiet, loud]) {
            const { token } = await server.services.access.createToken(system, {
              tenantId: t.id,
              role: 'ingest',
            });
            const response = await server.app.inject({
              method: 'POST',
              url: '/api/v1/ingest?format=zeek',
              headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
              payload: ZEEK_TSV_DNS,
            });
            expect(response.json()).toMatchObject({ accepted: 2, deadLettered: 0 });
          }
          const rulesOf = async (tenantId: string) => {
            await vi.waitFor(
              async () => expect(server.detection.service.stats.events).toBeGreaterThanOrEqual(4),
              { timeout: 60_000 },
            );
            const page = await server.detection.alerts.list(
              system,
              tenantId,
              {},
              { limit: 50, offset: 0 },
            );
            return page.items.map((a) => a.ruleId);
          };
          expect(await rulesOf(loud.id)).toContain('bf74135c-18e8-4a72-a926-0e4f47888c19');
          expect(await rulesOf(quiet.id)).not.toContain('bf74135c-18e8-4a72-a926-0e4f47888c19');
          const journal = await server.store.transaction((uow) =>
            uow.forTenant(quiet.id).journal.list({}, 100),
          );
          expect(journal.find((e) => e.kind === 'detection.rule_pack_disabled')).toMatchObject({
            payload: { pack: 'sigmahq', reason: 'too noisy for this client' },
          });
        } finally {
          await server.close();
        }
      },
    );
  }
});
