/**
 * Response metrics from phase timestamps. Time to detect runs from the first malicious
 * activity to detection; acknowledge, contain and recover are measured from detection, which
 * is how SOC service guarantees are usually written.
 */
import type { Incident } from './incident.ts';

export interface IncidentMetrics {
  readonly timeToDetectMs: number | null;
  readonly timeToAcknowledgeMs: number | null;
  readonly timeToContainMs: number | null;
  readonly timeToRecoverMs: number | null;
  /** Further phases, from detection as well (null until the phase is reached). */
  readonly timeToIdentifyMs?: number | null;
  readonly timeToEradicateMs?: number | null;
  readonly timeToVerifyMs?: number | null;
  readonly timeToCloseMs?: number | null;
}

const since = (start: number | null | undefined, end: number | null | undefined): number | null =>
  start == null || end == null ? null : Math.max(0, end - start);

export function incidentMetrics(incident: Incident): IncidentMetrics {
  const detected = incident.phaseTimes.detected ?? incident.createdAt;
  return {
    timeToDetectMs: since(incident.firstActivityAt, detected),
    timeToAcknowledgeMs: since(detected, incident.acknowledgedAt),
    timeToContainMs: since(detected, incident.phaseTimes.contained),
    timeToRecoverMs: since(detected, incident.phaseTimes.recovered),
    timeToIdentifyMs: since(detected, incident.phaseTimes.identified),
    timeToEradicateMs: since(detected, incident.phaseTimes.eradicated),
    timeToVerifyMs: since(detected, incident.phaseTimes.verified),
    timeToCloseMs: since(detected, incident.phaseTimes.closed),
  };
}

export interface MetricSummary {
  readonly count: number;
  readonly meanMs: number | null;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
}

function summarise(values: readonly (number | null)[]): MetricSummary {
  const present = values.filter((v): v is number => v !== null).sort((a, b) => a - b);
  if (present.length === 0) return { count: 0, meanMs: null, medianMs: null, p90Ms: null };
  const at = (q: number): number =>
    present[Math.min(present.length - 1, Math.ceil(q * present.length) - 1)] ?? 0;
  return {
    count: present.length,
    meanMs: Math.round(present.reduce((a, b) => a + b, 0) / present.length),
    medianMs: at(0.5),
    p90Ms: at(0.9),
  };
}

export interface TenantMetrics {
  readonly incidents: number;
  readonly mttd: MetricSummary;
  readonly mtta: MetricSummary;
  readonly mttc: MetricSummary;
  readonly mttr: MetricSummary;
}

export function tenantMetrics(incidents: readonly Incident[]): TenantMetrics {
  const per = incidents.map(incidentMetrics);
  return {
    incidents: incidents.length,
    mttd: summarise(per.map((m) => m.timeToDetectMs)),
    mtta: summarise(per.map((m) => m.timeToAcknowledgeMs)),
    mttc: summarise(per.map((m) => m.timeToContainMs)),
    mttr: summarise(per.map((m) => m.timeToRecoverMs)),
  };
}
