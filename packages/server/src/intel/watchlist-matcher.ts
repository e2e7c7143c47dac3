/**
 * Live watchlist matching: an `EventConsumer` beside Sigma detection that looks up every
 * durable event's values (event-indicators.ts) in the tenant's index and the platform's, and
 * hands each hit to the same triage as rule alerts — one alert per watched indicator and
 * entities, merged, suppressed and grouped into incidents like any other, heard by the same
 * incident listeners. The indexes are built from the store on first use and rebuilt when a
 * watchlist changes here (`invalidate`), when their earliest indicator expires, and after
 * `refreshMs` (changes made by another process).
 */
import type {
  AlertLevel,
  Clock,
  Detection,
  Store,
  TriageService,
  Watchlist,
  WatchlistOwner,
} from '@cordon/core';
import { WatchlistIndex } from '@cordon/core';
import type { IngestEvent } from '@cordon/ingest';
import { eventEntities, eventField } from '@cordon/ingest';
import { alertEntitiesOf } from '../detection/alert-entities.ts';
import type {
  EventConsumer,
  IncidentRaisedListener,
  StoredIngestEvent,
} from '../pipeline/contracts.ts';
import type { EventHit } from './event-indicators.ts';
import { eventHits } from './event-indicators.ts';

const PLATFORM = '*';

export interface WatchlistMatcherOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly triage: TriageService;
  /** Read at each raise, so listeners registered later are heard too. */
  readonly listeners: readonly IncidentRaisedListener[];
  /** How long an index is trusted without a change seen here (default 30 s). */
  readonly refreshMs?: number;
  readonly onError?: (message: string, error: unknown) => void;
}

interface OwnerIndex {
  readonly index: WatchlistIndex;
  readonly watchlists: ReadonlyMap<string, Watchlist>;
  /** Rebuild at or after this time (epoch ms). */
  readonly staleAt: number;
}

export interface WatchlistMatchStats {
  events: number;
  hits: number;
  rebuilds: number;
  matchMs: number;
}

export class WatchlistMatcher implements EventConsumer {
  readonly name = 'watchlists';
  readonly stats: WatchlistMatchStats = { events: 0, hits: 0, rebuilds: 0, matchMs: 0 };
  readonly #options: Required<Omit<WatchlistMatcherOptions, 'onError'>> &
    Pick<WatchlistMatcherOptions, 'onError'>;
  readonly #indexes = new Map<string, Promise<OwnerIndex>>();
  /** Bumped by `invalidate`, so that a build started before a change is not kept after it. */
  readonly #generation = new Map<string, number>();

  constructor(options: WatchlistMatcherOptions) {
    this.#options = { refreshMs: 30_000, ...options };
  }

  /** Forget an owner's index after its watchlists changed. */
  invalidate(owner: WatchlistOwner): void {
    const key = owner.kind === 'platform' ? PLATFORM : owner.tenantId;
    this.#generation.set(key, (this.#generation.get(key) ?? 0) + 1);
    this.#indexes.delete(key);
  }

  async consume(tenantId: string, events: readonly StoredIngestEvent[]): Promise<void> {
    const started = performance.now();
    const [platform, tenant] = await Promise.all([this.#index(PLATFORM), this.#index(tenantId)]);
    const indexes = [tenant.index, platform.index];
    const detections: Detection[] = [];
    if (tenant.index.size + platform.index.size > 0) {
      const now = this.#options.clock.now();
      for (const stored of events) {
        const hits = eventHits(stored.event, indexes);
        for (const hit of hits)
          for (const watchlistId of hit.watchlistIds) {
            const watchlist =
              tenant.watchlists.get(watchlistId) ?? platform.watchlists.get(watchlistId);
            if (watchlist) detections.push(detectionOf(stored, hit, watchlist, now));
          }
      }
    }
    this.stats.events += events.length;
    this.stats.hits += detections.length;
    this.stats.matchMs += performance.now() - started;
    if (detections.length === 0) return;
    const outcome = await this.#options.triage.triage(tenantId, detections);
    for (const raised of outcome.incidents) {
      for (const listener of [...this.#options.listeners]) {
        await listener({ tenantId, ...raised }).catch((error: unknown) =>
          this.#options.onError?.('incident listener failed', error),
        );
      }
    }
  }

  async #index(key: string): Promise<OwnerIndex> {
    const now = this.#options.clock.now();
    const cached = this.#indexes.get(key);
    if (cached) {
      const index = await cached;
      if (now < index.staleAt) return index;
      if (this.#indexes.get(key) !== cached) return this.#index(key);
    }
    const generation = this.#generation.get(key) ?? 0;
    const build = this.#build(key, now);
    this.#indexes.set(key, build);
    try {
      const built = await build;
      // A change while building: this index may miss it; the next batch builds again.
      if ((this.#generation.get(key) ?? 0) !== generation && this.#indexes.get(key) === build)
        this.#indexes.delete(key);
      return built;
    } catch (error) {
      if (this.#indexes.get(key) === build) this.#indexes.delete(key);
      throw error;
    }
  }

  async #build(key: string, now: number): Promise<OwnerIndex> {
    const { watchlists, indicators } = await this.#options.store.transaction(async (uow) => {
      const repository = key === PLATFORM ? uow.platformWatchlists : uow.forTenant(key).watchlists;
      return { watchlists: await repository.list(), indicators: await repository.active(now) };
    });
    this.stats.rebuilds++;
    const index = WatchlistIndex.build(indicators);
    const staleAt = Math.min(now + this.#options.refreshMs, index.validUntil ?? Infinity);
    return { index, watchlists: new Map(watchlists.map((w) => [w.id, w])), staleAt };
  }
}

function detectionOf(
  stored: StoredIngestEvent,
  hit: EventHit,
  watchlist: Watchlist,
  now: number,
): Detection {
  const event: IngestEvent = stored.event;
  const parsed = Date.parse(event['@timestamp']);
  const at = Number.isNaN(parsed) ? now : parsed;
  return {
    ruleId: `watchlist:${watchlist.id}:${hit.kind}:${hit.indicator}`,
    ruleName: `watchlist:${watchlist.name}`,
    ruleTitle: `Watched ${hit.kind} ${hit.matched} (${watchlist.name})`,
    level: watchlist.level satisfies AlertLevel,
    tags: ['watchlist', `watchlist.${hit.kind}`],
    source: watchlist.tenantId === null ? 'server' : 'tenant',
    entities: alertEntitiesOf(eventEntities(event)),
    firstSeen: at,
    lastSeen: at,
    eventIds: [stored.id],
    eventCount: 1,
    lookup: (field) => eventField(event, field),
  };
}
