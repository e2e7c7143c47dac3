/**
 * `cordon ingest` and `cordon deadletter` as a user runs them: the real launcher against a real
 * server (SQLite file). Text and JSON-lines files, an EVTX file (read by the CLI, sent as its
 * JSON), a re-run that stores nothing twice, the dead letters listed and replayed — and an
 * EVTX file uploaded as it is (`application/octet-stream`), which the server reads itself.
 */
import type { CordonServer } from '@cordon/server';
import { createServer, defaultServerConfig } from '@cordon/server';
import { parseQuery } from '@cordon/core';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZEEK_TSV_CONN, ZEEK_TSV_SSH } from '@cordon/ingest/testing/sensors';

const launcher = resolve(import.meta.dirname, '../bin/cordon.js');
const evtxFile = resolve(
  import.meta.dirname,
  '../../../../shared/data/evtx/parser-edge-cases/new-user-security.evtx',
);

describe('cordon ingest and cordon deadletter', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cordon-ingest-cli-'));
  let server: CordonServer;
  let url: string;
  let tenantId: string;
  let ingestToken: string;
  let analystToken: string;
  beforeAll(async () => {
    server = await createServer({
      config: { ...defaultServerConfig, dataDir: join(dir, 'data'), port: 0, agentPort: 0 },
      logger: false,
    });
    const system = { kind: 'system', name: 'test' } as const;
    tenantId = (await server.services.access.createTenant(system, 'acme')).id;
    ingestToken = (await server.services.access.createToken(system, { tenantId, role: 'ingest' }))
      .token;
    analystToken = (await server.services.access.createToken(system, { tenantId, role: 'analyst' }))
      .token;
    url = await server.app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const cordon = (
    token: string,
    ...args: string[]
  ): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((done) =>
      execFile(
        process.execPath,
        [launcher, ...args],
        { env: { ...process.env, CORDON_SERVER: url, CORDON_TOKEN: token } },
        (error, stdout, stderr) =>
          done({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      ),
    );
  const count = (query: string) =>
    server.store.events.count(tenantId, { query: parseQuery(query) });

  it('sends files in batches, and a re-run stores nothing twice', async () => {
    const auth = join(dir, 'auth.log');
    const lines = Array.from(
      { length: 2500 },
      (_, n) =>
        `Oct 11 22:${String(10 + (Math.floor(n / 60) % 50)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')} cli-host sshd[${n}]: Failed password for root from 198.51.100.${n % 200} port ${40000 + n} ssh2`,
    );
    writeFileSync(auth, `${lines.join('\n')}\nnot a log line\n`);
    const zeek = join(dir, 'conn.log');
    writeFileSync(
      zeek,
      '{"ts":1728684855.1,"uid":"C1","id.orig_h":"10.0.0.9","id.orig_p":5050,"id.resp_h":"10.0.0.5","id.resp_p":22,"proto":"tcp"}\n',
    );
    const first = await cordon(ingestToken, 'ingest', '--batch', '1000', '--json', auth, zeek);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout)).toMatchObject({
      files: 2,
      batches: 4,
      records: 2502,
      accepted: 2501,
      deadLettered: 1,
      duplicateBatches: 0,
    });
    const again = await cordon(ingestToken, 'ingest', '--batch', '1000', auth, zeek);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(
      /2501 events stored, 0 dead-lettered, 4 batches already stored before/,
    );
    expect(await count('host.name:"cli-host"')).toBe(2500);
    expect(await count('log_source.product:zeek')).toBe(1);
  });

  it('a Zeek TSV file cut into batches: each batch carries the header in force', async () => {
    // Two logs concatenated (conn then ssh), cut every 2 lines: most batches start mid-log.
    const file = join(dir, 'zeek-tsv.log');
    writeFileSync(file, ZEEK_TSV_CONN + ZEEK_TSV_SSH);
    const rows = (ZEEK_TSV_CONN + ZEEK_TSV_SSH)
      .split('\n')
      .filter((l) => l !== '' && !l.startsWith('#')).length;
    const sent = await cordon(
      ingestToken,
      'ingest',
      '--batch',
      '2',
      '--format',
      'zeek',
      '--json',
      file,
    );
    expect(sent.stderr).toBe('');
    expect(JSON.parse(sent.stdout)).toMatchObject({ accepted: rows, deadLettered: 0 });
    expect(await count('event.dataset:"zeek.conn" AND fields._path:conn')).toBe(3);
    expect(await count('event.dataset:"zeek.ssh"')).toBe(3);
  });

  it.skipIf(!existsSync(evtxFile))('sends an EVTX file record by record', async () => {
    const before = await count('log_source.product:windows');
    const sent = await cordon(ingestToken, 'ingest', '--json', evtxFile);
    const summary = JSON.parse(sent.stdout) as { accepted: number; records: number };
    expect(summary.accepted).toBeGreaterThan(0);
    expect(summary.accepted).toBe(summary.records);
    expect(await count('log_source.product:windows')).toBe(before + summary.accepted);
    // The same file uploaded whole: the server reads the EVTX itself, to the same events.
    const response = await fetch(`${url}/api/v1/ingest?format=evtx`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${ingestToken}`,
        'content-type': 'application/octet-stream',
      },
      body: readFileSync(evtxFile),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ accepted: summary.accepted, deadLettered: 0 });
    expect(await count('log_source.product:windows')).toBe(before + 2 * summary.accepted);
  });

  it('lists and replays dead letters', async () => {
    const list = await cordon(analystToken, 'deadletter', 'list', '--json');
    const page = JSON.parse(list.stdout) as {
      total: number;
      items: { id: string; code: string }[];
    };
    expect(page.total).toBe(1);
    expect(page.items[0]!.code).toBe('unrecognised_format');
    const text = await cordon(analystToken, 'deadletter', 'list');
    expect(text.stdout).toMatch(/unrecognised_format[\s\S]*not a log line/);
    const replay = await cordon(analystToken, 'deadletter', 'replay', page.items[0]!.id);
    expect(replay.stdout).toMatch(/tried 1: 0 replayed .* 1 still failing/);
    const refused = await cordon(ingestToken, 'deadletter', 'replay', '--all');
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/may not/);
  });

  it('says what is wrong when the server is not there', async () => {
    const file = join(dir, 'one.log');
    writeFileSync(file, 'Oct 11 22:14:15 h sshd[1]: Connection closed by 10.0.0.1 port 22\n');
    const gone = await cordon(
      ingestToken,
      'ingest',
      '--server',
      'http://127.0.0.1:9',
      '--attempts',
      '2',
      file,
    );
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/gave up after 2 attempts: cannot reach/);
    expect(gone.stderr).toMatch(/run the same command again/);
  });
});
