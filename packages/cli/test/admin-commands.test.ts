/**
 * The admin commands as a user runs them: the real `cordon` launcher in a child process, on a
 * real SQLite file or PostgreSQL schema, including `verify journal` against rows tampered with
 * directly in the database.
 */
import { DIALECTS, dialectAvailable, postgresUrl } from '@cordon/storage/testing';
import { openDatabase } from '@cordon/storage';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const launcher = resolve(import.meta.dirname, '../bin/cordon.js');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`cordon admin commands (${dialect})`, () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cordon-cli-test-'));
    const schema = `c_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CORDON_DATA_DIR: dataDir,
      CORDON_DATABASE_URL: dialect === 'postgres' ? postgresUrl() : '',
      CORDON_DATABASE_SCHEMA: dialect === 'postgres' ? schema : '',
    };
    if (dialect === 'sqlite') {
      delete env['CORDON_DATABASE_URL'];
      delete env['CORDON_DATABASE_SCHEMA'];
    }
    const cordon = (...args: string[]): Promise<Run> =>
      new Promise((done) => {
        execFile(
          process.execPath,
          [launcher, ...args],
          { env, timeout: 60_000 },
          (error, stdout, stderr) =>
            done({
              code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
              stdout,
              stderr,
            }),
        );
      });
    const tamper = async (
      statement: (tenantId: string) => ReturnType<typeof sql>,
      tenantId: string,
    ) => {
      const db = await openDatabase({
        url: env['CORDON_DATABASE_URL'],
        dataDir,
        schema: env['CORDON_DATABASE_SCHEMA'] || undefined,
      });
      try {
        await statement(tenantId).execute(db.kysely);
      } finally {
        await db.close();
      }
    };
    let tenantId: string;

    beforeAll(async () => {
      const created = await cordon('tenant', 'create', 'Acme Corp', '--json');
      expect(created.stderr).toBe('');
      tenantId = JSON.parse(created.stdout).id;
    });
    afterAll(async () => {
      if (dialect === 'postgres') {
        const client = new pg.Client({ connectionString: postgresUrl() });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('creates tenants, users and tokens with --json output', async () => {
      const again = await cordon('tenant', 'create', 'Acme Corp', '--json');
      expect(again.code).toBe(1);
      expect(again.stderr).toMatch(/already exists/);
      const token = await cordon(
        'token',
        'create',
        '--tenant',
        tenantId,
        '--role',
        'analyst',
        '--json',
      );
      expect(token.code).toBe(0);
      expect(JSON.parse(token.stdout).token).toMatch(/^cdn_[A-Za-z0-9_-]{43}$/);
      const byName = await cordon(
        'token',
        'create',
        '--tenant',
        'Acme Corp',
        '--role',
        'responder',
        '--json',
      );
      expect(byName.code).toBe(0);
      const user = await cordon(
        'user',
        'create',
        '--tenant',
        tenantId,
        '--email',
        'ana@mssp.example',
        '--role',
        'incident_lead',
        '--json',
      );
      expect(JSON.parse(user.stdout)).toMatchObject({
        email: 'ana@mssp.example',
        role: 'incident_lead',
        created: true,
        password: expect.any(String),
      });
      const bad = await cordon('token', 'create', '--tenant', tenantId, '--role', 'overlord');
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/--role must be one of/);
      const unknownFlag = await cordon('tenant', 'create', 'X', '--colour');
      expect(unknownFlag.code).toBe(2);
      const help = await cordon('verify', 'journal', '--help');
      expect(help.stdout).toMatch(/Usage: cordon verify journal --tenant T/);
    });

    it('verifies the journal and names the entry that was changed, deleted, reordered or inserted', async () => {
      const ok = await cordon('verify', 'journal', '--tenant', tenantId);
      expect(ok.code, ok.stderr).toBe(0);
      expect(ok.stdout).toMatch(/OK — 5 entries, [1-9]\d* signed checkpoints verified, head at 5/);

      await tamper(
        (t) =>
          sql`UPDATE journal_entries SET actor = 'user:nobody' WHERE tenant_id = ${t} AND seq = 2`,
        tenantId,
      );
      const result = await cordon('verify', 'journal', '--tenant', tenantId, '--json');
      expect(result.code).toBe(1);
      expect(JSON.parse(result.stdout)).toMatchObject({ ok: false, failure: { seq: 2 } });
      const text = await cordon('verify', 'journal', '--tenant', 'Acme Corp');
      expect(text.stdout).toMatch(/FAILED at entry 2: entry 2 was altered/);
    });

    it('names a deleted entry and a reordered pair', async () => {
      const created = await cordon('tenant', 'create', 'Globex', '--json');
      expect(created.code, created.stderr).toBe(0);
      const other = JSON.parse(created.stdout).id as string;
      for (let i = 0; i < 4; i++)
        await cordon('token', 'create', '--tenant', other, '--role', 'analyst');
      expect((await cordon('verify', 'journal', '--tenant', other)).code).toBe(0);
      await tamper(
        (t) => sql`UPDATE journal_entries SET seq = 100 WHERE tenant_id = ${t} AND seq = 2`,
        other,
      );
      await tamper(
        (t) => sql`UPDATE journal_entries SET seq = 2 WHERE tenant_id = ${t} AND seq = 3`,
        other,
      );
      await tamper(
        (t) => sql`UPDATE journal_entries SET seq = 3 WHERE tenant_id = ${t} AND seq = 100`,
        other,
      );
      const reordered = await cordon('verify', 'journal', '--tenant', other);
      expect(reordered.code).toBe(1);
      expect(reordered.stdout).toMatch(/FAILED at entry 2/);
      await tamper(
        (t) => sql`DELETE FROM journal_entries WHERE tenant_id = ${t} AND seq = 2`,
        other,
      );
      const deleted = await cordon('verify', 'journal', '--tenant', other);
      expect(deleted.stdout).toMatch(/FAILED at entry 2: entry 2 is missing/);
    });
  });
}
