/**
 * The SLA report of one tenant over the incidents opened in a period: per metric, how many
 * clocks were met, missed, breached (still running past the target), at risk, running and
 * paused, the share met of those decided, and the incidents that missed or breached.
 */
import type { Incident } from '../incidents/incident.ts';
import type { BoundedPage } from '../ports/store.ts';
import type { SlaClock, SlaState } from './sla-clock.ts';
import type { SlaMetric } from './sla-terms.ts';
import { SLA_METRICS } from './sla-terms.ts';

export interface SlaReportRange {
  readonly from: number;
  readonly to: number;
  /** At most this many incidents are read; `truncated` says when there were more. */
  readonly limit: number;
}

export interface SlaMetricSummary {
  readonly metric: SlaMetric;
  readonly counts: Readonly<Record<SlaState, number>>;
  /** met / (met + missed + breached); null when none is decided. */
  readonly metShare: number | null;
}

export interface SlaReport {
  readonly tenantId: string;
  readonly from: number;
  readonly to: number;
  readonly covered: boolean;
  readonly incidents: number;
  readonly truncated: boolean;
  readonly metrics: readonly SlaMetricSummary[];
  readonly failures: readonly {
    readonly incidentId: string;
    readonly number: number;
    readonly metric: SlaMetric;
    readonly state: 'missed' | 'breached';
  }[];
}

const noCounts = (): Record<SlaState, number> => ({
  running: 0,
  at_risk: 0,
  paused: 0,
  breached: 0,
  met: 0,
  missed: 0,
});

export async function slaReportOf(options: {
  readonly tenantId: string;
  readonly range: SlaReportRange;
  readonly covered: boolean;
  readonly incidents: BoundedPage<Incident>;
  readonly clocksOf: (incident: Incident) => Promise<readonly SlaClock[]>;
}): Promise<SlaReport> {
  const { incidents, range } = options;
  const counts = new Map(SLA_METRICS.map((m) => [m, noCounts()]));
  const failures: SlaReport['failures'][number][] = [];
  for (const incident of incidents.items)
    for (const clock of await options.clocksOf(incident)) {
      counts.get(clock.metric)![clock.state] += 1;
      if (clock.state === 'missed' || clock.state === 'breached')
        failures.push({
          incidentId: incident.id,
          number: incident.number,
          metric: clock.metric,
          state: clock.state,
        });
    }
  return {
    tenantId: options.tenantId,
    from: range.from,
    to: range.to,
    covered: options.covered,
    incidents: incidents.items.length,
    truncated: incidents.totalIsLowerBound || incidents.total > incidents.items.length,
    metrics: SLA_METRICS.map((metric) => {
      const c = counts.get(metric)!;
      const decided = c.met + c.missed + c.breached;
      return { metric, counts: c, metShare: decided === 0 ? null : c.met / decided };
    }),
    failures,
  };
}
