/**
 * Per-tenant shares of the server's costly work, so that one tenant (or one stolen token)
 * cannot take the cores from the others. Each kind of work has a number of requests a tenant
 * may have in flight at once and a token bucket (a sustained rate and a burst). Past either,
 * the request is answered 429 with `Retry-After` (code `rate_limited`). Defaults are sized for
 * one two-core `cordon serve` shared by several tenants: the whole server stores about 10,000
 * short events (or ~10 MB of large ones) a second end to end, so one tenant's sustained ingest
 * is a fifth of the records and a tenth of the bytes, and a burst is five (sixteen) seconds of
 * it: a burst of the records cap (100,000) was the whole server for ten seconds. A body larger
 * than the burst is cut with 429 and completed by retries with its batch id (batches already
 * stored are handed back what they were charged, so each retry gets further). A single-tenant
 * deployment raises them.
 */
export interface IngestShare {
  /** Bulk bodies of one tenant read at once. */
  readonly concurrency: number;
  /** Records parsed per second, sustained, and the burst. */
  readonly recordsPerSecond: number;
  readonly recordBurst: number;
  /** Bytes parsed (after decompression) per second, sustained, and the burst. */
  readonly bytesPerSecond: number;
  readonly byteBurst: number;
}

export interface RequestShare {
  /** Requests of one tenant in flight at once. */
  readonly concurrency: number;
  /** Requests per second, sustained, and the burst. */
  readonly perSecond: number;
  readonly burst: number;
}

export interface FairnessConfig {
  /** `POST /api/v1/ingest` bodies, charged while they stream. */
  readonly ingest: IngestShare;
  /** Tenant rule texts checked (create, test): each runs in the rule-check worker. */
  readonly rules: RequestShare;
  /** Event search, count, terms and histogram. */
  readonly search: RequestShare;
  /** Tenants whose state is kept at most (idle, rested tenants are forgotten first). */
  readonly maxTenants: number;
}

export const defaultFairnessConfig: FairnessConfig = {
  ingest: {
    concurrency: 4,
    recordsPerSecond: 2_000,
    recordBurst: 10_000,
    bytesPerSecond: 1024 * 1024,
    byteBurst: 16 * 1024 * 1024,
  },
  rules: { concurrency: 2, perSecond: 2, burst: 20 },
  search: { concurrency: 4, perSecond: 50, burst: 100 },
  maxTenants: 100_000,
};

/**
 * `CORDON_TENANT_INGEST_CONCURRENCY`, `…_INGEST_RECORDS_PER_SECOND`, `…_INGEST_RECORD_BURST`,
 * `…_INGEST_BYTES_PER_SECOND`, `…_INGEST_BYTE_BURST`, `CORDON_TENANT_RULES_CONCURRENCY`,
 * `…_RULES_PER_SECOND`, `…_RULES_BURST`, `CORDON_TENANT_SEARCH_CONCURRENCY`,
 * `…_SEARCH_PER_SECOND`, `…_SEARCH_BURST` (each `CORDON_TENANT_…`).
 */
export function fairnessConfigFromEnv(env: NodeJS.ProcessEnv): FairnessConfig {
  const number = (name: string, fallback: number): number => {
    const text = env[`CORDON_TENANT_${name}`];
    if (text === undefined || text === '') return fallback;
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0)
      throw new Error(`CORDON_TENANT_${name}=${text} is not a positive number`);
    return value;
  };
  const d = defaultFairnessConfig;
  const share = (prefix: string, fallback: RequestShare): RequestShare => ({
    concurrency: number(`${prefix}_CONCURRENCY`, fallback.concurrency),
    perSecond: number(`${prefix}_PER_SECOND`, fallback.perSecond),
    burst: number(`${prefix}_BURST`, fallback.burst),
  });
  return {
    ingest: {
      concurrency: number('INGEST_CONCURRENCY', d.ingest.concurrency),
      recordsPerSecond: number('INGEST_RECORDS_PER_SECOND', d.ingest.recordsPerSecond),
      recordBurst: number('INGEST_RECORD_BURST', d.ingest.recordBurst),
      bytesPerSecond: number('INGEST_BYTES_PER_SECOND', d.ingest.bytesPerSecond),
      byteBurst: number('INGEST_BYTE_BURST', d.ingest.byteBurst),
    },
    rules: share('RULES', d.rules),
    search: share('SEARCH', d.search),
    maxTenants: d.maxTenants,
  } satisfies FairnessConfig;
}
