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
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const launcher = resolve(import.meta.dirname, '../bin/cordon.js');

// Each case runs the launcher several times in child processes: on a loaded machine that
// takes long, which is not what these tests are about.
vi.setConfig({ testTimeout: 180_000 });

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
    const cordonWith = (extraEnv: NodeJS.ProcessEnv, ...args: string[]): Promise<Run> =>
      new Promise((done) => {
        execFile(
          process.execPath,
          [launcher, ...args],
          { env: { ...env, ...extraEnv }, timeout: 120_000 },
          (error, stdout, stderr) =>
            done({
              code: error ? (typeof error.code === 'number' ? error.code : 1) : 0,
              stdout,
              stderr,
            }),
        );
      });
    const cordon = (...args: string[]): Promise<Run> => cordonWith({}, ...args);
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

    describe('issue 13 item 4: cut tails, deleted checkpoints and chain gaps fail verification', () => {
      const witness = join(dataDir, 'witness', 'journal-witness.jsonl');
      /** A tenant whose journal has 3 chained checkpoints (each admin command signs one). */
      const journalWithCheckpoints = async (name: string): Promise<string> => {
        const created = await cordon('tenant', 'create', name, '--json');
        expect(created.code, created.stderr).toBe(0);
        const id = JSON.parse(created.stdout).id as string;
        for (let i = 0; i < 2; i++)
          await cordon('token', 'create', '--tenant', id, '--role', 'analyst');
        const ok = await cordon('verify', 'journal', '--tenant', id);
        expect(ok.code, ok.stdout + ok.stderr).toBe(0);
        expect(ok.stdout).toMatch(
          new RegExp(
            `OK — 3 entries, 3 signed checkpoints verified, head at 3; checked against the witness ${witness} \\(3 checkpoints\\)`,
          ),
        );
        return id;
      };

      it('fails on a tail deleted together with the checkpoint that covered it', async () => {
        const id = await journalWithCheckpoints('Tail Cut Ltd');
        await tamper(
          (t) => sql`DELETE FROM journal_entries WHERE tenant_id = ${t} AND seq = 3`,
          id,
        );
        await tamper(
          (t) => sql`DELETE FROM journal_checkpoints WHERE tenant_id = ${t} AND seq = 3`,
          id,
        );
        const result = await cordon('verify', 'journal', '--tenant', id);
        expect(result.code).toBe(1);
        expect(result.stdout).toMatch(
          /FAILED at entry 3: the tail was cut: the witness \(line \d+\) records checkpoint 3 \(entry 3\), signed at .*; the database's newest is checkpoint 2 \(entry 2\): checkpoint 3 and entry 3 are missing/,
        );
        // Without the witness, the head recorded elsewhere tells the same.
        const expected = await cordonWith(
          { CORDON_JOURNAL_WITNESS: join(dataDir, 'no-such-witness') },
          'verify',
          'journal',
          '--tenant',
          id,
          '--expect-head',
          '3',
        );
        expect(expected.code).toBe(1);
        expect(expected.stdout).toMatch(
          /FAILED at entry 3: entry 3 is missing: the expected head is entry 3, the database's is 2/,
        );
      });

      it('fails when every checkpoint was deleted', async () => {
        const id = await journalWithCheckpoints('No Checkpoints Ltd');
        await tamper((t) => sql`DELETE FROM journal_checkpoints WHERE tenant_id = ${t}`, id);
        const alone = await cordonWith(
          { CORDON_JOURNAL_WITNESS: join(dataDir, 'no-such-witness') },
          'verify',
          'journal',
          '--tenant',
          id,
        );
        expect(alone.code).toBe(1);
        expect(alone.stdout).toMatch(
          /FAILED at entry 1: no signed checkpoint covers entries 1–3: the journal has no checkpoints/,
        );
        const witnessed = await cordon('verify', 'journal', '--tenant', id, '--json');
        expect(witnessed.code).toBe(1);
        expect(JSON.parse(witnessed.stdout)).toMatchObject({
          ok: false,
          failure: {
            seq: 1,
            reason: expect.stringMatching(/checkpoints 1–3 and entries 1–3 are missing/),
          },
        });
      });

      it('fails on a gap in the checkpoint chain, and on entries left uncovered', async () => {
        const id = await journalWithCheckpoints('Gap Ltd');
        await tamper(
          (t) => sql`DELETE FROM journal_checkpoints WHERE tenant_id = ${t} AND seq = 2`,
          id,
        );
        const gap = await cordon('verify', 'journal', '--tenant', id);
        expect(gap.code).toBe(1);
        expect(gap.stdout).toContain(
          'FAILED at entry 2: checkpoint 2 is missing: checkpoint 1 (entry 1) is followed by checkpoint 3 (entry 3)',
        );
        await tamper(
          (t) => sql`DELETE FROM journal_checkpoints WHERE tenant_id = ${t} AND seq > 1`,
          id,
        );
        const later = new Date(Date.now() + 10 * 60_000).toISOString();
        const uncovered = await cordonWith(
          { CORDON_JOURNAL_WITNESS: join(dataDir, 'no-such-witness') },
          'verify',
          'journal',
          '--tenant',
          id,
          '--now',
          later,
        );
        expect(uncovered.code).toBe(1);
        expect(uncovered.stdout).toMatch(
          /FAILED at entry 2: no signed checkpoint covers entries 2–3: entry 2 was written at .*, more than 70 s before now/,
        );
      });

      it('takes the expected head and an explicit witness, and refuses bad ones', async () => {
        const id = await journalWithCheckpoints('Anchored Ltd');
        const ok = await cordon(
          'verify',
          'journal',
          '--tenant',
          id,
          '--witness',
          witness,
          '--expect-head',
          '3',
        );
        expect(ok.code, ok.stdout).toBe(0);
        expect(ok.stdout).toMatch(
          /head at 3; checked against the witness .* and the expected head 3\n/,
        );
        const beyond = await cordon('verify', 'journal', '--tenant', id, '--expect-head', '9');
        expect(beyond.stdout).toMatch(/FAILED at entry 4: entries 4–9 are missing/);
        const usage = await cordon('verify', 'journal', '--tenant', id, '--expect-head', 'x');
        expect(usage.code).toBe(2);
        const missing = await cordon(
          'verify',
          'journal',
          '--tenant',
          id,
          '--witness',
          '/nonexistent',
        );
        expect(missing.code).toBe(2);
        expect(missing.stderr).toMatch(/no witness file at \/nonexistent/);
      });
    });
  });
}
