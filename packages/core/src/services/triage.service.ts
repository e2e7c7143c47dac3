/**
 * Triage: turns detections into alerts and alerts into incidents, in one transaction per batch
 * with every step journalled. For each detection, in order:
 * 1. merge — an alert of the same rule on the same entities (hosts, users, origins) seen within
 *    `mergeWindowMs` (event time) absorbs it: count, last seen and event references grow;
 * 2. suppress — an active suppression that covers it stores the alert as `suppressed`;
 * 3. group — an incident that is not closed and already holds an alert sharing a host, user or
 *    address seen within `groupWindowMs` takes the alert;
 * 4. open — otherwise, from `incidentMinLevel` up, a new incident in the detected phase, with
 *    severity from the rule level, a title from the rule and entities, the origins, affected
 *    hosts and ATT&CK techniques, and the hosts, users and origin addresses as observables.
 * Lower-level alerts that find no incident stay open alerts for an analyst to look at.
 */
import type { Incident, IncidentOrigin, Severity } from '../incidents/incident.ts';
import type { ObservableKind } from '../incidents/incident-records.ts';
import type { Clock } from '../ports/clock.ts';
import type { EntityKey } from '../ports/detection-repositories.ts';
import { newId } from '../ports/id-generator.ts';
import type { Store, TenantScope } from '../ports/store.ts';
import type { Alert, AlertEntities, AlertLevel } from '../detection/alert.ts';
import { ALERT_EVENT_ID_LIMIT, alertDedupeKey, alertLevelIndex } from '../detection/alert.ts';
import type { AlertSuppression } from '../detection/detection-filters.ts';
import type { Detection } from '../detection/detection.ts';
import { fieldFilterMatches } from '../detection/field-filter.ts';
import { originScope } from '../detection/origin-scope.ts';
import { openIncident, recordAlertLink, recordObservable } from './incident-writes.ts';

export interface TriageOptions {
  readonly mergeWindowMs: number;
  readonly groupWindowMs: number;
  readonly incidentMinLevel: AlertLevel;
  /** Fills in the incident's identification facts as alerts join it (none: not filled). */
  readonly identification?: AlertIdentification;
}

/** What triage tells identification, inside its own transaction. */
export interface AlertIdentification {
  alertJoined(scope: TenantScope, incident: Incident, alert: Alert, now: number): Promise<Incident>;
  alertWidened(
    scope: TenantScope,
    incident: Incident,
    alert: Alert,
    now: number,
  ): Promise<Incident>;
}

export const defaultTriageOptions: TriageOptions = {
  mergeWindowMs: 15 * 60_000,
  groupWindowMs: 60 * 60_000,
  incidentMinLevel: 'medium',
};

/** An incident that this batch opened or added alerts to. */
export interface TriagedIncident {
  readonly incident: Incident;
  readonly opened: boolean;
  readonly hosts: readonly string[];
  readonly originIps: readonly string[];
  readonly eventIds: readonly string[];
}

export interface TriageOutcome {
  readonly raised: number;
  readonly merged: number;
  readonly suppressed: number;
  readonly incidents: readonly TriagedIncident[];
}

const ACTOR = 'system:detection';

const SEVERITY_OF: Readonly<Record<AlertLevel, Severity>> = {
  informational: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

export class TriageService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #options: TriageOptions;

  constructor(store: Store, clock: Clock, options: Partial<TriageOptions> = {}) {
    this.#store = store;
    this.#clock = clock;
    this.#options = { ...defaultTriageOptions, ...options } satisfies TriageOptions;
  }

  async triage(tenantId: string, detections: readonly Detection[]): Promise<TriageOutcome> {
    if (detections.length === 0) return { raised: 0, merged: 0, suppressed: 0, incidents: [] };
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const now = this.#clock.now();
      const suppressions = (await scope.detection.suppressions.list()).filter(
        (s) => s.expiresAt === null || s.expiresAt > now,
      );
      const batch = new BatchState();
      for (const repeat of foldRepeats(detections, suppressions, this.#options.mergeWindowMs)) {
        await this.#one(scope, repeat, batch, now);
      }
      for (const [alertId, added] of batch.merges) {
        const alert = (await scope.detection.alerts.get(alertId))!;
        await scope.journal.append({
          actor: ACTOR,
          kind: 'alert.merged',
          ...(alert.incidentId ? { incidentId: alert.incidentId } : {}),
          payload: { alertId, ruleId: alert.ruleId, added, count: alert.count },
        });
      }
      for (const [id, hits] of batch.suppressionHits)
        await scope.detection.suppressions.addHits(id, hits);
      return {
        raised: batch.raised,
        merged: batch.mergedCount,
        suppressed: batch.suppressed,
        incidents: [...batch.incidents.values()],
      };
    });
  }

  async #one(scope: TenantScope, repeat: Repeat, batch: BatchState, now: number): Promise<void> {
    const { detection, count, dedupeKey, suppression } = repeat;
    const alerts = scope.detection.alerts;
    const existing = await alerts.findMergeable(
      detection.ruleId,
      dedupeKey,
      detection.firstSeen - this.#options.mergeWindowMs,
    );
    if (existing) {
      const eventIds = [...existing.eventIds];
      for (const id of detection.eventIds) {
        if (eventIds.length >= ALERT_EVENT_ID_LIMIT) break;
        if (!eventIds.includes(id)) eventIds.push(id);
      }
      await alerts.update(existing.id, {
        count: existing.count + count,
        firstSeen: Math.min(existing.firstSeen, detection.firstSeen),
        lastSeen: Math.max(existing.lastSeen, detection.lastSeen),
        eventIds,
        eventCount: existing.eventCount + detection.eventCount,
        ...(detection.explanation ? { explanation: detection.explanation } : {}),
        updatedAt: now,
      });
      batch.merged(existing.id, count);
      if (existing.incidentId) {
        let incident = await this.#incident(scope, existing.incidentId);
        const identification = this.#options.identification;
        if (identification && incident.phase !== 'closed') {
          const widened = (await alerts.get(existing.id)) ?? existing;
          incident = await identification.alertWidened(scope, incident, widened, now);
        }
        batch.touch(incident, false, detection);
      }
      return;
    }

    const alert: Alert = {
      id: newId(),
      tenantId: scope.tenantId,
      ruleId: detection.ruleId,
      ruleTitle: detection.ruleTitle,
      level: detection.level,
      tags: detection.tags,
      source: detection.source,
      dedupeKey,
      entities: detection.entities,
      firstSeen: detection.firstSeen,
      lastSeen: detection.lastSeen,
      count,
      eventIds: detection.eventIds.slice(0, ALERT_EVENT_ID_LIMIT),
      eventCount: detection.eventCount,
      status: suppression ? 'suppressed' : 'open',
      incidentId: null,
      suppressionId: suppression?.id ?? null,
      closedReason: null,
      ...(detection.explanation ? { explanation: detection.explanation } : {}),
      createdAt: now,
      updatedAt: now,
    };
    await alerts.insert(alert);
    if (count > 1) batch.mergedCount += count - 1;
    const summary = {
      count,
      alertId: alert.id,
      ruleId: alert.ruleId,
      title: alert.ruleTitle,
      level: alert.level,
    };
    if (suppression) {
      batch.suppressed++;
      batch.suppressionHits.set(
        suppression.id,
        (batch.suppressionHits.get(suppression.id) ?? 0) + 1,
      );
      await scope.journal.append({
        actor: ACTOR,
        kind: 'alert.suppressed',
        payload: { ...summary, suppressionId: suppression.id, reason: suppression.reason },
      });
      return;
    }
    batch.raised++;
    await scope.journal.append({
      actor: ACTOR,
      kind: 'alert.raised',
      payload: {
        ...summary,
        entities: alert.entities,
        eventIds: alert.eventIds,
        ...(alert.explanation ? { explanation: alert.explanation } : {}),
      },
    });

    let incident = await this.#relatedIncident(scope, alert);
    let opened = false;
    if (!incident) {
      if (alertLevelIndex(alert.level) < alertLevelIndex(this.#options.incidentMinLevel)) return;
      incident = await openIncident(scope, incidentDraft(alert), ACTOR, now);
      opened = true;
    }
    await alerts.update(alert.id, { incidentId: incident.id, updatedAt: now });
    await recordAlertLink(scope, { incidentId: incident.id, alertId: alert.id }, ACTOR, now);
    await scope.journal.append({
      actor: ACTOR,
      kind: 'alert.grouped',
      incidentId: incident.id,
      payload: { alertId: alert.id, ruleId: alert.ruleId, opened },
    });
    for (const [kind, values] of observablesOf(alert.entities)) {
      for (const value of values) {
        const known = await scope.observables.findByKindValue(incident.id, kind, value);
        if (known && known.firstSeen <= alert.firstSeen && known.lastSeen >= alert.lastSeen)
          continue;
        await recordObservable(
          scope,
          {
            incidentId: incident.id,
            kind,
            value,
            firstSeen: alert.firstSeen,
            lastSeen: alert.lastSeen,
          },
          ACTOR,
        );
      }
    }
    if (!opened) incident = await this.#widen(scope, incident, alert, now);
    if (this.#options.identification) {
      const linked = { ...alert, incidentId: incident.id };
      incident = await this.#options.identification.alertJoined(scope, incident, linked, now);
    }
    batch.touch(incident, opened, detection);
  }

  async #relatedIncident(scope: TenantScope, alert: Alert): Promise<Incident | undefined> {
    const keys = entityKeys(alert.entities);
    if (keys.length === 0) return undefined;
    const ids = await scope.detection.alerts.incidentsSharing(
      keys,
      alert.firstSeen - this.#options.groupWindowMs,
    );
    for (const id of ids) {
      const incident = await scope.incidents.get(id);
      if (incident && incident.phase !== 'closed') return incident;
    }
    return undefined;
  }

  async #incident(scope: TenantScope, id: string): Promise<Incident> {
    const incident = await scope.incidents.get(id);
    if (!incident) throw new Error(`alert refers to incident ${id}, which does not exist`);
    return incident;
  }

  /** Adds the alert's hosts, origins and techniques to the incident's recorded facts. */
  async #widen(
    scope: TenantScope,
    incident: Incident,
    alert: Alert,
    now: number,
  ): Promise<Incident> {
    const draft = incidentDraft(alert);
    const affectedAssets = union(incident.affectedAssets, draft.affectedAssets);
    const attackTechniques = union(incident.attackTechniques, draft.attackTechniques);
    const known = new Set(incident.origins.map((o) => o.address));
    const origins = [...incident.origins, ...draft.origins.filter((o) => !known.has(o.address))];
    const severity =
      severityRank(draft.severity) > severityRank(incident.severity)
        ? draft.severity
        : incident.severity;
    const changes = { affectedAssets, attackTechniques, origins, severity };
    const changed =
      affectedAssets.length !== incident.affectedAssets.length ||
      attackTechniques.length !== incident.attackTechniques.length ||
      origins.length !== incident.origins.length ||
      severity !== incident.severity;
    if (!changed) return incident;
    await scope.incidents.update(incident.id, { ...changes, updatedAt: now });
    await scope.journal.append({
      actor: ACTOR,
      kind: 'incident.updated',
      incidentId: incident.id,
      payload: { changes, alertId: alert.id },
    });
    return { ...incident, ...changes, updatedAt: now };
  }
}

class BatchState {
  raised = 0;
  suppressed = 0;
  mergedCount = 0;
  readonly merges = new Map<string, number>();
  readonly suppressionHits = new Map<string, number>();
  readonly incidents = new Map<string, TriagedIncident>();

  merged(alertId: string, count: number): void {
    this.mergedCount += count;
    this.merges.set(alertId, (this.merges.get(alertId) ?? 0) + count);
  }

  touch(incident: Incident, opened: boolean, detection: Detection): void {
    const before = this.incidents.get(incident.id);
    this.incidents.set(incident.id, {
      incident,
      opened: opened || (before?.opened ?? false),
      hosts: union(before?.hosts ?? [], detection.entities.hosts),
      originIps: union(before?.originIps ?? [], detection.entities.sourceIps),
      eventIds: union(before?.eventIds ?? [], detection.eventIds),
    });
  }
}

/** Detections of one rule on the same entities, folded inside a batch before any query. */
interface Repeat {
  detection: Detection;
  count: number;
  readonly dedupeKey: string;
  readonly suppression: AlertSuppression | undefined;
}

/**
 * Folds repeats within a batch (same rule, entities and suppression, within the merge window of
 * each other), so that a rule firing on thousands of events of one batch costs one lookup and
 * one write rather than one per event.
 */
function foldRepeats(
  detections: readonly Detection[],
  suppressions: readonly AlertSuppression[],
  windowMs: number,
): Repeat[] {
  const out: Repeat[] = [];
  const held = new Map<string, Repeat>();
  for (const detection of detections) {
    const suppression = suppressions.find((s) =>
      fieldFilterMatches(s, [detection.ruleId, detection.ruleName], detection.lookup),
    );
    const dedupeKey = alertDedupeKey(detection.entities);
    const key = `${detection.ruleId}\u0000${dedupeKey}\u0000${suppression?.id ?? ''}`;
    const repeat = held.get(key);
    const d = repeat?.detection;
    if (
      repeat &&
      d &&
      detection.firstSeen - d.lastSeen <= windowMs &&
      d.firstSeen - detection.lastSeen <= windowMs
    ) {
      const eventIds = [...d.eventIds];
      for (const id of detection.eventIds) {
        if (eventIds.length >= ALERT_EVENT_ID_LIMIT) break;
        if (!eventIds.includes(id)) eventIds.push(id);
      }
      repeat.detection = {
        ...d,
        firstSeen: Math.min(d.firstSeen, detection.firstSeen),
        lastSeen: Math.max(d.lastSeen, detection.lastSeen),
        eventIds,
        eventCount: d.eventCount + detection.eventCount,
      };
      repeat.count++;
      continue;
    }
    const fresh: Repeat = { detection, count: 1, dedupeKey, suppression };
    held.set(key, fresh);
    out.push(fresh);
  }
  return out;
}

function incidentDraft(alert: Alert): {
  title: string;
  severity: Severity;
  summary: string;
  firstActivityAt: number;
  affectedAssets: readonly string[];
  attackTechniques: readonly string[];
  origins: readonly IncidentOrigin[];
} {
  const { hosts, users, sourceIps } = alert.entities;
  const list = (values: readonly string[]): string =>
    values.length <= 3
      ? values.join(', ')
      : `${values.slice(0, 3).join(', ')} and ${values.length - 3} more`;
  const title = [
    alert.ruleTitle,
    hosts.length ? ` on ${list(hosts)}` : users.length ? ` for ${list(users)}` : '',
    sourceIps.length ? ` from ${list(sourceIps)}` : '',
  ]
    .join('')
    .slice(0, 200);
  return {
    title,
    severity: SEVERITY_OF[alert.level],
    summary: `Opened by live detection: ${alert.ruleTitle} (${alert.level}, rule ${alert.ruleId}).`,
    firstActivityAt: alert.firstSeen,
    affectedAssets: hosts,
    attackTechniques: alert.tags
      .filter((t) => /^attack\.t\d{4}(\.\d{3})?$/i.test(t))
      .map((t) => t.slice('attack.'.length).toUpperCase()),
    origins: sourceIps.map((address) => ({ address, scope: originScope(address) })),
  };
}

function observablesOf(entities: AlertEntities): [ObservableKind, readonly string[]][] {
  return [
    ['ip', entities.sourceIps],
    ['host', entities.hosts],
    ['user', entities.users],
  ];
}

function entityKeys(entities: AlertEntities): EntityKey[] {
  return [
    ...entities.hosts.map((value) => ({ kind: 'host' as const, value })),
    ...entities.users.map((value) => ({ kind: 'user' as const, value })),
    ...[...entities.sourceIps, ...entities.ips].map((value) => ({ kind: 'ip' as const, value })),
  ];
}

function union(a: readonly string[], b: readonly string[]): string[] {
  return [...new Set([...a, ...b])];
}

function severityRank(severity: Severity): number {
  return ['low', 'medium', 'high', 'critical'].indexOf(severity);
}
