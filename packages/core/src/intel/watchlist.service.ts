/**
 * Watchlist use cases: import a STIX 2.1 bundle or a plain IOC list as a new watchlist (of a
 * tenant, or platform-wide for a platform admin), list them, page through their indicators,
 * expire and delete them. Each change is journaled (the tenant's journal, or the platform's)
 * with the SHA-256 of what was imported, and the matcher is told (`onChange`) so that live
 * matching uses the new set from the next batch on. Bounds: the text's size, the number of
 * indicators, the name and source lengths; a text that breaks one is refused, nothing stored.
 */
import { createHash } from 'node:crypto';
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize, requirePlatformAdmin } from '../access/principal.ts';
import type { AlertLevel } from '../detection/alert.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { JournalRepository, UnitOfWork } from '../ports/store.ts';
import type { ImportedIndicator, IndicatorImport, RejectedIndicator } from './indicator-import.ts';
import { parseIocList } from './ioc-list.ts';
import { parseStixBundle } from './stix-bundle-import.ts';
import type { Watchlist, WatchlistFormat, WatchlistRepository } from './watchlist.ts';

/** Largest text one import may carry (characters). */
export const MAX_WATCHLIST_TEXT_LENGTH = 32 * 1024 * 1024;
/** Indicators one watchlist may hold. */
export const MAX_WATCHLIST_INDICATORS = 200_000;
const MAX_NAME = 200;
const MAX_SOURCE = 500;
const MAX_DESCRIPTION = 4000;

/** Whose watchlist: a tenant's, or the platform's (matched for every tenant). */
export type WatchlistOwner =
  { readonly kind: 'tenant'; readonly tenantId: string } | { readonly kind: 'platform' };

export interface WatchlistImportRequest {
  readonly name: string;
  readonly source: string;
  readonly description?: string;
  readonly format: WatchlistFormat;
  readonly content: string;
  readonly level?: AlertLevel;
  readonly expiresAt?: number | null;
}

export interface WatchlistImportResult {
  readonly watchlist: Watchlist;
  readonly rejected: readonly RejectedIndicator[];
  readonly rejectedCount: number;
}

export class WatchlistService {
  readonly #store: { transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> };
  readonly #clock: Clock;
  readonly #onChange: (owner: WatchlistOwner) => void;

  constructor(options: {
    store: { transaction<T>(work: (uow: UnitOfWork) => Promise<T>): Promise<T> };
    clock: Clock;
    /** Told after each committed change (the matcher rebuilds that owner's index). */
    onChange?: (owner: WatchlistOwner) => void;
  }) {
    this.#store = options.store;
    this.#clock = options.clock;
    this.#onChange = options.onChange ?? (() => undefined);
  }

  async import(
    principal: Principal,
    owner: WatchlistOwner,
    request: WatchlistImportRequest,
  ): Promise<WatchlistImportResult> {
    this.#authorize(principal, owner, 'write');
    const now = this.#clock.now();
    checkRequest(request, now);
    const parsed: IndicatorImport =
      request.format === 'stix'
        ? parseStixBundle(request.content, MAX_WATCHLIST_INDICATORS)
        : parseIocList(request.content, MAX_WATCHLIST_INDICATORS);
    if (parsed.indicators.length === 0)
      throw invalidInput('nothing in it can be watched', {
        rejected: parsed.rejected.slice(0, 10),
        rejectedCount: parsed.rejectedCount,
      });
    const watchlist: Watchlist = {
      id: newId(),
      tenantId: owner.kind === 'tenant' ? owner.tenantId : null,
      name: request.name.trim(),
      source: request.source.trim(),
      description: request.description?.trim() || null,
      format: request.format,
      level: request.level ?? 'high',
      indicatorCount: parsed.indicators.length,
      contentSha256: createHash('sha256').update(request.content).digest('hex'),
      createdBy: actorOf(principal),
      createdAt: now,
      expiresAt: request.expiresAt ?? null,
    };
    await this.#store.transaction(async (uow) => {
      const { repository, journal } = bind(uow, owner);
      await repository.insert(watchlist, parsed.indicators);
      await journal.append({
        actor: watchlist.createdBy,
        kind: 'watchlist.imported',
        payload: {
          watchlistId: watchlist.id,
          name: watchlist.name,
          source: watchlist.source,
          format: watchlist.format,
          level: watchlist.level,
          indicators: watchlist.indicatorCount,
          kinds: kindCounts(parsed.indicators),
          rejected: parsed.rejectedCount,
          contentSha256: watchlist.contentSha256,
          expiresAt: watchlist.expiresAt,
        },
      });
    });
    this.#onChange(owner);
    return { watchlist, rejected: parsed.rejected, rejectedCount: parsed.rejectedCount };
  }

  async list(principal: Principal, owner: WatchlistOwner): Promise<Watchlist[]> {
    this.#authorize(principal, owner, 'read');
    return this.#store.transaction((uow) => bind(uow, owner).repository.list());
  }

  async get(principal: Principal, owner: WatchlistOwner, id: string): Promise<Watchlist> {
    this.#authorize(principal, owner, 'read');
    const found = await this.#store.transaction((uow) => bind(uow, owner).repository.get(id));
    if (!found) throw notFound('watchlist');
    return found;
  }

  async indicators(
    principal: Principal,
    owner: WatchlistOwner,
    id: string,
    page: { limit: number; offset: number },
  ): Promise<ImportedIndicator[]> {
    this.#authorize(principal, owner, 'read');
    return this.#store.transaction(async (uow) => {
      const { repository } = bind(uow, owner);
      if (!(await repository.get(id))) throw notFound('watchlist');
      return repository.indicators(id, page);
    });
  }

  /** Ends a watchlist's matching at `at` (default now); it stays listed until deleted. */
  async expire(
    principal: Principal,
    owner: WatchlistOwner,
    id: string,
    at?: number,
  ): Promise<Watchlist> {
    this.#authorize(principal, owner, 'write');
    const expiresAt = at ?? this.#clock.now();
    const updated = await this.#store.transaction(async (uow) => {
      const { repository, journal } = bind(uow, owner);
      const found = await repository.get(id);
      if (!found) throw notFound('watchlist');
      await repository.setExpiry(id, expiresAt);
      await journal.append({
        actor: actorOf(principal),
        kind: 'watchlist.expired',
        payload: { watchlistId: id, name: found.name, expiresAt, before: found.expiresAt },
      });
      return { ...found, expiresAt };
    });
    this.#onChange(owner);
    return updated;
  }

  async delete(principal: Principal, owner: WatchlistOwner, id: string): Promise<void> {
    this.#authorize(principal, owner, 'write');
    await this.#store.transaction(async (uow) => {
      const { repository, journal } = bind(uow, owner);
      const found = await repository.get(id);
      if (!found) throw notFound('watchlist');
      await repository.delete(id);
      await journal.append({
        actor: actorOf(principal),
        kind: 'watchlist.deleted',
        payload: {
          watchlistId: id,
          name: found.name,
          source: found.source,
          indicators: found.indicatorCount,
          contentSha256: found.contentSha256,
        },
      });
    });
    this.#onChange(owner);
  }

  #authorize(principal: Principal, owner: WatchlistOwner, access: 'read' | 'write'): void {
    if (owner.kind === 'platform') requirePlatformAdmin(principal);
    else authorize(principal, owner.tenantId, access === 'read' ? 'tenant:read' : 'incident:write');
  }
}

function bind(
  uow: UnitOfWork,
  owner: WatchlistOwner,
): { repository: WatchlistRepository; journal: JournalRepository } {
  if (owner.kind === 'platform')
    return { repository: uow.platformWatchlists, journal: uow.platformJournal };
  const scope = uow.forTenant(owner.tenantId);
  return { repository: scope.watchlists, journal: scope.journal };
}

function checkRequest(request: WatchlistImportRequest, now: number): void {
  if (request.content.length > MAX_WATCHLIST_TEXT_LENGTH)
    throw new CordonError(
      'payload_too_large',
      `the ${request.format === 'stix' ? 'bundle' : 'list'} is ${request.content.length} characters; at most ${MAX_WATCHLIST_TEXT_LENGTH} are read`,
      { details: { length: request.content.length, max: MAX_WATCHLIST_TEXT_LENGTH } },
    );
  const bounded = (
    what: string,
    value: string | undefined,
    max: number,
    required: boolean,
  ): void => {
    if (value === undefined) return;
    if (required && value.trim() === '') throw invalidInput(`${what} is required`);
    if (value.length > max) throw invalidInput(`${what} is longer than ${max} characters`);
  };
  bounded('name', request.name, MAX_NAME, true);
  bounded('source', request.source, MAX_SOURCE, true);
  bounded('description', request.description, MAX_DESCRIPTION, false);
  if (request.expiresAt != null && request.expiresAt <= now)
    throw invalidInput('expiresAt is in the past');
}

function kindCounts(indicators: readonly ImportedIndicator[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const { kind } of indicators) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}
