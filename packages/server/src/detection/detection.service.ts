/**
 * Live detection: an `EventConsumer` that runs each tenant's rule set over every durable batch
 * — the server's rules (shipped + SigmaHQ directory), the tenant's own rules, minus its
 * exclusions — feeds the matches to the tenant's correlation engine (windows in event time,
 * bounded state), and hands what fired to triage, which stores alerts and opens or grows
 * incidents. Incident listeners (auto-containment) hear about each incident after the triage
 * transaction has committed.
 *
 * Matching and correlation run in a worker thread (`detection-matcher.worker.ts`), so this
 * thread — the one serving requests — only reads settings, hands the batch over as one JSON
 * text and runs triage. The worker has a capped heap and a time budget per batch; a worker
 * that crashes or overruns is terminated and replaced, and that batch is reported failed
 * (thrown to the pipeline, which logs and counts it; `stats.failedBatches`, metrics). A new
 * worker gets each tenant's rules again on its first batch; correlation windows held by the
 * old one are lost. Stored tenant rules are checked by the `TenantRuleChecker` before they
 * reach the worker, so a rule too costly to compile is skipped rather than compiled there.
 */
import { createHash } from 'node:crypto';
import type {
  AlertLevel,
  Clock,
  Detection,
  DetectionExclusion,
  FieldLookup,
  Store,
  TenantRule,
  TriageService,
} from '@cordon/core';
import { CordonError, UNRECORDED_PROVENANCE } from '@cordon/core';
import type { IngestEvent } from '@cordon/ingest';
import { eventField, sigmaView } from '@cordon/ingest';
import type {
  EventConsumer,
  IncidentRaisedListener,
  StoredIngestEvent,
} from '../pipeline/contracts.ts';
import type { MatchReply, MatchRequest, MatcherSetup } from './detection-matcher.worker.ts';
import type { ServerRuleSet } from './server-rule-set.ts';
import type { MatchedDetection } from './tenant-matcher.ts';
import type { TenantRuleChecker } from './tenant-rule-checker.ts';
import type { TenantRuleCheck } from './tenant-rules.ts';
import type { WorkerLoss } from './worker-host.ts';
import { WorkerHost } from './worker-host.ts';

export interface DetectionOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly rules: ServerRuleSet;
  readonly triage: TriageService;
  /** Checks each stored tenant rule (off this thread, within a budget) before it is compiled. */
  readonly checker: TenantRuleChecker;
  /** Read at each raise, so listeners registered later are heard too. */
  readonly listeners: readonly IncidentRaisedListener[];
  /** Single-rule matches below this level are not alerts (default `low`). */
  readonly alertMinLevel?: AlertLevel;
  /** How long a tenant's rules and exclusions are trusted before re-reading (default 30 s). */
  readonly settingsTtlMs?: number;
  /** Correlation window entries kept per tenant (default 200,000). */
  readonly maxCorrelationEntries?: number;
  /** Time the worker may spend matching one batch before it is replaced (default 30 s). */
  readonly batchBudgetMs?: number;
  /** Heap of the matching worker (default 2 GiB). */
  readonly matcherHeapMb?: number;
  readonly onError?: (message: string, error: unknown) => void;
  /** Told after each batch (metrics), failed ones included. */
  readonly onBatch?: (batch: DetectionBatch) => void;
}

export interface DetectionBatch {
  readonly tenantId: string;
  readonly events: number;
  readonly detections: number;
  readonly ms: number;
  /** Set when matching failed: the worker ran out of time or memory, or stopped. */
  readonly failed?: WorkerLoss;
}

export interface DetectionStats {
  batches: number;
  events: number;
  matches: number;
  detections: number;
  /** Batches whose matching failed (worker over budget or crashed). */
  failedBatches: number;
  /** Time spent matching (ms), all batches, the hand-over to the worker included. */
  matchMs: number;
  /** Time spent in triage (database), all batches. */
  triageMs: number;
  maxBatchMs: number;
  lastBatchMs: number;
}

interface TenantSettings {
  /** The rule texts the worker runs, with the check's verdicts applied. */
  fingerprint: string;
  yamls: readonly string[];
  exclusions: readonly DetectionExclusion[];
  disabledPacks: readonly string[];
  loadedAt: number;
}

export class DetectionService implements EventConsumer {
  readonly name = 'detection';
  readonly stats: DetectionStats = {
    batches: 0,
    events: 0,
    matches: 0,
    detections: 0,
    failedBatches: 0,
    matchMs: 0,
    triageMs: 0,
    maxBatchMs: 0,
    lastBatchMs: 0,
  };
  readonly #options: Required<Omit<DetectionOptions, 'onError' | 'onBatch'>> &
    Pick<DetectionOptions, 'onError' | 'onBatch'>;
  readonly #tenants = new Map<string, Promise<TenantSettings>>();
  /** Per tenant, the verdict on each stored rule text (by rule id and text), kept between loads. */
  readonly #verdicts = new Map<string, Map<string, TenantRuleCheck>>();
  readonly #matcher: WorkerHost<MatchRequest, MatchReply>;

  constructor(options: DetectionOptions) {
    this.#options = {
      alertMinLevel: 'low',
      settingsTtlMs: 30_000,
      maxCorrelationEntries: 200_000,
      batchBudgetMs: 30_000,
      matcherHeapMb: 2048,
      ...options,
    };
    this.#matcher = new WorkerHost({
      name: 'detection matcher',
      script: new URL('./detection-matcher.worker.ts', import.meta.url),
      workerData: {
        serverSources: options.rules.sources,
        packRoots: options.rules.packRoots,
        alertMinLevel: this.#options.alertMinLevel,
        maxCorrelationEntries: this.#options.maxCorrelationEntries,
      } satisfies MatcherSetup,
      maxHeapMb: this.#options.matcherHeapMb,
      // Compiling the SigmaHQ set takes seconds, more on a busy machine.
      startTimeoutMs: 180_000,
      onWorkerLost: (loss) =>
        this.#options.onError?.(
          `the detection worker was replaced (${loss}): correlation windows start over`,
          undefined,
        ),
    });
  }

  /** The tenant's rule texts that run and its exclusions, as live detection uses them now. */
  async tenantRules(
    tenantId: string,
  ): Promise<{ yamls: readonly string[]; exclusions: readonly DetectionExclusion[] }> {
    const { yamls, exclusions } = await this.#settings(tenantId);
    return { yamls, exclusions };
  }

  /** Forget a tenant's compiled rules and exclusions (after they change through the API). */
  invalidate(tenantId: string): void {
    const state = this.#tenants.get(tenantId);
    if (state) void state.then((s) => (s.loadedAt = 0)).catch(() => undefined);
  }

  /**
   * Why a stored rule of the tenant is not run (it failed its check when the tenant's rules were
   * last compiled: stored before the check existed, or too costly), or undefined.
   */
  ruleProblems(tenantId: string, rule: TenantRule): readonly string[] | undefined {
    const verdict = this.#verdicts.get(tenantId)?.get(verdictKey(rule));
    return verdict && !verdict.ok ? verdict.problems : undefined;
  }

  /**
   * Starts the matching worker (it compiles the server's rules) and waits for it, so that the
   * server is ready to detect when it says it is, with the worker's memory already in use.
   */
  start(): Promise<void> {
    return this.#matcher.start();
  }

  /** Stops the matching worker. */
  close(): Promise<void> {
    return this.#matcher.close();
  }

  async consume(tenantId: string, events: readonly StoredIngestEvent[]): Promise<void> {
    const started = performance.now();
    const settings = await this.#settings(tenantId);
    let matched: MatchedDetection[];
    try {
      matched = await this.#match(tenantId, settings, events);
    } catch (error) {
      const loss = error instanceof CordonError ? error.details?.['loss'] : undefined;
      this.stats.failedBatches++;
      this.#options.onBatch?.({
        tenantId,
        events: events.length,
        detections: 0,
        ms: performance.now() - started,
        failed: (loss as WorkerLoss | undefined) ?? 'crash',
      });
      throw new CordonError(
        'unavailable',
        `live detection skipped a batch of ${events.length} events of tenant ${tenantId}`,
        { cause: error },
      );
    }
    const detections = withLookups(matched, events);
    const matchedAt = performance.now();
    this.stats.matchMs += matchedAt - started;
    if (detections.length > 0) {
      const outcome = await this.#options.triage.triage(tenantId, detections);
      for (const raised of outcome.incidents) {
        for (const listener of [...this.#options.listeners]) {
          await listener({ tenantId, ...raised }).catch((error: unknown) =>
            this.#options.onError?.('incident listener failed', error),
          );
        }
      }
    }
    const ended = performance.now();
    this.stats.triageMs += ended - matchedAt;
    this.stats.batches++;
    this.stats.events += events.length;
    this.stats.detections += detections.length;
    this.stats.lastBatchMs = ended - started;
    this.stats.maxBatchMs = Math.max(this.stats.maxBatchMs, ended - started);
    this.#options.onBatch?.({
      tenantId,
      events: events.length,
      detections: detections.length,
      ms: ended - started,
    });
  }

  /** Matching in the worker; the tenant's rule texts go along only when it asks for them. */
  async #match(
    tenantId: string,
    settings: TenantSettings,
    events: readonly StoredIngestEvent[],
  ): Promise<MatchedDetection[]> {
    const request: MatchRequest = {
      tenantId,
      fingerprint: settings.fingerprint,
      exclusions: settings.exclusions,
      disabledPacks: settings.disabledPacks,
      nowMs: this.#options.clock.now(),
      events: JSON.stringify(events),
    };
    const budget = this.#options.batchBudgetMs;
    let reply = await this.#matcher.call(request, budget);
    if (reply.kind === 'rules')
      reply = await this.#matcher.call({ ...request, yamls: settings.yamls }, budget);
    if (reply.kind === 'rules') throw new CordonError('internal', 'the worker refused the rules');
    this.stats.matches += reply.matches;
    return reply.detections;
  }

  async #settings(tenantId: string): Promise<TenantSettings> {
    const cached = this.#tenants.get(tenantId);
    const now = this.#options.clock.now();
    if (cached) {
      const settings = await cached;
      if (now - settings.loadedAt < this.#options.settingsTtlMs) return settings;
    }
    const next = this.#load(tenantId, now);
    this.#tenants.set(tenantId, next);
    try {
      return await next;
    } catch (error) {
      this.#tenants.delete(tenantId);
      throw error;
    }
  }

  async #load(tenantId: string, now: number): Promise<TenantSettings> {
    const { rules, exclusions, packs } = await this.#options.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      return {
        rules: (await scope.detection.rules.list()).filter((r) => r.enabled),
        exclusions: await scope.detection.exclusions.list(),
        packs: await scope.detection.rulePacks.list(),
      };
    });
    const yamls = await this.#runnable(tenantId, rules);
    const fingerprint = createHash('sha256').update(JSON.stringify(yamls)).digest('base64');
    const disabledPacks = packs.filter((p) => !p.enabled).map((p) => p.pack);
    return { fingerprint, yamls, exclusions, disabledPacks, loadedAt: now };
  }

  /**
   * The texts of the tenant's rules that pass their check. A rule that fails is logged once and
   * skipped; its verdict is kept (by id and text), so it is not checked again on every load.
   */
  async #runnable(tenantId: string, rules: readonly TenantRule[]): Promise<string[]> {
    const previous = this.#verdicts.get(tenantId) ?? new Map<string, TenantRuleCheck>();
    const verdicts = new Map<string, TenantRuleCheck>();
    const allIds = rules.flatMap((r) => r.ruleIds);
    const runnable: string[] = [];
    for (const rule of rules) {
      const key = verdictKey(rule);
      let verdict = previous.get(key);
      if (!verdict) {
        verdict = await this.#options.checker.check(rule.yaml, allIds);
        if (!verdict.ok)
          this.#options.onError?.(
            `tenant ${tenantId}: rule ${rule.id} (${rule.title}) is skipped`,
            new Error(verdict.problems.join('; ')),
          );
      }
      verdicts.set(key, verdict);
      if (verdict.ok) runnable.push(rule.yaml);
    }
    this.#verdicts.set(tenantId, verdicts);
    return runnable;
  }
}

/** Detections for triage: each reads the fields of the event it fired on (and its group). */
function withLookups(
  matched: readonly MatchedDetection[],
  events: readonly StoredIngestEvent[],
): Detection[] {
  if (matched.length === 0) return [];
  const byId = new Map<string, IngestEvent>();
  for (const stored of events) byId.set(stored.id, stored.event);
  const lookups = new Map<string, FieldLookup>();
  const lookupOf = (eventId: string): FieldLookup => {
    let lookup = lookups.get(eventId);
    if (!lookup) {
      const event = byId.get(eventId);
      const view = event ? sigmaView(event) : {};
      lookup = (field) => view[field] ?? (event ? eventField(event, field) : undefined);
      lookups.set(eventId, lookup);
    }
    return lookup;
  };
  return matched.map(({ eventId, group, ...detection }) => {
    const lookup = lookupOf(eventId);
    return {
      ...detection,
      lookup: group ? (field: string) => group[field] ?? lookup(field) : lookup,
    };
  });
}

function verdictKey(rule: TenantRule): string {
  return `${rule.id}\u0001${createHash('sha256').update(rule.yaml).digest('base64')}`;
}

/** For tests and benchmarks: the events as the pipeline hands them over. */
export function storedEvents(events: readonly IngestEvent[], prefix = 'e'): StoredIngestEvent[] {
  return events.map((event, i) => ({
    id: `${prefix}${i + 1}`,
    event,
    provenance: UNRECORDED_PROVENANCE,
  }));
}
