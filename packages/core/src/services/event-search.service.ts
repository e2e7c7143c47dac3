/**
 * Reading telemetry: search, counts, terms, histograms, single events and dead letters. Every
 * member of a tenant may read its events (`tenant:read`: the client's own viewers included —
 * it is their telemetry). Query text is parsed here, so a bad query is a user error with the
 * column where it went wrong, whatever the storage behind it.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type {
  DeadLetter,
  DeadLetterStatus,
  EventFilter,
  EventSearchResult,
  EventStore,
  Histogram,
  StoredEvent,
  TermCount,
} from '../ports/event-store.ts';
import type { Store } from '../ports/store.ts';
import { histogramInterval } from '../search/histogram-interval.ts';
import { parseQuery } from '../search/query-parser.ts';

export interface EventQueryInput {
  /** Query text (see query-parser.ts); empty or absent matches everything. */
  readonly query?: string | undefined;
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

export interface EventSearchInput extends EventQueryInput {
  readonly sort?: 'asc' | 'desc' | undefined;
  readonly limit?: number | undefined;
  readonly offset?: number | undefined;
}

export const SEARCH_LIMITS = {
  maxLimit: 1000,
  defaultLimit: 100,
  /** Deeper pages cost a scan of everything before them; narrow the time range instead. */
  maxOffset: 10_000,
  maxTerms: 1000,
  maxBuckets: 10_000,
  maxQueryLength: 10_000,
} as const;

const PERMISSION = 'tenant:read';
/** Retention decides what evidence survives: an administrator's decision, journalled. */
const RETENTION_PERMISSION = 'access:manage';
const MAX_RETENTION_DAYS = 36_500;

export class EventSearchService {
  readonly #events: EventStore;
  readonly #store: Store;

  constructor(options: { events: EventStore; store: Store }) {
    this.#events = options.events;
    this.#store = options.store;
  }

  /** Days events are kept (null: forever). */
  async retention(principal: Principal, tenantId: string): Promise<number | null> {
    authorize(principal, tenantId, PERMISSION);
    return this.#events.retention(tenantId);
  }

  async setRetention(principal: Principal, tenantId: string, days: number | null): Promise<void> {
    authorize(principal, tenantId, RETENTION_PERMISSION);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS)) {
      throw invalidInput(`retention is 1 to ${MAX_RETENTION_DAYS} days, or null to keep forever`);
    }
    const before = await this.#events.retention(tenantId);
    // The event store is outside units of work; the setting is written first, so a failed
    // journal append leaves it changed but reported as an error to the caller.
    await this.#events.setRetention(tenantId, days);
    await this.#store.transaction(async (uow) => {
      await uow.forTenant(tenantId).journal.append({
        actor: actorOf(principal),
        kind: 'events.retention_set',
        payload: { days, previousDays: before },
      });
    });
  }

  async search(
    principal: Principal,
    tenantId: string,
    input: EventSearchInput,
  ): Promise<EventSearchResult> {
    authorize(principal, tenantId, PERMISSION);
    const limit = input.limit ?? SEARCH_LIMITS.defaultLimit;
    const offset = input.offset ?? 0;
    if (!Number.isInteger(limit) || limit < 1 || limit > SEARCH_LIMITS.maxLimit) {
      throw invalidInput(`limit is 1 to ${SEARCH_LIMITS.maxLimit}`);
    }
    if (!Number.isInteger(offset) || offset < 0 || offset > SEARCH_LIMITS.maxOffset) {
      throw invalidInput(
        `offset is 0 to ${SEARCH_LIMITS.maxOffset}; narrow the time range to go further`,
      );
    }
    return this.#events.search(tenantId, {
      ...filterOf(input),
      sort: input.sort ?? 'desc',
      limit,
      offset,
    });
  }

  async count(principal: Principal, tenantId: string, input: EventQueryInput): Promise<number> {
    authorize(principal, tenantId, PERMISSION);
    return this.#events.count(tenantId, filterOf(input));
  }

  async terms(
    principal: Principal,
    tenantId: string,
    input: EventQueryInput & { readonly field: string; readonly size?: number | undefined },
  ): Promise<TermCount[]> {
    authorize(principal, tenantId, PERMISSION);
    const size = input.size ?? 10;
    if (!Number.isInteger(size) || size < 1 || size > SEARCH_LIMITS.maxTerms) {
      throw invalidInput(`size is 1 to ${SEARCH_LIMITS.maxTerms}`);
    }
    if (input.field.trim() === '') throw invalidInput('field is required');
    return this.#events.terms(tenantId, { ...filterOf(input), field: input.field.trim(), size });
  }

  async histogram(
    principal: Principal,
    tenantId: string,
    input: EventQueryInput & { readonly intervalMs?: number | undefined },
  ): Promise<Histogram> {
    authorize(principal, tenantId, PERMISSION);
    const filter = filterOf(input);
    let intervalMs = input.intervalMs;
    if (intervalMs !== undefined) {
      if (!Number.isInteger(intervalMs) || intervalMs < 1000) {
        throw invalidInput('interval is at least one second');
      }
      if (
        filter.from !== undefined &&
        filter.to !== undefined &&
        (filter.to - filter.from) / intervalMs > SEARCH_LIMITS.maxBuckets
      ) {
        throw invalidInput(`more than ${SEARCH_LIMITS.maxBuckets} buckets: use a wider interval`);
      }
    } else if (filter.from !== undefined && filter.to !== undefined) {
      intervalMs = histogramInterval(filter.to - filter.from);
    }
    return this.#events.histogram(tenantId, {
      ...filter,
      ...(intervalMs === undefined ? {} : { intervalMs }),
    });
  }

  async event(principal: Principal, tenantId: string, id: string): Promise<StoredEvent> {
    authorize(principal, tenantId, PERMISSION);
    const event = await this.#events.getEvent(tenantId, id);
    if (!event) throw notFound('event');
    return event;
  }

  async deadLetters(
    principal: Principal,
    tenantId: string,
    options: { limit: number; offset: number; status?: DeadLetterStatus | undefined },
  ): Promise<{ total: number; items: DeadLetter[] }> {
    authorize(principal, tenantId, PERMISSION);
    const { status, ...page } = options;
    return this.#events.listDeadLetters(tenantId, { ...page, ...(status ? { status } : {}) });
  }

  async deadLetter(principal: Principal, tenantId: string, id: string): Promise<DeadLetter> {
    authorize(principal, tenantId, PERMISSION);
    const letter = await this.#events.getDeadLetter(tenantId, id);
    if (!letter) throw notFound('dead letter');
    return letter;
  }
}

function filterOf(input: EventQueryInput): EventFilter {
  const text = input.query ?? '';
  if (text.length > SEARCH_LIMITS.maxQueryLength) {
    throw invalidInput(`a query is at most ${SEARCH_LIMITS.maxQueryLength} characters`);
  }
  const query = parseQuery(text);
  if (input.from !== undefined && input.to !== undefined && input.from >= input.to) {
    throw new CordonError('invalid_input', '"from" must be before "to"');
  }
  return {
    ...(query ? { query } : {}),
    ...(input.from === undefined ? {} : { from: input.from }),
    ...(input.to === undefined ? {} : { to: input.to }),
  };
}
