/**
 * The SQLite hot path: events go in through cached multi-row INSERT statements on the raw
 * `node:sqlite` handle (64, 8 and 1 rows per statement), inside the caller's transaction.
 * Building rows through Kysely would cost an object graph and a compile per row.
 */
import type { DatabaseSync, StatementSync } from 'node:sqlite';
import type { EventRow } from './event-row.ts';

const COLUMNS =
  'id, tenant_key, ts, ingested_at, host, user_name, source_ip, destination_ip, event_code, code_num, category, dataset, doc, provenance, provenance_kind';
const COLUMN_COUNT = 15;
const CHUNK_SIZES = [64, 8, 1] as const;

type SqlValue = string | number | null;

interface WriterStatements {
  readonly inserts: ReadonlyMap<number, StatementSync>;
  readonly ledgerGet: StatementSync;
  readonly ledgerPut: StatementSync;
}

const statementsByHandle = new WeakMap<DatabaseSync, WriterStatements>();

function statements(raw: DatabaseSync): WriterStatements {
  let s = statementsByHandle.get(raw);
  if (!s) {
    const row = `(${Array<string>(COLUMN_COUNT).fill('?').join(', ')})`;
    s = {
      inserts: new Map(
        CHUNK_SIZES.map((n) => [
          n,
          raw.prepare(
            `INSERT INTO events (${COLUMNS}) VALUES ${Array<string>(n).fill(row).join(', ')}`,
          ),
        ]),
      ),
      ledgerGet: raw.prepare('SELECT ids FROM event_batches WHERE tenant_id = ? AND batch_id = ?'),
      ledgerPut: raw.prepare(
        'INSERT INTO event_batches (tenant_id, batch_id, ids, created_at) VALUES (?, ?, ?, ?)',
      ),
    };
    statementsByHandle.set(raw, s);
  }
  return s;
}

/** The ids a batch id was stored with, when it was. */
export function sqliteLedgerIds(
  raw: DatabaseSync,
  tenantId: string,
  batchId: string,
): string[] | undefined {
  const row = statements(raw).ledgerGet.get(tenantId, batchId) as { ids: string } | undefined;
  return row ? (JSON.parse(row.ids) as string[]) : undefined;
}

/** Inserts the rows and records the batch; the caller holds the transaction. */
export function sqliteInsertBatch(
  raw: DatabaseSync,
  options: {
    tenantId: string;
    tenantKey: number;
    batchId: string;
    rows: readonly EventRow[];
    now: number;
  },
): void {
  const { tenantId, tenantKey, rows } = options;
  const s = statements(raw);
  let offset = 0;
  for (const size of CHUNK_SIZES) {
    const statement = s.inserts.get(size)!;
    const values: SqlValue[] = new Array<SqlValue>(size * COLUMN_COUNT);
    while (rows.length - offset >= size) {
      for (let i = 0; i < size; i++) {
        const r = rows[offset + i]!;
        const base = i * COLUMN_COUNT;
        values[base] = r.id;
        values[base + 1] = tenantKey;
        values[base + 2] = r.ts;
        values[base + 3] = r.ingestedAt;
        values[base + 4] = r.host;
        values[base + 5] = r.userName;
        values[base + 6] = r.sourceIp;
        values[base + 7] = r.destinationIp;
        values[base + 8] = r.eventCode;
        values[base + 9] = r.codeNum;
        values[base + 10] = r.category;
        values[base + 11] = r.dataset;
        values[base + 12] = r.doc;
        values[base + 13] = r.provenance;
        values[base + 14] = r.provenanceKind;
      }
      statement.run(...values);
      offset += size;
    }
  }
  s.ledgerPut.run(tenantId, options.batchId, JSON.stringify(rows.map((r) => r.id)), options.now);
}
