/** Opens the configured database, migrates it to the latest schema and wraps it as a `Store`. */
import type { Clock } from '@cordon/core';
import type { Kysely } from 'kysely';
import type { OpenDatabaseOptions } from './database/open-database.ts';
import { openDatabase } from './database/open-database.ts';
import { KyselyStore } from './kysely-store.ts';
import { migrateToLatest } from './migrations/migrate.ts';

export async function openStore(
  options: OpenDatabaseOptions & { clock?: Clock },
): Promise<KyselyStore> {
  const database = await openDatabase(options);
  try {
    await migrateToLatest(database.kysely as unknown as Kysely<unknown>);
  } catch (error) {
    await database.close();
    throw error;
  }
  return new KyselyStore(database, options.clock);
}
