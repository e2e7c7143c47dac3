/**
 * An incident's SLA clocks, derived from the facts the incident already keeps: every clock
 * starts when the incident was opened; acknowledge stops when it was acknowledged (or moved past
 * `detected`), contain when it reached `contained` or any later phase, resolve when it reached
 * `recovered` or later. Targets come from the current severity. Pure: the same incident, terms,
 * pauses and instant give the same clocks.
 */
import type { Incident, Phase } from '../incidents/incident.ts';
import { PHASES, phaseIndex } from '../incidents/incident.ts';
import type { BusinessCalendar } from './business-calendar.ts';
import type { PauseSpan } from './paused-time.ts';
import { countedInstant, countedTime } from './paused-time.ts';
import type { SlaMetric, SlaTerms } from './sla-terms.ts';
import { SLA_METRICS } from './sla-terms.ts';

/**
 * `met` and `missed` are stopped clocks (in time or late); `breached` is a running clock past
 * its target; `paused` is a clock stopped by an open pause, before its target.
 */
export type SlaState = 'running' | 'at_risk' | 'paused' | 'breached' | 'met' | 'missed';

export interface SlaClock {
  readonly metric: SlaMetric;
  readonly targetMinutes: number;
  readonly startedAt: number;
  readonly stoppedAt: number | null;
  /** Counted time so far (business or 24×7, pauses taken out). */
  readonly elapsedMs: number;
  /** Counted time left; negative once past the target. */
  readonly remainingMs: number;
  /** When the target falls; null while an open pause holds the clock. */
  readonly dueAt: number | null;
  readonly atRiskAt: number | null;
  readonly state: SlaState;
}

const STOPPED_FROM: Readonly<Record<SlaMetric, Phase>> = {
  acknowledge: 'identified',
  contain: 'contained',
  resolve: 'recovered',
};

export function slaStopTime(incident: Incident, metric: SlaMetric): number | null {
  const from = phaseIndex(STOPPED_FROM[metric]);
  const times = PHASES.slice(from)
    .map((phase) => incident.phaseTimes[phase])
    .filter((at): at is number => at !== undefined);
  if (metric === 'acknowledge' && incident.acknowledgedAt !== null)
    times.push(incident.acknowledgedAt);
  return times.length === 0 ? null : Math.min(...times);
}

/** The calendar the SLA counts in: the tenant's hours, or every instant for 24×7 terms. */
export function slaCalendar(calendar: BusinessCalendar, terms: SlaTerms): BusinessCalendar {
  return terms.clock === 'always' ? { ...calendar, mode: 'always' } : calendar;
}

export function slaClocks(options: {
  readonly incident: Incident;
  readonly terms: SlaTerms;
  readonly calendar: BusinessCalendar;
  readonly pauses: readonly PauseSpan[];
  readonly now: number;
}): SlaClock[] {
  const { incident, terms, pauses, now } = options;
  const calendar = slaCalendar(options.calendar, terms);
  const targets = terms.targets[incident.severity] ?? {};
  const clocks: SlaClock[] = [];
  for (const metric of SLA_METRICS) {
    const targetMinutes = targets[metric];
    if (targetMinutes === undefined) continue;
    const startedAt = incident.createdAt;
    const stoppedAt = slaStopTime(incident, metric);
    const targetMs = targetMinutes * 60_000;
    const until = stoppedAt ?? Math.max(now, startedAt);
    const elapsedMs = countedTime(calendar, { from: startedAt, to: until }, pauses);
    const paused = stoppedAt === null && pauses.some((p) => p.endedAt === null);
    clocks.push({
      metric,
      targetMinutes,
      startedAt,
      stoppedAt,
      elapsedMs,
      remainingMs: targetMs - elapsedMs,
      dueAt: countedInstant(calendar, startedAt, targetMs, pauses),
      atRiskAt: countedInstant(calendar, startedAt, targetMs * terms.atRiskShare, pauses),
      state: stateOf({ stopped: stoppedAt !== null, paused, elapsedMs, targetMs, terms }),
    });
  }
  return clocks;
}

function stateOf(facts: {
  readonly stopped: boolean;
  readonly paused: boolean;
  readonly elapsedMs: number;
  readonly targetMs: number;
  readonly terms: SlaTerms;
}): SlaState {
  const late = facts.elapsedMs > facts.targetMs;
  if (facts.stopped) return late ? 'missed' : 'met';
  if (facts.elapsedMs >= facts.targetMs) return 'breached';
  if (facts.paused) return 'paused';
  return facts.elapsedMs >= facts.targetMs * facts.terms.atRiskShare ? 'at_risk' : 'running';
}
