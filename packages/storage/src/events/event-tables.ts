/** The event store's tables as Kysely sees them (kept apart from the transactional schema). */
import type { Generated } from 'kysely';

export interface EventsTable {
  seq?: number;
  id: string;
  tenant_key: number;
  ts: number;
  ingested_at: number;
  host: string | null;
  user_name: string | null;
  source_ip: string | null;
  destination_ip: string | null;
  event_code: string | null;
  code_num: number | null;
  category: string | null;
  dataset: string | null;
  /** JSON text on SQLite; on PostgreSQL jsonb, which `pg` returns parsed. */
  doc: unknown;
  /** `EventProvenance` as JSON like `doc`; null for rows stored before 0008. */
  provenance: unknown;
  provenance_kind: string | null;
}

export interface EventBatchesTable {
  tenant_id: string;
  batch_id: string;
  ids: string;
  created_at: number;
}

export interface DeadLettersTable {
  id: string;
  tenant_id: string;
  source: string;
  reason: string;
  code: string;
  raw: Uint8Array;
  received_at: number;
  status: string;
  replayed_at: number | null;
  replay_outcome: string | null;
}

export interface EventTenantsTable {
  tenant_key: Generated<number>;
  tenant_id: string;
}

export interface EventRetentionTable {
  tenant_id: string;
  days: number;
}

export interface EventDatabase {
  events: EventsTable;
  event_batches: EventBatchesTable;
  dead_letters: DeadLettersTable;
  event_retention: EventRetentionTable;
  event_tenants: EventTenantsTable;
  /** Only read, to refuse events for a tenant that does not exist. */
  tenants: { id: string };
}
