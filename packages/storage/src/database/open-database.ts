/**
 * Opens the configured database: PostgreSQL when a `postgres://` URL is given, otherwise a
 * SQLite file in the data directory (WAL mode). Either way the caller gets one Kysely instance
 * typed with the same schema.
 */
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import {
  ensurePrivateDirectory,
  ensurePrivateFile,
  restrictFileIfPresent,
} from '../files/private-files.ts';
import type { CordonDatabase } from './schema.ts';
import { NodeSqliteAdapter, NodeSqliteDialect } from './node-sqlite-dialect.ts';
import { startWalCheckpointer, WRITER_CHECKPOINT_PAGES } from './wal-checkpointer.ts';

export type DialectName = 'sqlite' | 'postgres';

export interface Database {
  readonly kysely: Kysely<CordonDatabase>;
  readonly dialect: DialectName;
  /** The raw SQLite handle, for the hot paths that use prepared statements directly. */
  readonly sqlite: DatabaseSync | undefined;
  /** Where the data lives, for messages: a file path or a URL without its password. */
  readonly location: string;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** `postgres://…` selects PostgreSQL; otherwise SQLite in `dataDir`. */
  readonly url?: string | undefined;
  readonly dataDir: string;
  /** PostgreSQL schema to use (created if missing); tests give each run its own. */
  readonly schema?: string | undefined;
  /** SQLite file name inside dataDir. */
  readonly sqliteFile?: string;
  readonly poolSize?: number;
  /** Failures of background work (the SQLite WAL checkpointer), for the server's log. */
  readonly onBackgroundError?: (message: string, error: unknown) => void;
}

const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'] as const;
const INT8_OID = 20;
const NUMERIC_OID = 1700;

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  if (options.url && /^postgres(ql)?:\/\//.test(options.url))
    return openPostgres(options.url, options);
  if (options.url)
    throw new Error(`unsupported database URL '${redact(options.url)}': use postgres://…`);
  return openSqlite(options);
}

function openSqlite(options: OpenDatabaseOptions): Database {
  ensurePrivateDirectory(options.dataDir);
  const path = join(options.dataDir, options.sqliteFile ?? 'cordon.db');
  // SQLite would create the file 0644; made 0600 first, its -wal and -shm files copy its mode.
  ensurePrivateFile(path);
  for (const suffix of SQLITE_COMPANIONS) restrictFileIfPresent(path + suffix);
  const raw = new DatabaseSync(path);
  raw.exec('PRAGMA journal_mode = WAL');
  for (const suffix of SQLITE_COMPANIONS) restrictFileIfPresent(path + suffix);
  // NORMAL in WAL mode: a committed transaction survives a process crash; only an OS crash or
  // power loss can drop the last commits. FULL would fsync every commit.
  raw.exec('PRAGMA synchronous = NORMAL');
  raw.exec('PRAGMA foreign_keys = ON');
  raw.exec('PRAGMA busy_timeout = 10000');
  // The log is checkpointed on another thread; this connection only as a safety net.
  raw.exec(`PRAGMA wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
  const checkpointer = startWalCheckpointer(path, options.onBackgroundError);
  const adapter = new NodeSqliteAdapter(raw);
  const kysely = new Kysely<CordonDatabase>({ dialect: new NodeSqliteDialect(adapter) });
  return {
    kysely,
    dialect: 'sqlite',
    sqlite: raw,
    location: path,
    close: async () => {
      await kysely.destroy();
      await checkpointer.close();
    },
  };
}

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`invalid PostgreSQL schema name '${schema}'`);
  }
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
    types: {
      getTypeParser: ((oid: number, format?: string): unknown =>
        oid === INT8_OID || oid === NUMERIC_OID
          ? (value: string) => Number(value)
          : (pg.types.getTypeParser(
              oid,
              format as 'text',
            ) as unknown)) as typeof pg.types.getTypeParser,
    },
  });
  // A pool error (server restart) must not crash the process; the next query reports it.
  pool.on('error', () => undefined);
  const kysely = new Kysely<CordonDatabase>({ dialect: new PostgresDialect({ pool }) });
  return {
    kysely,
    dialect: 'postgres',
    sqlite: undefined,
    location: redact(url) + (schema ? ` (schema ${schema})` : ''),
    close: async () => {
      await kysely.destroy();
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
