/**
 * Generated load for the console's lists and overview: incidents spread over phases and
 * severities, alerts over statuses, levels, rules and hosts, with times spread backwards from
 * `now` (and some equal times, so keyset paging meets ties). Deterministic for a seed, so a
 * test can recompute what a count must be. Not demo data: names say "load".
 */
import type { Alert, Incident } from '@cordon/core';
import { ALERT_LEVELS, ALERT_STATUSES, PHASES, SEVERITIES, newId } from '@cordon/core';

export interface ConsoleLoadOptions {
  readonly tenantId: string;
  readonly incidents: number;
  readonly alerts: number;
  /** Epoch ms of the newest item. */
  readonly now: number;
  /** Spacing of items in time, ms (default 60 s); every 5th item shares its predecessor's time. */
  readonly stepMs?: number;
  /** Incident numbers start after this (default 0). */
  readonly firstNumber?: number;
}

export interface ConsoleLoad {
  readonly incidents: Incident[];
  readonly alerts: Alert[];
}

const RULES = 40;
const HOSTS = 500;

export function consoleLoad(options: ConsoleLoadOptions): ConsoleLoad {
  const step = options.stepMs ?? 60_000;
  const time = (i: number): number => options.now - (i - (i % 5 === 4 ? 1 : 0)) * step;
  const incidents: Incident[] = [];
  for (let i = 0; i < options.incidents; i++) {
    const at = time(i);
    const phase = PHASES[i % PHASES.length]!;
    incidents.push({
      id: newId(),
      tenantId: options.tenantId,
      number: (options.firstNumber ?? 0) + options.incidents - i,
      title: `load incident ${i}`,
      summary: '',
      severity: SEVERITIES[(i * 7) % SEVERITIES.length]!,
      phase,
      assigneeUserId: null,
      affectedAssets: [`load-host-${i % HOSTS}`],
      attackTechniques: ['T1110'],
      origins: [],
      containmentNote: null,
      rootCause: null,
      scope: null,
      lessonsLearned: null,
      closureReason: phase === 'closed' ? 'resolved' : null,
      duplicateOf: null,
      firstActivityAt: at,
      phaseTimes: { detected: at },
      acknowledgedAt: null,
      createdAt: at,
      updatedAt: at,
    });
  }
  const alerts: Alert[] = [];
  for (let i = 0; i < options.alerts; i++) {
    const at = time(i);
    const host = `load-host-${i % HOSTS}`;
    const incident =
      incidents.length > 0 && i % 3 === 0 ? incidents[i % incidents.length] : undefined;
    alerts.push({
      id: newId(),
      tenantId: options.tenantId,
      ruleId: `load-rule-${i % RULES}`,
      ruleTitle: `Load rule ${i % RULES}`,
      level: ALERT_LEVELS[(i * 3) % ALERT_LEVELS.length]!,
      tags: ['attack.t1110'],
      source: 'server',
      dedupeKey: `h:${host}`,
      entities: { hosts: [host], users: [`user${i % 50}`], sourceIps: [], ips: [] },
      firstSeen: at,
      lastSeen: at,
      count: 1,
      eventIds: [],
      eventCount: 1,
      status: ALERT_STATUSES[i % ALERT_STATUSES.length]!,
      incidentId: incident?.id ?? null,
      suppressionId: null,
      closedReason: null,
      createdAt: at,
      updatedAt: at,
    });
  }
  return { incidents, alerts };
}
