/**
 * One tenant's live matching, as it runs inside the detection worker: the server's engine and
 * the tenant's own, minus its exclusions, feeding the tenant's correlation engine (windows in
 * event time, bounded state). It returns what fired as plain data — no functions, so it can
 * cross to the thread that runs triage, which rebuilds each detection's field lookup from the
 * event it names (`eventId`) and, for a correlation, its `group`.
 */
import type { AlertLevel, Detection, DetectionExclusion, FieldLookup } from '@cordon/core';
import { alertLevelIndex, fieldFilterMatches } from '@cordon/core';
import type { IngestEvent } from '@cordon/ingest';
import { eventEntities, eventField, sigmaView } from '@cordon/ingest';
import type { CorrelationAlert, RuleSummary, SigmaEngine } from '@cordon/sigma';
import { CorrelationEngine } from '@cordon/sigma';
import { alertEntitiesOf, groupedEntities } from './alert-entities.ts';
import { CorrelationEvidence } from './correlation-evidence.ts';
import type { ServerRuleSet } from './server-rule-set.ts';
import { compileTenantRules } from './tenant-rules.ts';
import { rulePackOf } from '../rule-packs/rule-pack-of.ts';

/** A detection as it leaves the worker: the event it fired on stands in for its lookup. */
export interface MatchedDetection extends Omit<Detection, 'lookup'> {
  /** The event whose fields suppressions read (the last one, for a correlation). */
  readonly eventId: string;
  /** A correlation's group-by values, read before the event's own fields. */
  readonly group?: Readonly<Record<string, string>>;
}

export interface MatchOutcome {
  readonly detections: MatchedDetection[];
  /** Rule matches before exclusions, quiet rules and levels. */
  readonly matches: number;
}

const LEVEL_DEFAULT: AlertLevel = 'low';

export class TenantMatcher {
  readonly fingerprint: string;
  exclusions: readonly DetectionExclusion[] = [];
  /** Rule packs the tenant turned off: their server rules do not run for it. */
  disabledPacks: ReadonlySet<string> = new Set();
  readonly #server: ServerRuleSet;
  /** The pack of each server rule, by its index in the server engine. */
  readonly #rulePacks: readonly (string | undefined)[];
  readonly #engine: SigmaEngine | undefined;
  readonly #correlations: CorrelationEngine;
  readonly #evidence: CorrelationEvidence;
  /** Rules referenced by a correlation without `generate`: they report only through it. */
  readonly #quiet: Set<string>;
  readonly #minLevel: number;

  constructor(options: {
    readonly server: ServerRuleSet;
    readonly fingerprint: string;
    readonly yamls: readonly string[];
    readonly alertMinLevel: AlertLevel;
    readonly maxCorrelationEntries: number;
  }) {
    const { server } = options;
    this.fingerprint = options.fingerprint;
    this.#server = server;
    this.#rulePacks = server.engine.rules.map((rule) => rulePackOf(rule.file, server.packRoots));
    const own = compileTenantRules(options.yamls);
    this.#engine = own.engine;
    this.#correlations = new CorrelationEngine(
      [...server.correlations, ...own.correlations],
      [...server.engine.rules, ...(own.engine?.rules ?? [])],
      { maxEntries: options.maxCorrelationEntries },
    );
    this.#evidence = new CorrelationEvidence(this.#correlations.correlations);
    this.#quiet = new Set(
      this.#correlations.correlations.filter((c) => !c.generate).flatMap((c) => c.rules),
    );
    this.#minLevel = alertLevelIndex(options.alertMinLevel);
  }

  match(
    events: readonly { readonly id: string; readonly event: IngestEvent }[],
    nowMs: number,
  ): MatchOutcome {
    const detections: MatchedDetection[] = [];
    let matches = 0;
    const correlating = this.#correlations.correlations.length > 0;
    for (const stored of events) {
      const event = stored.event;
      const view = sigmaView(event);
      const parsed = Date.parse(event['@timestamp']);
      const timeMs = Number.isNaN(parsed) ? nowMs : parsed;
      const lookup: FieldLookup = (field) => view[field] ?? eventField(event, field);
      let entities: ReturnType<typeof alertEntitiesOf> | undefined;
      const entitiesOf = (): ReturnType<typeof alertEntitiesOf> =>
        (entities ??= alertEntitiesOf(eventEntities(event)));
      const onRule = (rule: RuleSummary, source: 'server' | 'tenant'): void => {
        matches++;
        if (this.#excluded([rule.id, rule.name], lookup)) return;
        if (correlating) {
          this.#evidence.record(rule, view, stored.id);
          for (const alert of this.#correlations.observe(rule, view, timeMs)) {
            const detection = this.#fromCorrelation(alert, stored.id, entitiesOf, lookup);
            if (detection) detections.push(detection);
          }
        }
        const quiet = this.#quiet.has(rule.id ?? '') || this.#quiet.has(rule.name ?? '');
        const level = rule.level ?? LEVEL_DEFAULT;
        if (quiet || alertLevelIndex(level) < this.#minLevel) return;
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
          eventId: stored.id,
        });
      };
      const server = this.#server.engine;
      server.matchEach(view, event.log_source, (i) => {
        if (!this.#packDisabled(i)) onRule(server.rules[i]!, 'server');
      });
      const own = this.#engine;
      if (own) own.matchEach(view, event.log_source, (i) => onRule(own.rules[i]!, 'tenant'));
    }
    return { detections, matches };
  }

  #fromCorrelation(
    alert: CorrelationAlert,
    eventId: string,
    entitiesOf: () => ReturnType<typeof alertEntitiesOf>,
    lookup: FieldLookup,
  ): MatchedDetection | undefined {
    const c = alert.correlation;
    const groupLookup: FieldLookup = (field) => alert.group[field] ?? lookup(field);
    if (this.#excluded([c.id, c.name], groupLookup)) return undefined;
    const eventIds = this.#evidence.take(alert);
    return {
      ruleId: c.id ?? c.name ?? c.title,
      ruleName: c.name,
      ruleTitle: c.title,
      level: c.level ?? LEVEL_DEFAULT,
      tags: c.tags,
      source: this.#server.correlations.includes(c) ? 'server' : 'tenant',
      entities: groupedEntities(entitiesOf(), alert.group),
      firstSeen: alert.firstMs,
      lastSeen: alert.lastMs,
      eventIds: eventIds.length > 0 ? eventIds : [eventId],
      eventCount: alert.events,
      eventId,
      group: { ...alert.group },
    };
  }

  #packDisabled(ruleIndex: number): boolean {
    if (this.disabledPacks.size === 0) return false;
    const pack = this.#rulePacks[ruleIndex];
    return pack !== undefined && this.disabledPacks.has(pack);
  }

  #excluded(refs: readonly (string | undefined)[], lookup: FieldLookup): boolean {
    for (const exclusion of this.exclusions)
      if (fieldFilterMatches(exclusion, refs, lookup)) return true;
    return false;
  }
}
