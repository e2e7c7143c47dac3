/**
 * Kysely's SQLite dialect over Node's built-in `node:sqlite` (no native addon). The adapter
 * caches prepared statements by SQL text, converts booleans (which node:sqlite does not bind)
 * to 0/1, and begins transactions IMMEDIATE so that a second process writing the same file
 * waits on the busy timeout instead of failing when it upgrades a read lock.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { DatabaseConnection, Driver, SqliteDatabase, SqliteStatement } from 'kysely';
import { CompiledQuery, SqliteDialect, SqliteDriver } from 'kysely';

const STATEMENT_CACHE_SIZE = 256;

type SqlValue = null | number | bigint | string | Uint8Array;

function bindable(parameters: ReadonlyArray<unknown>): SqlValue[] {
  return parameters.map((p) => {
    if (typeof p === 'boolean') return p ? 1 : 0;
    if (p === undefined) return null;
    return p as SqlValue;
  });
}

class CachedStatement implements SqliteStatement {
  readonly reader: boolean;
  readonly #statement: StatementSync;

  constructor(statement: StatementSync) {
    this.#statement = statement;
    this.reader = statement.columns().length > 0;
  }

  all(parameters: ReadonlyArray<unknown>): unknown[] {
    return this.#statement.all(...bindable(parameters));
  }

  run(parameters: ReadonlyArray<unknown>): {
    changes: number | bigint;
    lastInsertRowid: number | bigint;
  } {
    return this.#statement.run(...bindable(parameters));
  }

  iterate(parameters: ReadonlyArray<unknown>): IterableIterator<unknown> {
    return this.#statement.iterate(...bindable(parameters)) as IterableIterator<unknown>;
  }
}

export class NodeSqliteAdapter implements SqliteDatabase {
  readonly raw: DatabaseSync;
  readonly #cache = new Map<string, CachedStatement>();

  constructor(raw: DatabaseSync) {
    this.raw = raw;
  }

  prepare(sql: string): SqliteStatement {
    let statement = this.#cache.get(sql);
    if (statement) {
      // Refresh recency: Map iteration order is insertion order.
      this.#cache.delete(sql);
    } else {
      statement = new CachedStatement(this.raw.prepare(sql));
      if (this.#cache.size >= STATEMENT_CACHE_SIZE) {
        const oldest = this.#cache.keys().next().value;
        if (oldest !== undefined) this.#cache.delete(oldest);
      }
    }
    this.#cache.set(sql, statement);
    return statement;
  }

  close(): void {
    this.#cache.clear();
    if (this.raw.isOpen) this.raw.close();
  }
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

export class NodeSqliteDialect extends SqliteDialect {
  readonly #adapter: NodeSqliteAdapter;

  constructor(adapter: NodeSqliteAdapter) {
    super({ database: adapter });
    this.#adapter = adapter;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.#adapter });
  }
}
