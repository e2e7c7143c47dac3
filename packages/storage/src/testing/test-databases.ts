/**
 * Test databases for both dialects, so that every repository test runs on SQLite and on
 * PostgreSQL (`for (const dialect of DIALECTS)`). PostgreSQL comes from
 * CORDON_TEST_DATABASE_URL; each store gets a schema of its own, dropped at close. Without the
 * URL PostgreSQL tests are skipped with a message — except under CI=true, where that is an
 * error, because CI must prove both dialects.
 */
import type { Clock } from '@cordon/core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DialectName } from '../database/open-database.ts';
import type { KyselyStore } from '../kysely-store.ts';
import { openStore } from '../open-store.ts';

export const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

export function postgresUrl(): string | undefined {
  const url = process.env['CORDON_TEST_DATABASE_URL'];
  if (!url && process.env['CI'] === 'true') {
    throw new Error(
      'CI=true but CORDON_TEST_DATABASE_URL is not set: PostgreSQL tests must run in CI',
    );
  }
  return url;
}

/** True when tests for `dialect` can run here; logs why not once. */
export function dialectAvailable(dialect: DialectName): boolean {
  if (dialect === 'sqlite') return true;
  const url = postgresUrl();
  if (!url) {
    console.warn(
      'skipping PostgreSQL tests: set CORDON_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
    );
  }
  return url !== undefined;
}

export interface TestStore {
  readonly store: KyselyStore;
  readonly dataDir: string;
  readonly url: string | undefined;
  readonly schema: string | undefined;
  dispose(): Promise<void>;
}

export async function openTestStore(dialect: DialectName, clock?: Clock): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cordon-test-'));
  const url = dialect === 'postgres' ? postgresUrl() : undefined;
  const schema =
    dialect === 'postgres'
      ? `t_${process.pid}_${Math.random().toString(36).slice(2, 10)}`
      : undefined;
  const store = await openStore({ url, dataDir, schema, ...(clock ? { clock } : {}) });
  return {
    store,
    dataDir,
    url,
    schema,
    dispose: async () => {
      await store.close();
      if (url && schema) {
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await client.end();
      }
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
