/**
 * The PostgreSQL hot path: one INSERT per batch whose rows come from `unnest` over one array
 * parameter per column, so a batch of thousands of events is one statement and one round trip;
 * PostgreSQL routes each row to its day partition. Partitions are made beforehand
 * (event-partitions.ts). jsonb refuses the NUL character, which JSON text may escape as
 * `\u0000`: it is stored as U+FFFD instead.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { EventRow } from './event-row.ts';

const NUL_ESCAPE = /(?<!\\)((?:\\\\)*)\\u0000/g;

export async function postgresInsertEvents(
  db: Kysely<unknown>,
  tenantKey: number,
  rows: readonly EventRow[],
): Promise<void> {
  if (rows.length === 0) return;
  const column = <T>(pick: (r: EventRow) => T): T[] => rows.map(pick);
  await sql`INSERT INTO events (id, tenant_key, ts, ingested_at, host, user_name, source_ip, destination_ip, event_code, code_num, category, dataset, doc, provenance, provenance_kind)
    SELECT r.id, ${tenantKey}::integer, r.ts, r.ingested_at, r.host, r.user_name, r.source_ip, r.destination_ip, r.event_code, r.code_num, r.category, r.dataset, r.doc, r.provenance, r.provenance_kind
    FROM unnest(
      ${column((r) => r.id)}::text[],
      ${column((r) => r.ts)}::bigint[],
      ${column((r) => r.ingestedAt)}::bigint[],
      ${column((r) => r.host)}::text[],
      ${column((r) => r.userName)}::text[],
      ${column((r) => r.sourceIp)}::text[],
      ${column((r) => r.destinationIp)}::text[],
      ${column((r) => r.eventCode)}::text[],
      ${column((r) => r.codeNum)}::bigint[],
      ${column((r) => r.category)}::text[],
      ${column((r) => r.dataset)}::text[],
      ${column((r) => r.doc.replace(NUL_ESCAPE, '$1\\ufffd'))}::jsonb[],
      ${column((r) => r.provenance.replace(NUL_ESCAPE, '$1\\ufffd'))}::jsonb[],
      ${column((r) => r.provenanceKind)}::text[]
    ) AS r(id, ts, ingested_at, host, user_name, source_ip, destination_ip, event_code, code_num, category, dataset, doc, provenance, provenance_kind)`.execute(
    db,
  );
}
