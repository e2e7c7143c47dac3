/**
 * Watchlists: named sets of indicators from one source (a feed, a partner's STIX bundle, an
 * analyst's list), owned by a tenant or platform-wide (the MSSP's own intelligence, matched
 * for every tenant). A watchlist and each of its indicators may expire; expired ones stay
 * listed until deleted but no longer match.
 */
import type { AlertLevel } from '../detection/alert.ts';
import type { ImportedIndicator } from './indicator-import.ts';

export const WATCHLIST_FORMATS = ['stix', 'iocs'] as const;
export type WatchlistFormat = (typeof WATCHLIST_FORMATS)[number];

export interface Watchlist {
  readonly id: string;
  /** The owning tenant, or null for a platform-wide watchlist. */
  readonly tenantId: string | null;
  readonly name: string;
  /** Where the indicators came from (feed name, sharing partner, URL). */
  readonly source: string;
  readonly description: string | null;
  readonly format: WatchlistFormat;
  /** The level of the alerts its matches raise. */
  readonly level: AlertLevel;
  readonly indicatorCount: number;
  /** SHA-256 of the imported text, as journaled. */
  readonly contentSha256: string;
  readonly createdBy: string;
  readonly createdAt: number;
  /** After this (epoch ms) nothing in it matches; null: until deleted. */
  readonly expiresAt: number | null;
}

/** An indicator as the matching index needs it. */
export interface WatchedIndicator extends ImportedIndicator {
  readonly watchlistId: string;
}

/**
 * A tenant's watchlists (`TenantScope.watchlists`), or the platform's (`UnitOfWork.platformWatchlists`):
 * the repository is bound to its owner and never reaches another's.
 */
export interface WatchlistRepository {
  insert(watchlist: Watchlist, indicators: readonly ImportedIndicator[]): Promise<void>;
  list(): Promise<Watchlist[]>;
  get(id: string): Promise<Watchlist | undefined>;
  /** One page of a watchlist's indicators, in kind then value order. */
  indicators(id: string, page: { limit: number; offset: number }): Promise<ImportedIndicator[]>;
  setExpiry(id: string, expiresAt: number | null): Promise<boolean>;
  delete(id: string): Promise<boolean>;
  /** Every indicator that matches at `now`: of unexpired watchlists, itself unexpired. */
  active(now: number): Promise<WatchedIndicator[]>;
}
