/**
 * Behavioural detection: an `EventConsumer` beside rule matching that runs each tenant's
 * behavioural detectors (detectors/detector-catalogue.ts) over every durable batch and hands
 * their findings to the same triage as rule alerts — merge, suppression, grouping into
 * incidents, incident listeners. Each finding becomes a detection of rule
 * `cordon-behaviour-<detector>` carrying its explanation (score, features, baseline).
 *
 * Per tenant, detectors hold their state in bounded maps; it is saved to the store
 * (`detectors.saveState`) every `persistIntervalMs` of wall time and at close, and read back
 * when the tenant's first batch arrives, so a restart keeps baselines. A finding whose key is
 * on the tenant's allow-list for that detector is dropped (counted); an alert of a detector
 * closed with a reason that says "false positive" puts its key there (`onAlertClosed`, in the
 * closing transaction, journalled). Source addresses of successful logons are looked up in the
 * offline IP database (cached) for the login-pattern detector.
 */
import type {
  AlertClosedHook,
  Clock,
  Detection,
  DetectorAllowEntry,
  GeoIpLookup,
  Store,
  TriageService,
} from '@cordon/core';
import type { IngestEvent } from '@cordon/ingest';
import { eventField, sigmaView } from '@cordon/ingest';
import type { Registry } from 'prom-client';
import type {
  EventConsumer,
  IncidentRaisedListener,
  StoredIngestEvent,
} from '../pipeline/contracts.ts';
import type { BehaviourMetrics } from './behaviour-metrics.ts';
import { behaviourMetrics } from './behaviour-metrics.ts';
import { BoundedMap } from './detectors/bounded-map.ts';
import type { Detector, DetectorFinding } from './detectors/detector.ts';
import { tenantDetectors } from './detectors/detector-catalogue.ts';
import type { DetectorEvent } from './detectors/detector-event.ts';
import { detectorEvent, isInternal } from './detectors/detector-event.ts';

export const BEHAVIOUR_RULE_PREFIX = 'cordon-behaviour-';

export interface BehaviourOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly triage: TriageService;
  readonly listeners: readonly IncidentRaisedListener[];
  readonly geo?: GeoIpLookup;
  readonly registry?: Registry;
  /** How often (wall time) changed detector state is saved (default 5 min; also at close). */
  readonly persistIntervalMs?: number;
  /** How long a tenant's allow-list and settings are trusted before re-reading (default 30 s). */
  readonly settingsTtlMs?: number;
  readonly onError?: (message: string, error: unknown) => void;
}

interface TenantDetectors {
  detectors: Detector[];
  allowed: Set<string>;
  settingsAt: number;
  savedAt: number;
  dirty: boolean;
  /** The settings the detectors were built with. */
  fingerprint: string;
}

export interface BehaviourStats {
  batches: number;
  events: number;
  findings: number;
  allowListed: number;
  detectMs: number;
  triageMs: number;
}

const GEO_CACHE = 50_000;

export class BehaviourService implements EventConsumer {
  readonly name = 'behaviour';
  readonly stats: BehaviourStats = {
    batches: 0,
    events: 0,
    findings: 0,
    allowListed: 0,
    detectMs: 0,
    triageMs: 0,
  };
  readonly #options: BehaviourOptions;
  readonly #tenants = new Map<string, Promise<TenantDetectors>>();
  /** Tenants whose load finished (metrics read them synchronously). */
  readonly #loaded = new Map<string, TenantDetectors>();
  readonly #geoCache = new BoundedMap<string, { country?: string; asn?: number }>(GEO_CACHE);
  readonly #metrics: BehaviourMetrics | undefined;

  constructor(options: BehaviourOptions) {
    this.#options = options;
    this.#metrics = options.registry
      ? behaviourMetrics(options.registry, () => this.#sizes())
      : undefined;
  }

  async consume(tenantId: string, events: readonly StoredIngestEvent[]): Promise<void> {
    const started = performance.now();
    const tenant = await this.#tenant(tenantId);
    const nowMs = this.#options.clock.now();
    const facts = events.map((stored) => detectorEvent(stored.id, stored.event, nowMs));
    await this.#locate(facts);
    const findings: { detector: string; finding: DetectorFinding }[] = [];
    // One emitter per detector and batch, not one closure per event and detector.
    const observers = tenant.detectors.map((detector) => {
      const emit = (finding: DetectorFinding): void => {
        findings.push({ detector: detector.name, finding });
      };
      return { detector, emit };
    });
    for (const fact of facts) {
      for (const { detector, emit } of observers) detector.observe(fact, emit);
    }
    if (facts.length > 0) tenant.dirty = true;
    const detections = this.#detections(tenant, findings, events);
    const detected = performance.now();
    this.stats.detectMs += detected - started;
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
    if (this.#options.clock.now() - tenant.savedAt >= (this.#options.persistIntervalMs ?? 300_000))
      await this.#save(tenantId, tenant);
    const ended = performance.now();
    this.stats.triageMs += ended - detected;
    this.stats.batches++;
    this.stats.events += events.length;
    this.#metrics?.batch((ended - started) / 1000);
  }

  /** Saves every tenant's changed detector state (at shutdown, and for tests). */
  async flush(): Promise<void> {
    for (const [tenantId, pending] of this.#tenants) {
      const tenant = await pending.catch(() => undefined);
      if (tenant?.dirty) await this.#save(tenantId, tenant);
    }
  }

  async close(): Promise<void> {
    await this.flush();
  }

  /** Re-read the tenant's settings and allow-list on its next batch (they changed). */
  invalidate(tenantId: string): void {
    const pending = this.#tenants.get(tenantId);
    if (pending) void pending.then((t) => (t.settingsAt = -Infinity)).catch(() => undefined);
  }

  /** The hook for `AlertService`: a detector alert closed as a false positive. */
  readonly onAlertClosed: AlertClosedHook = async (scope, { alert, reason, actor }, now) => {
    const explanation = alert.explanation;
    if (!explanation || !/false[\s_-]*positive/i.test(reason)) return;
    const entry: DetectorAllowEntry = {
      detector: explanation.detector,
      key: explanation.key,
      reason,
      alertId: alert.id,
      createdBy: actor,
      createdAt: now,
    };
    if (!(await scope.detectors.allow(entry))) return;
    await scope.journal.append({
      actor,
      kind: 'detector.allow_listed',
      ...(alert.incidentId ? { incidentId: alert.incidentId } : {}),
      payload: { ...entry },
    });
    const pending = this.#tenants.get(scope.tenantId);
    if (pending)
      void pending
        .then((t) => t.allowed.add(allowKey(entry.detector, entry.key)))
        .catch(() => undefined);
  };

  #detections(
    tenant: TenantDetectors,
    findings: readonly { detector: string; finding: DetectorFinding }[],
    events: readonly StoredIngestEvent[],
  ): Detection[] {
    if (findings.length === 0) return [];
    const byId = new Map<string, IngestEvent>();
    for (const stored of events) byId.set(stored.id, stored.event);
    const out: Detection[] = [];
    for (const { detector, finding } of findings) {
      const allowListed = tenant.allowed.has(allowKey(detector, finding.key));
      this.#metrics?.finding(detector, allowListed);
      if (allowListed) {
        this.stats.allowListed++;
        continue;
      }
      this.stats.findings++;
      const last = byId.get(finding.eventIds[finding.eventIds.length - 1] ?? '');
      const view = last ? sigmaView(last) : {};
      out.push({
        ruleId: `${BEHAVIOUR_RULE_PREFIX}${detector}`,
        ruleName: detector,
        ruleTitle: finding.title,
        level: finding.level,
        tags: finding.tags,
        source: 'server',
        entities: finding.entities,
        firstSeen: finding.firstSeen,
        lastSeen: finding.lastSeen,
        eventIds: finding.eventIds,
        eventCount: finding.eventCount,
        lookup: (field) => view[field] ?? (last ? eventField(last, field) : undefined),
        explanation: {
          detector,
          key: finding.key,
          score: finding.score,
          threshold: finding.threshold,
          summary: finding.summary,
          features: finding.features,
          baseline: finding.baseline,
        },
      });
    }
    return out;
  }

  /** Country and AS of the outside sources of successful logons, from the offline database. */
  async #locate(facts: DetectorEvent[]): Promise<void> {
    const geo = this.#options.geo;
    if (!geo) return;
    for (const fact of facts) {
      if (fact.kind !== 'authentication' || fact.outcome !== 'success' || !fact.sourceIp) continue;
      if (isInternal(fact.sourceIp)) continue;
      let place = this.#geoCache.get(fact.sourceIp);
      if (!place) {
        const answer = await geo.lookup(fact.sourceIp).catch(() => undefined);
        place = {
          ...(answer?.country ? { country: answer.country } : {}),
          ...(answer?.asn != null ? { asn: answer.asn } : {}),
        };
        this.#geoCache.set(fact.sourceIp, place);
      }
      fact.sourceCountry = place.country;
      fact.sourceAsn = place.asn;
    }
  }

  async #tenant(tenantId: string): Promise<TenantDetectors> {
    let pending = this.#tenants.get(tenantId);
    if (!pending) {
      pending = this.#load(tenantId);
      this.#tenants.set(tenantId, pending);
      pending.catch(() => this.#tenants.delete(tenantId));
    }
    const tenant = await pending;
    this.#loaded.set(tenantId, tenant);
    if (this.#options.clock.now() - tenant.settingsAt >= (this.#options.settingsTtlMs ?? 30_000))
      await this.#refresh(tenantId, tenant);
    return tenant;
  }

  async #load(tenantId: string): Promise<TenantDetectors> {
    const tenant: TenantDetectors = {
      detectors: [],
      allowed: new Set(),
      settingsAt: -Infinity,
      savedAt: this.#options.clock.now(),
      dirty: false,
      fingerprint: '',
    };
    await this.#refresh(tenantId, tenant, true);
    return tenant;
  }

  /** Reads settings and allow-list; rebuilds detectors (keeping their state) when settings changed. */
  async #refresh(tenantId: string, tenant: TenantDetectors, restore = false): Promise<void> {
    const { settings, allowed, states } = await this.#options.store.transaction(async (uow) => {
      const repo = uow.forTenant(tenantId).detectors;
      return {
        settings: await repo.settings(),
        allowed: await repo.allowList(),
        states: restore ? await repo.states() : [],
      };
    });
    const snapshots = new Map<string, unknown>();
    for (const detector of tenant.detectors) snapshots.set(detector.name, detector.snapshot());
    for (const record of states) {
      try {
        snapshots.set(record.detector, JSON.parse(record.state));
      } catch (error) {
        this.#options.onError?.(
          `tenant ${tenantId}: detector ${record.detector} state unreadable`,
          error,
        );
      }
    }
    const fingerprint = JSON.stringify(settings.map((s) => [s.detector, s.enabled, s.thresholds]));
    if (restore || fingerprint !== tenant.fingerprint) {
      const detectors = tenantDetectors(settings);
      for (const detector of detectors) {
        const snapshot = snapshots.get(detector.name);
        if (snapshot !== undefined) detector.restore(snapshot);
      }
      tenant.detectors = detectors;
      tenant.fingerprint = fingerprint;
    }
    tenant.allowed = new Set(allowed.map((a) => allowKey(a.detector, a.key)));
    tenant.settingsAt = this.#options.clock.now();
  }

  async #save(tenantId: string, tenant: TenantDetectors): Promise<void> {
    const at = this.#options.clock.now();
    const records = tenant.detectors.map((d) => ({
      detector: d.name,
      state: JSON.stringify(d.snapshot()),
      updatedAt: at,
    }));
    tenant.dirty = false;
    tenant.savedAt = at;
    try {
      await this.#options.store.transaction(async (uow) => {
        const repo = uow.forTenant(tenantId).detectors;
        for (const record of records) await repo.saveState(record);
      });
    } catch (error) {
      tenant.dirty = true;
      this.#options.onError?.(`tenant ${tenantId}: detector state not saved`, error);
    }
  }

  *#sizes(): Iterable<{ detector: string; entries: number; evictions: number }> {
    for (const tenant of this.#loaded.values()) {
      for (const d of tenant.detectors)
        yield { detector: d.name, entries: d.entries(), evictions: d.evictions() };
    }
  }
}

const allowKey = (detector: string, key: string): string => `${detector}\u0000${key}`;
