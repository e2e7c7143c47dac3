/**
 * Live detection: an `EventConsumer` that runs each tenant's rule set over every durable batch
 * — the server's rules (shipped + SigmaHQ directory, compiled once and shared), the tenant's
 * own rules, minus its exclusions — feeds the matches to the tenant's correlation engine
 * (windows in event time, bounded state), and hands what fired to triage, which stores alerts
 * and opens or grows incidents. Incident listeners (auto-containment) hear about each incident
 * after the triage transaction has committed.
 *
 * Matching is synchronous, in slices of 500 events with a turn of the event loop between them
 * so that listeners and HTTP stay responsive; the database is touched once per batch, and only
 * when something fired. Per-batch time is measured (`stats`).
 */
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
import { alertLevelIndex, fieldFilterMatches } from '@cordon/core';
import { createHash } from 'node:crypto';
import type { IngestEvent } from '@cordon/ingest';
import { eventEntities, eventField, sigmaView } from '@cordon/ingest';
import type { CorrelationAlert, RuleSummary, SigmaEngine } from '@cordon/sigma';
import { CorrelationEngine } from '@cordon/sigma';
import type {
  EventConsumer,
  IncidentRaisedListener,
  StoredIngestEvent,
} from '../pipeline/contracts.ts';
import { alertEntitiesOf, groupedEntities } from './alert-entities.ts';
import { CorrelationEvidence } from './correlation-evidence.ts';
import type { ServerRuleSet } from './server-rule-set.ts';
import type { TenantRuleChecker } from './tenant-rule-checker.ts';
import type { TenantRuleCheck } from './tenant-rules.ts';
import { compileTenantRules } from './tenant-rules.ts';

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
  readonly onError?: (message: string, error: unknown) => void;
  /** Told after each batch (metrics). */
  readonly onBatch?: (batch: DetectionBatch) => void;
}

export interface DetectionBatch {
  readonly tenantId: string;
  readonly events: number;
  readonly detections: number;
  readonly ms: number;
}

export interface DetectionStats {
  batches: number;
  events: number;
  matches: number;
  detections: number;
  /** Time spent matching (ms), all batches. */
  matchMs: number;
  /** Time spent in triage (database), all batches. */
  triageMs: number;
  maxBatchMs: number;
  lastBatchMs: number;
}

interface TenantState {
  fingerprint: string;
  engine: SigmaEngine | undefined;
  correlations: CorrelationEngine;
  evidence: CorrelationEvidence;
  /** Rules referenced by a correlation without `generate`: they report only through it. */
  quiet: Set<string>;
  exclusions: readonly DetectionExclusion[];
  loadedAt: number;
}

const LEVEL_DEFAULT: AlertLevel = 'low';
/** Events matched between two turns of the event loop. */
const MATCH_SLICE = 500;

export class DetectionService implements EventConsumer {
  readonly name = 'detection';
  readonly stats: DetectionStats = {
    batches: 0,
    events: 0,
    matches: 0,
    detections: 0,
    matchMs: 0,
    triageMs: 0,
    maxBatchMs: 0,
    lastBatchMs: 0,
  };
  readonly #options: Required<Omit<DetectionOptions, 'onError' | 'onBatch'>> &
    Pick<DetectionOptions, 'onError' | 'onBatch'>;
  readonly #tenants = new Map<string, Promise<TenantState>>();
  /** Per tenant, the verdict on each stored rule text (by rule id and text), kept between loads. */
  readonly #verdicts = new Map<string, Map<string, TenantRuleCheck>>();

  constructor(options: DetectionOptions) {
    this.#options = {
      alertMinLevel: 'low',
      settingsTtlMs: 30_000,
      maxCorrelationEntries: 200_000,
      ...options,
    };
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

  async consume(tenantId: string, events: readonly StoredIngestEvent[]): Promise<void> {
    const started = performance.now();
    const state = await this.#state(tenantId);
    // Matching is synchronous; slices keep the event loop (listeners, HTTP) turning between them.
    const detections: Detection[] = [];
    for (let from = 0; from < events.length; from += MATCH_SLICE) {
      if (from > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      detections.push(...this.detect(state, events.slice(from, from + MATCH_SLICE)));
    }
    const matched = performance.now();
    this.stats.matchMs += matched - started;
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
    this.stats.triageMs += ended - matched;
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

  /** Matching only (no database): what would be handed to triage for this batch. */
  private detect(state: TenantState, events: readonly StoredIngestEvent[]): Detection[] {
    const detections: Detection[] = [];
    const server = this.#options.rules.engine;
    const correlating = state.correlations.correlations.length > 0;
    const minLevel = alertLevelIndex(this.#options.alertMinLevel);
    for (const stored of events) {
      const event = stored.event;
      const view = sigmaView(event);
      const parsed = Date.parse(event['@timestamp']);
      const timeMs = Number.isNaN(parsed) ? this.#options.clock.now() : parsed;
      const lookup: FieldLookup = (field) => view[field] ?? eventField(event, field);
      let entities: ReturnType<typeof alertEntitiesOf> | undefined;
      const entitiesOf = (): ReturnType<typeof alertEntitiesOf> =>
        (entities ??= alertEntitiesOf(eventEntities(event)));
      const onRule = (rule: RuleSummary, source: 'server' | 'tenant'): void => {
        this.stats.matches++;
        if (excluded(state.exclusions, [rule.id, rule.name], lookup)) return;
        if (correlating) {
          state.evidence.record(rule, view, stored.id);
          for (const alert of state.correlations.observe(rule, view, timeMs)) {
            const detection = this.#fromCorrelation(state, alert, stored, entitiesOf, lookup);
            if (detection) detections.push(detection);
          }
        }
        const quiet = state.quiet.has(rule.id ?? '') || state.quiet.has(rule.name ?? '');
        const level = rule.level ?? LEVEL_DEFAULT;
        if (quiet || alertLevelIndex(level) < minLevel) return;
        detections.push({
          ruleId: rule.id ?? rule.name ?? rule.title,
          ruleName: rule.name,
          ruleTitle: rule.title,
          level,
          tags: rule.tags,
          source,
          entities: entitiesOf(),
          firstSeen: timeMs,
          lastSeen: timeMs,
          eventIds: [stored.id],
          eventCount: 1,
          lookup,
        });
      };
      server.matchEach(view, event.log_source, (i) => onRule(server.rules[i]!, 'server'));
      const own = state.engine;
      if (own) own.matchEach(view, event.log_source, (i) => onRule(own.rules[i]!, 'tenant'));
    }
    return detections;
  }

  #fromCorrelation(
    state: TenantState,
    alert: CorrelationAlert,
    stored: StoredIngestEvent,
    entitiesOf: () => ReturnType<typeof alertEntitiesOf>,
    lookup: FieldLookup,
  ): Detection | undefined {
    const c = alert.correlation;
    const groupLookup: FieldLookup = (field) => alert.group[field] ?? lookup(field);
    if (excluded(state.exclusions, [c.id, c.name], groupLookup)) return undefined;
    const eventIds = state.evidence.take(alert);
    return {
      ruleId: c.id ?? c.name ?? c.title,
      ruleName: c.name,
      ruleTitle: c.title,
      level: c.level ?? LEVEL_DEFAULT,
      tags: c.tags,
      source: this.#options.rules.correlations.includes(c) ? 'server' : 'tenant',
      entities: groupedEntities(entitiesOf(), alert.group),
      firstSeen: alert.firstMs,
      lastSeen: alert.lastMs,
      eventIds: eventIds.length > 0 ? eventIds : [stored.id],
      eventCount: alert.events,
      lookup: groupLookup,
    };
  }

  async #state(tenantId: string): Promise<TenantState> {
    const cached = this.#tenants.get(tenantId);
    const now = this.#options.clock.now();
    if (cached) {
      const state = await cached;
      if (now - state.loadedAt < this.#options.settingsTtlMs) return state;
    }
    const next = this.#load(tenantId, cached ? await cached : undefined, now);
    this.#tenants.set(tenantId, next);
    try {
      return await next;
    } catch (error) {
      this.#tenants.delete(tenantId);
      throw error;
    }
  }

  async #load(
    tenantId: string,
    previous: TenantState | undefined,
    now: number,
  ): Promise<TenantState> {
    const { rules, exclusions } = await this.#options.store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      return {
        rules: (await scope.detection.rules.list()).filter((r) => r.enabled),
        exclusions: await scope.detection.exclusions.list(),
      };
    });
    const fingerprint = rules.map((r) => `${r.id}@${r.updatedAt}`).join(',');
    if (previous && previous.fingerprint === fingerprint)
      return { ...previous, exclusions, loadedAt: now };
    const own = compileTenantRules(await this.#runnable(tenantId, rules));
    const correlations = [...this.#options.rules.correlations, ...own.correlations];
    const engine = new CorrelationEngine(
      correlations,
      [...this.#options.rules.engine.rules, ...(own.engine?.rules ?? [])],
      { maxEntries: this.#options.maxCorrelationEntries },
    );
    return {
      fingerprint,
      engine: own.engine,
      correlations: engine,
      evidence: new CorrelationEvidence(engine.correlations),
      quiet: new Set(engine.correlations.filter((c) => !c.generate).flatMap((c) => c.rules)),
      exclusions,
      loadedAt: now,
    };
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

function verdictKey(rule: TenantRule): string {
  return `${rule.id}\u0001${createHash('sha256').update(rule.yaml).digest('base64')}`;
}

function excluded(
  exclusions: readonly DetectionExclusion[],
  refs: readonly (string | undefined)[],
  lookup: FieldLookup,
): boolean {
  for (const exclusion of exclusions) if (fieldFilterMatches(exclusion, refs, lookup)) return true;
  return false;
}

/** For tests and benchmarks: the events as the pipeline hands them over. */
export function storedEvents(events: readonly IngestEvent[], prefix = 'e'): StoredIngestEvent[] {
  return events.map((event, i) => ({ id: `${prefix}${i + 1}`, event }));
}
