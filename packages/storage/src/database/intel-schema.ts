/** The threat-intel tables (migration 0019-intel), as Kysely sees them. */

export interface WatchlistsTable {
  id: string;
  /** Tenant id, or `*` for a platform-wide watchlist. */
  owner: string;
  name: string;
  source: string;
  description: string | null;
  format: string;
  level: string;
  indicator_count: number;
  content_sha256: string;
  created_by: string;
  created_at: number;
  expires_at: number | null;
}

export interface WatchlistIndicatorsTable {
  watchlist_id: string;
  owner: string;
  kind: string;
  value: string;
  valid_until: number | null;
  reference: string | null;
}

export interface IntelTables {
  watchlists: WatchlistsTable;
  watchlist_indicators: WatchlistIndicatorsTable;
}
