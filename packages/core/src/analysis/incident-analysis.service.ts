/**
 * The analysis phase's reads: an incident's timeline — its alerts and their events, related
 * events found by pivoting on the hosts, users, addresses and process images those events name
 * within a window around the incident's activity, its agent actions step by step, notes, phase
 * transitions and evidence, in one time-ordered list with filters and paging — and the process
 * tree of an affected host. Both show the root cause and scope recorded on the incident.
 * Everything is bounded: alerts read, events per alert (the alert keeps at most 50 ids),
 * related events, actions.
 */
import type { Principal } from '../access/principal.ts';
import { authorize } from '../access/principal.ts';
import { CordonError, notFound } from '../errors/cordon-error.ts';
import type { Incident } from '../incidents/incident.ts';
import type { EventStore, StoredEvent } from '../ports/event-store.ts';
import type { Store, TenantScope } from '../ports/store.ts';
import type { QueryNode } from '../search/query-node.ts';
import { eventFacts } from './event-summary.ts';
import type { PivotValues } from './pivot-query.ts';
import { pivotQuery, pivotValues, sharedPivots } from './pivot-query.ts';
import { processTree } from './process-tree.ts';
import type { ProcessNode } from './process-tree.ts';
import { compareTimelineEntries } from './timeline-entry.ts';
import type { TimelineEntry, TimelineKind } from './timeline-entry.ts';

export interface TimelineQuery {
  readonly kinds?: readonly TimelineKind[];
  /** Epoch ms, inclusive. */
  readonly from?: number;
  /** Epoch ms, exclusive. */
  readonly to?: number;
  readonly host?: string;
  readonly user?: string;
  /** Minutes before and after the incident's activity that pivoting looks at; default 60. */
  readonly windowMinutes?: number;
  /** Related events found by pivoting, at most; default 200, at most 1000. */
  readonly relatedLimit?: number;
  readonly limit?: number;
  readonly offset?: number;
}

export interface IncidentFindings {
  readonly rootCause: string | null;
  readonly scope: string | null;
  readonly affectedAssets: readonly string[];
  readonly attackTechniques: readonly string[];
}

export interface IncidentTimeline {
  readonly findings: IncidentFindings;
  /** The time range pivoting searched, epoch ms; null when there was no activity to pivot on. */
  readonly window: { readonly from: number; readonly to: number } | null;
  readonly pivots: PivotValues;
  /** True when more related events matched than `relatedLimit`. */
  readonly relatedTruncated: boolean;
  /** Entries after the filters, before paging. */
  readonly total: number;
  readonly entries: readonly TimelineEntry[];
}

export interface ProcessTreeQuery {
  /** Default: the incident's first affected asset. */
  readonly host?: string;
  readonly from?: number;
  readonly to?: number;
}

export interface IncidentProcessTree {
  readonly findings: IncidentFindings;
  readonly host: string;
  readonly window: { readonly from: number; readonly to: number };
  readonly nodes: readonly ProcessNode[];
  /** True when the host had more process-creation events in the window than were read. */
  readonly truncated: boolean;
}

const MAX_ALERTS = 200;
const MAX_ACTIONS = 1000;
const MAX_RECORDS = 1000;
const MAX_PROCESS_EVENTS = 5000;
const DEFAULT_WINDOW_MINUTES = 60;
const MAX_WINDOW_MINUTES = 7 * 24 * 60;
const MAX_PAGE = 500;

const findingsOf = (incident: Incident): IncidentFindings => ({
  rootCause: incident.rootCause,
  scope: incident.scope,
  affectedAssets: incident.affectedAssets,
  attackTechniques: incident.attackTechniques,
});

const bounded = (value: number | undefined, fallback: number, min: number, max: number): number => {
  const n = value ?? fallback;
  if (!Number.isInteger(n) || n < min || n > max)
    throw new CordonError('invalid_input', `expected an integer from ${min} to ${max}, got ${n}`);
  return n;
};

const match = (field: string, text: string): QueryNode => ({
  kind: 'match',
  field,
  value: { text },
  position: 1,
});

export class IncidentAnalysisService {
  readonly #store: Store;
  readonly #events: EventStore;

  constructor(options: { readonly store: Store; readonly events: EventStore }) {
    this.#store = options.store;
    this.#events = options.events;
  }

  async timeline(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    query: TimelineQuery = {},
  ): Promise<IncidentTimeline> {
    authorize(principal, tenantId, 'tenant:read');
    const windowMs =
      bounded(query.windowMinutes, DEFAULT_WINDOW_MINUTES, 0, MAX_WINDOW_MINUTES) * 60_000;
    const relatedLimit = bounded(query.relatedLimit, 200, 0, 1000);
    const limit = bounded(query.limit, 100, 1, MAX_PAGE);
    const offset = bounded(query.offset, 0, 0, 1_000_000);
    const records = await this.#store.transaction(async (uow) =>
      this.#records(uow.forTenant(tenantId), incidentId),
    );
    const entries: TimelineEntry[] = [];
    const alertEventIds = new Map<string, string>();
    for (const alert of records.alerts) {
      entries.push({
        at: alert.firstSeen,
        kind: 'alert',
        refId: alert.id,
        title: `${alert.ruleTitle} (${alert.level}, ${alert.count}×)`,
        host: alert.entities.hosts[0] ?? null,
        user: alert.entities.users[0] ?? null,
        actor: null,
        detail: { ruleId: alert.ruleId, lastSeen: alert.lastSeen, status: alert.status },
      });
      for (const eventId of alert.eventIds) alertEventIds.set(eventId, alert.id);
    }
    const alertEvents = (
      await Promise.all([...alertEventIds.keys()].map((id) => this.#events.getEvent(tenantId, id)))
    ).filter((event) => event !== undefined);
    for (const event of alertEvents)
      entries.push(eventEntry(event, 'alert-event', { alertId: alertEventIds.get(event.id) }));

    const pivots = pivotValues(
      alertEvents.map((event) => event.event),
      { hosts: records.incident.affectedAssets },
    );
    const activity = activityRange(records.incident, alertEvents, records.alerts);
    const window =
      activity === undefined
        ? null
        : { from: activity.from - windowMs, to: activity.to + windowMs + 1 };
    let relatedTruncated = false;
    const pivot = pivotQuery(pivots);
    if (window !== null && pivot !== undefined && relatedLimit > 0) {
      const found = await this.#events.search(tenantId, {
        query: pivot,
        from: window.from,
        to: window.to,
        sort: 'asc',
        // Alert events match the pivots too; they are skipped, so read that many more.
        limit: relatedLimit + alertEventIds.size,
        countLimit: relatedLimit + alertEventIds.size + 1,
      });
      const related = found.events.filter((event) => !alertEventIds.has(event.id));
      relatedTruncated = found.total > found.events.length || related.length > relatedLimit;
      for (const event of related.slice(0, relatedLimit))
        entries.push(
          eventEntry(event, 'related-event', { shared: sharedPivots(event.event, pivots) }),
        );
    }

    for (const { action, transitions } of records.actions) {
      for (const step of transitions)
        entries.push({
          at: step.at,
          kind: 'action',
          refId: action.id,
          title: `${action.action.kind} on ${records.agentHosts.get(action.agentId) ?? action.agentId}: ${step.to}${step.detail ? ` — ${step.detail.slice(0, 200)}` : ''}`,
          host: records.agentHosts.get(action.agentId)?.toLowerCase() ?? null,
          user: null,
          actor: step.actor,
          detail: { agentId: action.agentId, action: action.action, from: step.from, to: step.to },
        });
    }
    for (const note of records.notes)
      entries.push({
        at: note.createdAt,
        kind: 'note',
        refId: note.id,
        title: note.body.length > 300 ? `${note.body.slice(0, 300)}…` : note.body,
        host: null,
        user: null,
        actor: note.author,
        detail: {},
      });
    for (const transition of records.transitions)
      entries.push({
        at: transition.at,
        kind: 'transition',
        refId: transition.to,
        title: `${transition.from} → ${transition.to}${transition.overrideJustification ? ' (guard overridden)' : ''}`,
        host: null,
        user: null,
        actor: transition.actor,
        detail: {
          unmet: transition.unmetConditions,
          justification: transition.overrideJustification,
        },
      });
    for (const item of records.evidence)
      entries.push({
        at: item.collectedAt,
        kind: 'evidence',
        refId: item.id,
        title: `${item.filename}: ${item.description}`.slice(0, 300),
        host: item.collectedFrom.toLowerCase(),
        user: null,
        actor: item.collectedBy,
        detail: { sha256: item.sha256, size: item.size, method: item.method },
      });

    const host = query.host?.toLowerCase();
    const user = query.user?.toLowerCase();
    const kinds =
      query.kinds === undefined || query.kinds.length === 0 ? undefined : new Set(query.kinds);
    const filtered = entries
      .filter(
        (entry) =>
          (kinds === undefined || kinds.has(entry.kind)) &&
          (query.from === undefined || entry.at >= query.from) &&
          (query.to === undefined || entry.at < query.to) &&
          (host === undefined || entry.host?.toLowerCase() === host) &&
          (user === undefined || entry.user?.toLowerCase() === user),
      )
      .sort(compareTimelineEntries);
    return {
      findings: findingsOf(records.incident),
      window,
      pivots,
      relatedTruncated,
      total: filtered.length,
      entries: filtered.slice(offset, offset + limit),
    };
  }

  async processTree(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    query: ProcessTreeQuery,
  ): Promise<IncidentProcessTree> {
    authorize(principal, tenantId, 'tenant:read');
    const records = await this.#store.transaction(async (uow) =>
      this.#records(uow.forTenant(tenantId), incidentId),
    );
    const host = query.host ?? records.incident.affectedAssets[0];
    if (host === undefined)
      throw new CordonError(
        'invalid_input',
        'name the host (?host=): the incident records no affected asset',
      );
    const flagged = new Set(records.alerts.flatMap((alert) => alert.eventIds));
    const alertEvents = (
      await Promise.all([...flagged].map((id) => this.#events.getEvent(tenantId, id)))
    ).filter((event) => event !== undefined);
    const activity = activityRange(records.incident, alertEvents, records.alerts);
    const margin = DEFAULT_WINDOW_MINUTES * 60_000;
    const from = query.from ?? (activity === undefined ? 0 : activity.from - margin);
    const to = query.to ?? (activity === undefined ? Date.now() + 1 : activity.to + margin + 1);
    if (from >= to) throw new CordonError('invalid_input', 'from must be before to');
    // The host as the events name it: exact, or the case an alert event used.
    const names = new Set([host]);
    for (const event of alertEvents) {
      const name = eventFacts(event.event).host;
      const raw =
        typeof (event.event.host as { name?: unknown } | undefined)?.name === 'string'
          ? (event.event.host as { name: string }).name
          : undefined;
      if (name === host.toLowerCase() && raw !== undefined) names.add(raw);
    }
    const found = await this.#events.search(tenantId, {
      query: {
        kind: 'and',
        children: [
          { kind: 'or', children: [...names].map((name) => match('host.name', name)) },
          {
            kind: 'or',
            children: [
              {
                kind: 'and',
                children: [match('event.dataset', 'windows.sysmon'), match('event.code', '1')],
              },
              {
                kind: 'and',
                children: [match('event.dataset', 'windows.security'), match('event.code', '4688')],
              },
              match('event.dataset', 'agent.process'),
            ],
          },
        ],
      },
      from,
      to,
      sort: 'asc',
      limit: MAX_PROCESS_EVENTS,
      countLimit: MAX_PROCESS_EVENTS + 1,
    });
    return {
      findings: findingsOf(records.incident),
      host,
      window: { from, to },
      nodes: processTree(found.events, flagged),
      truncated: found.total > found.events.length,
    };
  }

  async #records(scope: TenantScope, incidentId: string) {
    const incident = await scope.incidents.get(incidentId);
    if (!incident) throw notFound('incident');
    // The incident's alerts are its links (triage and analysts both link them).
    const links = (await scope.alertLinks.list(incidentId)).slice(0, MAX_ALERTS);
    const alerts = (
      await Promise.all(links.map((link) => scope.detection.alerts.get(link.alertId)))
    ).filter((alert) => alert !== undefined);
    const actions = await scope.containment.actions.list({ incidentId }, MAX_ACTIONS);
    const agentHosts = new Map<string, string>();
    for (const agentId of new Set(actions.map((action) => action.agentId))) {
      const agent = await scope.containment.agents.get(agentId);
      if (agent !== undefined) agentHosts.set(agentId, agent.identity.hostname);
    }
    return {
      incident,
      alerts,
      actions: await Promise.all(
        actions.map(async (action) => ({
          action,
          transitions: await scope.containment.actions.transitions(action.id),
        })),
      ),
      agentHosts,
      notes: (await scope.notes.list(incidentId)).slice(0, MAX_RECORDS),
      transitions: await scope.transitions.list(incidentId),
      evidence: (await scope.evidence.list({ incidentId }, { limit: MAX_RECORDS, offset: 0 }))
        .items,
    };
  }
}

function eventEntry(
  event: StoredEvent,
  kind: 'alert-event' | 'related-event',
  detail: Readonly<Record<string, unknown>>,
): TimelineEntry {
  const facts = eventFacts(event.event);
  return {
    at: event.timestamp,
    kind,
    refId: event.id,
    title: facts.title,
    host: facts.host,
    user: facts.user,
    actor: null,
    detail: {
      ...detail,
      ...(facts.sourceIp === null ? {} : { sourceIp: facts.sourceIp }),
      ...(facts.destinationIp === null ? {} : { destinationIp: facts.destinationIp }),
      ...(facts.processExecutable === null ? {} : { process: facts.processExecutable }),
    },
  };
}

/** The incident's activity: its alert events' times, else its alerts', else when it began. */
function activityRange(
  incident: Incident,
  events: readonly StoredEvent[],
  alerts: readonly { readonly firstSeen: number; readonly lastSeen: number }[],
): { from: number; to: number } | undefined {
  const times = [
    ...events.map((event) => event.timestamp),
    ...alerts.flatMap((alert) => [alert.firstSeen, alert.lastSeen]),
    ...(incident.firstActivityAt === null ? [] : [incident.firstActivityAt]),
  ];
  if (times.length === 0) return undefined;
  return { from: Math.min(...times), to: Math.max(...times) };
}
