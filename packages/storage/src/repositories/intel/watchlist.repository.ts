/**
 * Watchlists and their indicators (0019-intel), bound to one owner: a tenant, or the platform
 * (`PLATFORM_OWNER`). Indicators go in by chunks, so that an import of 100,000 stays within
 * both dialects' limits on bound parameters.
 */
import type {
  AlertLevel,
  ImportedIndicator,
  IndicatorKind,
  WatchedIndicator,
  Watchlist,
  WatchlistFormat,
  WatchlistRepository,
} from '@cordon/core';
import type { Selectable } from 'kysely';
import type { WatchlistsTable } from '../../database/intel-schema.ts';
import type { Db } from '../preparation/tenant-bound.ts';

/** The owner column of platform-wide watchlists (no tenant id is `*`). */
export const PLATFORM_OWNER = '*';
const CHUNK = 500;

export class KyselyWatchlistRepository implements WatchlistRepository {
  readonly #db: Db;
  readonly #owner: string;

  /** `tenantId`: the owning tenant, or null for the platform's watchlists. */
  constructor(db: Db, tenantId: string | null) {
    this.#db = db;
    this.#owner = tenantId ?? PLATFORM_OWNER;
  }

  async insert(watchlist: Watchlist, indicators: readonly ImportedIndicator[]): Promise<void> {
    await this.#db
      .insertInto('watchlists')
      .values({
        id: watchlist.id,
        owner: this.#owner,
        name: watchlist.name,
        source: watchlist.source,
        description: watchlist.description,
        format: watchlist.format,
        level: watchlist.level,
        indicator_count: watchlist.indicatorCount,
        content_sha256: watchlist.contentSha256,
        created_by: watchlist.createdBy,
        created_at: watchlist.createdAt,
        expires_at: watchlist.expiresAt,
      })
      .execute();
    for (let i = 0; i < indicators.length; i += CHUNK) {
      await this.#db
        .insertInto('watchlist_indicators')
        .values(
          indicators.slice(i, i + CHUNK).map((indicator) => ({
            watchlist_id: watchlist.id,
            owner: this.#owner,
            kind: indicator.kind,
            value: indicator.value,
            valid_until: indicator.validUntil,
            reference: indicator.reference,
          })),
        )
        .execute();
    }
  }

  async list(): Promise<Watchlist[]> {
    const rows = await this.#db
      .selectFrom('watchlists')
      .selectAll()
      .where('owner', '=', this.#owner)
      .orderBy('created_at', 'desc')
      .orderBy('id')
      .execute();
    return rows.map(watchlistOf);
  }

  async get(id: string): Promise<Watchlist | undefined> {
    const row = await this.#db
      .selectFrom('watchlists')
      .selectAll()
      .where('owner', '=', this.#owner)
      .where('id', '=', id)
      .executeTakeFirst();
    return row && watchlistOf(row);
  }

  async indicators(
    id: string,
    page: { limit: number; offset: number },
  ): Promise<ImportedIndicator[]> {
    const rows = await this.#db
      .selectFrom('watchlist_indicators')
      .select(['kind', 'value', 'valid_until', 'reference'])
      .where('owner', '=', this.#owner)
      .where('watchlist_id', '=', id)
      .orderBy('kind')
      .orderBy('value')
      .limit(page.limit)
      .offset(page.offset)
      .execute();
    return rows.map((row) => ({
      kind: row.kind as IndicatorKind,
      value: row.value,
      validUntil: row.valid_until === null ? null : Number(row.valid_until),
      reference: row.reference,
    }));
  }

  async setExpiry(id: string, expiresAt: number | null): Promise<boolean> {
    const result = await this.#db
      .updateTable('watchlists')
      .set({ expires_at: expiresAt })
      .where('owner', '=', this.#owner)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async delete(id: string): Promise<boolean> {
    await this.#db
      .deleteFrom('watchlist_indicators')
      .where('owner', '=', this.#owner)
      .where('watchlist_id', '=', id)
      .execute();
    const result = await this.#db
      .deleteFrom('watchlists')
      .where('owner', '=', this.#owner)
      .where('id', '=', id)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async active(now: number): Promise<WatchedIndicator[]> {
    const rows = await this.#db
      .selectFrom('watchlist_indicators as i')
      .innerJoin('watchlists as w', 'w.id', 'i.watchlist_id')
      .select([
        'i.watchlist_id',
        'i.kind',
        'i.value',
        'i.valid_until',
        'i.reference',
        'w.expires_at',
      ])
      .where('i.owner', '=', this.#owner)
      .where('w.owner', '=', this.#owner)
      .where((eb) => eb.or([eb('w.expires_at', 'is', null), eb('w.expires_at', '>', now)]))
      .where((eb) => eb.or([eb('i.valid_until', 'is', null), eb('i.valid_until', '>', now)]))
      .execute();
    return rows.map((row) => ({
      watchlistId: row.watchlist_id,
      kind: row.kind as IndicatorKind,
      value: row.value,
      validUntil: earliest(row.valid_until, row.expires_at),
      reference: row.reference,
    }));
  }
}

function earliest(a: number | null, b: number | null): number | null {
  if (a === null) return b === null ? null : Number(b);
  return b === null ? Number(a) : Math.min(Number(a), Number(b));
}

function watchlistOf(row: Selectable<WatchlistsTable>): Watchlist {
  return {
    id: row.id,
    tenantId: row.owner === PLATFORM_OWNER ? null : row.owner,
    name: row.name,
    source: row.source,
    description: row.description,
    format: row.format as WatchlistFormat,
    level: row.level as AlertLevel,
    indicatorCount: Number(row.indicator_count),
    contentSha256: row.content_sha256,
    createdBy: row.created_by,
    createdAt: Number(row.created_at),
    expiresAt: row.expires_at === null ? null : Number(row.expires_at),
  };
}
