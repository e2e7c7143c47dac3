/**
 * The monthly client report of one tenant: the month's incidents (created in it, UTC), alerts
 * by level (last seen in it), the times to detect, acknowledge, contain and recover over those
 * incidents, and the readiness score's trend; the month's SLA results (from the tenant's
 * contract) and the service guarantee's statement, each saying "not configured" when the tenant
 * has no such contract.
 */
import type {
  GuaranteeStatement,
  Incident,
  ReadinessSnapshot,
  SlaReport,
  Store,
  TenantMetrics,
} from '@cordon/core';
import {
  ALERT_LEVELS,
  CordonError,
  formatIncidentNumber,
  notFound,
  tenantMetrics,
} from '@cordon/core';
import type { ReportDocument, ReportSection } from './report-document.ts';
import { duration, facts, iso, table, text } from './report-document.ts';

const MAX_INCIDENTS = 5_000;

export interface MonthlyReportFacts {
  readonly tenantName: string;
  readonly month: string;
  readonly from: number;
  readonly to: number;
  readonly incidents: readonly Incident[];
  readonly alerts: readonly {
    readonly level: string;
    readonly count: number;
    readonly atLeast: boolean;
  }[];
  readonly readiness: readonly ReadinessSnapshot[];
  readonly head: { readonly seq: number; readonly hash: string } | null;
}

export function monthBounds(month: string): { from: number; to: number } {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  const year = Number(match?.[1]);
  const index = Number(match?.[2]) - 1;
  if (!match || index < 0 || index > 11) throw new CordonError('invalid_input', 'month is YYYY-MM');
  return { from: Date.UTC(year, index, 1), to: Date.UTC(year, index + 1, 1) };
}

export async function readMonthlyReportFacts(
  store: Store,
  tenantId: string,
  month: string,
): Promise<MonthlyReportFacts> {
  const { from, to } = monthBounds(month);
  return store.transaction(async (uow) => {
    const tenant = await uow.tenants.get(tenantId);
    if (!tenant) throw notFound('tenant');
    const scope = uow.forTenant(tenantId);
    const incidents: Incident[] = [];
    for (let offset = 0; offset < MAX_INCIDENTS; offset += 500) {
      const page = await scope.incidents.list(
        { createdFrom: from, createdTo: to },
        { limit: 500, offset },
      );
      incidents.push(...page.items);
      if (page.items.length < 500) break;
    }
    const alerts = [];
    for (const level of ALERT_LEVELS) {
      const page = await scope.detection.alerts.list(
        { level, lastSeenFrom: from, lastSeenTo: to },
        { limit: 1, offset: 0 },
      );
      alerts.push({ level, count: page.total, atLeast: page.totalIsLowerBound });
    }
    // The trend: the last snapshot of each of the six months up to this one.
    const readiness = (await scope.preparation.readinessSnapshots.list(1_000)).filter(
      (s) =>
        s.at < to &&
        s.at >= Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth() - 5, 1),
    );
    return {
      tenantName: tenant.name,
      month,
      from,
      to,
      incidents,
      alerts,
      readiness,
      head: (await scope.journal.head()) ?? null,
    };
  });
}

function metricRows(m: TenantMetrics): string[][] {
  return (
    [
      ['Time to detect', m.mttd],
      ['Time to acknowledge', m.mtta],
      ['Time to contain', m.mttc],
      ['Time to recover', m.mttr],
    ] as const
  ).map(([name, s]) => [
    name,
    String(s.count),
    duration(s.meanMs),
    duration(s.medianMs),
    duration(s.p90Ms),
  ]);
}

function readinessTrend(snapshots: readonly ReadinessSnapshot[]): string[][] {
  const byMonth = new Map<string, ReadinessSnapshot>();
  for (const s of [...snapshots].sort((a, b) => a.at - b.at)) byMonth.set(iso(s.at).slice(0, 7), s);
  return [...byMonth].map(([m, s]) => [m, String(s.score), iso(s.at)]);
}

/** What the contracts say about the month, when the tenant has them. */
export interface MonthlyContractFacts {
  readonly sla?: SlaReport | undefined;
  readonly guarantee?: GuaranteeStatement | undefined;
}

const money = (minor: number, currency: string | null): string =>
  `${(minor / 100).toFixed(2)}${currency ? ` ${currency}` : ''}`;

function slaSection(sla: SlaReport | undefined): ReportSection {
  if (!sla) {
    return {
      key: 'sla',
      heading: 'SLA results',
      blocks: [text('Not configured: this tenant has no contract with SLA targets in Cordon.')],
    };
  }
  const rows = sla.metrics.map((m) => [
    m.metric,
    String(m.counts.met),
    String(m.counts.missed),
    String(m.counts.breached),
    String(m.counts.at_risk),
    String(m.counts.running + m.counts.paused),
    m.metShare === null ? '—' : `${Math.round(m.metShare * 1000) / 10} %`,
  ]);
  return {
    key: 'sla',
    heading: 'SLA results',
    blocks: [
      table(['Target', 'Met', 'Missed', 'Breached', 'At risk', 'Running', 'Met share'], rows),
      ...(sla.failures.length
        ? [
            table(
              ['Incident', 'Target', 'Result'],
              sla.failures.map((x) => [`INC-${x.number}`, x.metric, x.state]),
            ),
          ]
        : [text('No target was missed or breached.')]),
      ...(sla.truncated ? [text('Only the first incidents of the month are counted.')] : []),
    ],
  };
}

function guaranteeSection(statement: GuaranteeStatement | undefined): ReportSection {
  if (!statement) {
    return {
      key: 'guarantee',
      heading: 'Service guarantee usage',
      blocks: [text('Not configured: this tenant has no service guarantee in Cordon.')],
    };
  }
  const { totals, currency } = statement;
  return {
    key: 'guarantee',
    heading: 'Service guarantee usage',
    blocks: [
      facts([
        ['Incidents with entries', String(statement.incidents.length)],
        ['Time and cost recorded', money(totals.amountMinor, currency)],
        ['Covered by the guarantee', money(totals.coveredMinor, currency)],
        ['Billable', money(totals.billableMinor, currency)],
      ]),
    ],
  };
}

export function monthlyReportDocument(
  f: MonthlyReportFacts,
  meta: { readonly generatedAt: number; readonly generatedBy: string },
  contracts: MonthlyContractFacts = {},
): ReportDocument {
  const metrics = tenantMetrics(f.incidents);
  const sections: ReportSection[] = [
    {
      key: 'overview',
      heading: 'The month',
      blocks: [
        facts([
          ['Period (UTC)', `${iso(f.from)} to ${iso(f.to)}`],
          ['Incidents opened', String(f.incidents.length)],
          ['Still open', String(f.incidents.filter((i) => i.phase !== 'closed').length)],
          ['Alerts', String(f.alerts.reduce((a, x) => a + x.count, 0))],
        ]),
      ],
    },
    {
      key: 'incidents',
      heading: 'Incidents',
      blocks: f.incidents.length
        ? [
            table(
              ['Reference', 'Title', 'Severity', 'Phase', 'Opened (UTC)', 'Closure'],
              f.incidents.map((i) => [
                formatIncidentNumber(i),
                i.title,
                i.severity,
                i.phase,
                iso(i.createdAt),
                i.closureReason ?? 'open',
              ]),
            ),
          ]
        : [text('No incident was opened this month.')],
    },
    {
      key: 'alerts',
      heading: 'Alerts by level',
      blocks: [
        table(
          ['Level', 'Alerts'],
          f.alerts.map((a) => [a.level, `${a.atLeast ? 'at least ' : ''}${a.count}`]),
        ),
      ],
    },
    {
      key: 'times',
      heading: 'Times to detect, acknowledge, contain and recover',
      blocks: [table(['Measure', 'Incidents', 'Mean', 'Median', 'p90'], metricRows(metrics))],
    },
    {
      key: 'readiness',
      heading: 'Readiness trend',
      blocks: f.readiness.length
        ? [table(['Month', 'Score', 'Measured (UTC)'], readinessTrend(f.readiness))]
        : [text('No readiness score was recorded in the last six months.')],
    },
    slaSection(contracts.sla),
    guaranteeSection(contracts.guarantee),
  ];
  return {
    kind: 'monthly',
    title: 'Monthly client report',
    reference: `${f.tenantName} · ${f.month}`,
    tenantName: f.tenantName,
    generatedAt: meta.generatedAt,
    generatedBy: meta.generatedBy,
    journalHead: f.head ? { seq: f.head.seq, hash: f.head.hash, checkpoint: null } : null,
    sections,
  };
}
