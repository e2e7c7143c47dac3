/** Overview figures as the API shows them (TenantOverviewView, MsspOverviewView). */
import type { TenantOverview } from '@cordon/core';
import { OVERVIEW_COUNT_LIMIT } from '@cordon/core';

const OPEN_PHASES = [
  'detected',
  'identified',
  'contained',
  'analysed',
  'eradicated',
  'recovered',
  'verified',
] as const;
const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;

export function tenantOverviewView({ tenant, figures }: TenantOverview) {
  const byPhase = Object.fromEntries(OPEN_PHASES.map((p) => [p, 0])) as Record<
    (typeof OPEN_PHASES)[number],
    number
  >;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<
    (typeof SEVERITIES)[number],
    number
  >;
  let open = 0;
  for (const row of figures.openIncidents) {
    byPhase[row.phase] += row.count;
    bySeverity[row.severity] += row.count;
    open += row.count;
  }
  return {
    tenantId: tenant.id,
    tenantName: tenant.name,
    demo: figures.demo,
    incidents: { open, bySeverity, byPhase },
    alerts: {
      awaitingTriage: Math.min(figures.openAlerts, OVERVIEW_COUNT_LIMIT),
      awaitingTriageIsLowerBound: figures.openAlerts > OVERVIEW_COUNT_LIMIT,
    },
    actions: { awaitingApproval: figures.actionsAwaitingApproval },
    agents: { total: figures.agents, offline: figures.agentsOffline },
    readiness: figures.readiness
      ? {
          score: figures.readiness.score,
          recordedAt: new Date(figures.readiness.at).toISOString(),
        }
      : null,
  };
}

export function msspOverviewView(overviews: readonly TenantOverview[]) {
  const tenants = overviews.map(tenantOverviewView);
  const sum = (pick: (t: ReturnType<typeof tenantOverviewView>) => number) =>
    tenants.reduce((s, t) => s + pick(t), 0);
  return {
    tenants,
    totals: {
      tenants: tenants.length,
      openIncidents: sum((t) => t.incidents.open),
      alertsAwaitingTriage: sum((t) => t.alerts.awaitingTriage),
      actionsAwaitingApproval: sum((t) => t.actions.awaitingApproval),
      agentsOffline: sum((t) => t.agents.offline),
    },
  };
}
