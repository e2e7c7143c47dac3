/** @cordon/storage public API: opening the database, the Store, blobs and keys. */
export { openDatabase } from './database/open-database.ts';
export type { Database, DialectName, OpenDatabaseOptions } from './database/open-database.ts';
export { migrateToLatest, registerMigration } from './migrations/migrate.ts';
export { KyselyStore } from './kysely-store.ts';
export { openStore } from './open-store.ts';
export { FileBlobStore } from './blobs/file-blob-store.ts';
export {
  loadOrCreateServerKey,
  serverKeyPaths,
  signatureVerifier,
  keyIdOf,
} from './keys/server-key.ts';
export type { ServerKey } from './keys/server-key.ts';
export { loadOrCreateSecretBox, secretBoxKeyPath } from './keys/secret-box.ts';
export { verifyStoredJournal } from './journal-verification.ts';
export type { StoredJournalAnchors } from './journal-verification.ts';
export { FileWitness, defaultWitnessPath, witnessPathFrom } from './witness/file-witness.ts';
export { readWitness } from './witness/read-witness.ts';
export { witnessLine, parseWitnessLine } from './witness/witness-line.ts';
export { KyselyEventStore, SQLITE_CACHE_KIB } from './events/kysely-event-store.ts';
export { EventPartitions } from './events/event-partitions.ts';
export { bulkLoad } from './bulk/bulk-loader.ts';
export type { BulkLoad } from './bulk/bulk-loader.ts';
export { consoleLoad } from './bulk/console-load.ts';
export type { ConsoleLoad, ConsoleLoadOptions } from './bulk/console-load.ts';
