/** Opens the configured database, migrates it to the latest schema and wraps it as a `Store`. */
import type { Clock } from '@cordon/core';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { OpenDatabaseOptions } from './database/open-database.ts';
import { openDatabase } from './database/open-database.ts';
import { ensurePrivateDirectory } from './files/private-files.ts';
import { KyselyStore } from './kysely-store.ts';
import { migrateToLatest } from './migrations/migrate.ts';

export async function openStore(
  options: OpenDatabaseOptions & { clock?: Clock },
): Promise<KyselyStore> {
  // Keys, evidence and TLS material live in the data directory with either database.
  ensurePrivateDirectory(options.dataDir);
  const database = await openDatabase(options);
  try {
    const kysely = database.kysely as unknown as Kysely<unknown>;
    // The migrator looks its tables up by name; on PostgreSQL it must look in this store's own
    // schema, or a table of that name in another schema (another store on the same database)
    // passes for ours and the migration fails on a relation that does not exist here.
    const schema =
      database.dialect === 'postgres'
        ? (options.schema ??
          (await sql<{ schema: string }>`select current_schema() as schema`.execute(kysely)).rows[0]
            ?.schema)
        : undefined;
    await migrateToLatest(kysely, schema);
  } catch (error) {
    await database.close();
    throw error;
  }
  return new KyselyStore(database, options.clock);
}
