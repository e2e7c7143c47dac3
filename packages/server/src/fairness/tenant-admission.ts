/**
 * Per-tenant admission of costly work: bulk ingest bodies, tenant rule checks and event
 * searches. Each tenant has, per kind of work, a number of requests in flight and a token
 * bucket (fairness-config.ts); a request over either is refused with `rate_limited` (HTTP 429
 * with `Retry-After`) before it costs anything, and refusals are counted per tenant, kind and
 * reason on `/metrics`. Ingest is also charged while its body streams (`charge`): records and
 * decompressed bytes as they are parsed, so that a body which expands past the tenant's share
 * stops costing the moment it does, not when it ends. The tenant is the one the work is for
 * (the caller's access to it is checked before admission), so one tenant's flood never spends
 * another's share.
 */
import { CordonError } from '@cordon/core';
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import type { FairnessConfig, RequestShare } from './fairness-config.ts';
import { TokenBucket } from './token-bucket.ts';

export type AdmissionKind = 'ingest' | 'rules' | 'search';
export const ADMISSION_KINDS: readonly AdmissionKind[] = ['ingest', 'rules', 'search'];

/** Why a request was refused: too many of the tenant's at once, or its rate is spent. */
export type RefusalReason = 'concurrency' | 'rate';

/** One admitted request: release it when it is done (twice is harmless). */
export interface AdmissionTicket extends IngestShareTicket {
  release(): void;
}

/** What a streaming ingest body is charged through (bulk-ingestion.ts). */
export interface IngestShareTicket {
  /**
   * Records and bytes just parsed; false once the tenant's share is spent (in debt). Negative
   * amounts hand back what a batch found stored before (a retry) was charged.
   */
  charge(records: number, bytes: number): boolean;
  /** Whether the share is still not in debt (after refunds). */
  withinShare(): boolean;
  /** The `rate_limited` error to answer with, counted as a refusal. */
  refusal(): CordonError;
}

export interface TenantAdmissionOptions {
  readonly config: FairnessConfig;
  /** Where the refusal counts go (the server's `/metrics`). */
  readonly registry?: Registry;
  /** Milliseconds, monotonic; `performance.now` unless a test drives time. */
  readonly now?: () => number;
}

interface TenantState {
  readonly inFlight: Record<AdmissionKind, number>;
  readonly records: TokenBucket;
  readonly bytes: TokenBucket;
  readonly rules: TokenBucket;
  readonly search: TokenBucket;
}

const CONCURRENCY_RETRY_MS = 1_000;
/**
 * An ingest body is admitted only when the tenant's share holds at least this much (or its
 * whole burst, if smaller): one internal batch's worth of records (bulk-ingestion.ts) and a
 * quarter of one of bytes. Admitting a body on the first token back costs the server a whole
 * request (authentication, a decompressor, a transaction, a detection message) for a handful
 * of records: a gzip bomb looping on a spent share was admitted ~190 times a second for ~10
 * records each, 3 ms of server CPU a refusal (bench:hostile), where refusing up front is a
 * fraction of a millisecond.
 */
export const INGEST_ADMISSION_RECORDS = 1_000;
export const INGEST_ADMISSION_BYTES = 256 * 1024;

export class TenantAdmission {
  readonly #config: FairnessConfig;
  readonly #now: () => number;
  readonly #tenants = new Map<string, TenantState>();
  readonly #refused: Counter<'tenant' | 'kind' | 'reason'> | undefined;
  readonly #inFlight: Gauge<'kind'> | undefined;
  readonly #totals: Record<AdmissionKind, number> = { ingest: 0, rules: 0, search: 0 };

  constructor(options: TenantAdmissionOptions) {
    this.#config = options.config;
    this.#now = options.now ?? (() => performance.now());
    if (options.registry) {
      this.#refused = new Counter({
        name: 'cordon_tenant_admission_refused_total',
        help: 'Requests refused because the tenant was over its share, by tenant, kind and reason',
        labelNames: ['tenant', 'kind', 'reason'] as const,
        registers: [options.registry],
      });
      this.#inFlight = new Gauge({
        name: 'cordon_tenant_admission_in_flight',
        help: 'Admitted costly requests in flight, by kind (all tenants)',
        labelNames: ['kind'] as const,
        registers: [options.registry],
      });
    }
  }

  get config(): FairnessConfig {
    return this.#config;
  }

  /** Admits one request of `kind` for `tenantId`, or throws `rate_limited`. */
  enter(tenantId: string, kind: AdmissionKind): AdmissionTicket {
    const state = this.#state(tenantId);
    const now = this.#now();
    this.#refuseOver(state, tenantId, kind, now);
    if (kind === 'rules' || kind === 'search') state[kind].take(1, now);
    state.inFlight[kind]++;
    this.#totals[kind]++;
    this.#inFlight?.set({ kind }, this.#totals[kind]);
    let released = false;
    const charged = { records: 0, bytes: 0 };
    return {
      charge: (records, bytes) => {
        const at = this.#now();
        state.records.take(records, at);
        state.bytes.take(bytes, at);
        if (records > 0) charged.records += records;
        if (bytes > 0) charged.bytes += bytes;
        // In debt: the share is spent (a body of exactly the burst still passes).
        return state.records.tokens(at) >= 0 && state.bytes.tokens(at) >= 0;
      },
      withinShare: () => {
        const at = this.#now();
        return state.records.tokens(at) >= 0 && state.bytes.tokens(at) >= 0;
      },
      refusal: () => {
        const at = this.#now();
        // A retry of the same body after this long gets at least as far again.
        return this.#refusal(
          tenantId,
          kind,
          'rate',
          Math.max(
            state.records.msUntil(Math.max(charged.records, this.#ingestQuantum()[0]), at),
            state.bytes.msUntil(Math.max(charged.bytes, this.#ingestQuantum()[1]), at),
          ),
        );
      },
      release: () => {
        if (released) return;
        released = true;
        state.inFlight[kind]--;
        this.#totals[kind]--;
        this.#inFlight?.set({ kind }, this.#totals[kind]);
      },
    };
  }

  /**
   * Throws the `rate_limited` refusal that `enter` would throw now, taking nothing: for a
   * request refused from its headers, before its body is read, whose work is admitted later
   * where it runs.
   */
  refuseIfOver(tenantId: string, kind: AdmissionKind): void {
    this.#refuseOver(this.#state(tenantId), tenantId, kind, this.#now());
  }

  #refuseOver(state: TenantState, tenantId: string, kind: AdmissionKind, now: number): void {
    if (state.inFlight[kind] >= this.#concurrency(kind))
      this.#refuse(tenantId, kind, 'concurrency', CONCURRENCY_RETRY_MS);
    switch (kind) {
      case 'ingest': {
        const { records, bytes } = state;
        const [minRecords, minBytes] = this.#ingestQuantum();
        if (records.tokens(now) < minRecords || bytes.tokens(now) < minBytes)
          this.#refuse(
            tenantId,
            kind,
            'rate',
            Math.max(records.msUntil(minRecords, now), bytes.msUntil(minBytes, now)),
          );
        break;
      }
      case 'rules':
      case 'search': {
        const bucket = state[kind];
        if (bucket.tokens(now) < 1) this.#refuse(tenantId, kind, 'rate', bucket.msUntil(1, now));
        break;
      }
    }
  }

  /** `work` admitted as one request of `kind` for `tenantId`, released when it settles. */
  async run<T>(tenantId: string, kind: AdmissionKind, work: () => Promise<T>): Promise<T> {
    const ticket = this.enter(tenantId, kind);
    try {
      return await work();
    } finally {
      ticket.release();
    }
  }

  /** What an ingest body needs in the share to be admitted: records, bytes. */
  #ingestQuantum(): [number, number] {
    const { recordBurst, byteBurst } = this.#config.ingest;
    return [
      Math.min(recordBurst, INGEST_ADMISSION_RECORDS),
      Math.min(byteBurst, INGEST_ADMISSION_BYTES),
    ];
  }

  #concurrency(kind: AdmissionKind): number {
    switch (kind) {
      case 'ingest':
        return this.#config.ingest.concurrency;
      case 'rules':
        return this.#config.rules.concurrency;
      case 'search':
        return this.#config.search.concurrency;
    }
  }

  #refuse(tenantId: string, kind: AdmissionKind, reason: RefusalReason, retryMs: number): never {
    throw this.#refusal(tenantId, kind, reason, retryMs);
  }

  #refusal(
    tenantId: string,
    kind: AdmissionKind,
    reason: RefusalReason,
    retryMs: number,
  ): CordonError {
    this.#refused?.inc({ tenant: tenantId, kind, reason });
    const retryAfterMs = Math.max(1_000, Math.ceil(retryMs / 1000) * 1000);
    const what = { ingest: 'ingest', rules: 'rule checks', search: 'searches' }[kind];
    return new CordonError(
      'rate_limited',
      reason === 'concurrency'
        ? `this tenant already has ${this.#concurrency(kind)} ${what} in flight (its share); retry after the Retry-After delay`
        : `this tenant has used its share of ${what} for now; retry after the Retry-After delay`,
      { details: { retryAfterMs, kind, reason } },
    );
  }

  #state(tenantId: string): TenantState {
    let state = this.#tenants.get(tenantId);
    if (state) return state;
    if (this.#tenants.size >= this.#config.maxTenants) this.#forgetRested();
    const now = this.#now();
    const { ingest, rules, search } = this.#config;
    const bucket = (share: RequestShare): TokenBucket =>
      new TokenBucket(share.perSecond, share.burst, now);
    state = {
      inFlight: { ingest: 0, rules: 0, search: 0 },
      records: new TokenBucket(ingest.recordsPerSecond, ingest.recordBurst, now),
      bytes: new TokenBucket(ingest.bytesPerSecond, ingest.byteBurst, now),
      rules: bucket(rules),
      search: bucket(search),
    };
    this.#tenants.set(tenantId, state);
    return state;
  }

  /** Drops tenants with nothing in flight and rested buckets: they would start the same. */
  #forgetRested(): void {
    const now = this.#now();
    for (const [tenantId, s] of this.#tenants) {
      const idle = ADMISSION_KINDS.every((kind) => s.inFlight[kind] === 0);
      if (
        idle &&
        s.records.isFull(now) &&
        s.bytes.isFull(now) &&
        s.rules.isFull(now) &&
        s.search.isFull(now)
      )
        this.#tenants.delete(tenantId);
    }
  }
}
