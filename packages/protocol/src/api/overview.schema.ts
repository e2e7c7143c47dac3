/**
 * The console's first screens: one tenant's overview and the MSSP overview of every tenant
 * the caller may see. Each figure is an aggregate over an index, so the answer costs the same
 * whether a tenant holds a hundred incidents or ten thousand.
 */
import { Type } from '@sinclair/typebox';
import { Timestamp, Uuid, closed } from './common.schema.ts';

const count = (description: string) => Type.Integer({ minimum: 0, description });
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
const countsBy = (keys: readonly string[], what: string) =>
  closed(Object.fromEntries(keys.map((k) => [k, count(`${what} ${k}`)])));

export const TenantOverviewView = closed({
  tenantId: Uuid,
  tenantName: Type.String(),
  /** True for the tenant `cordon demo` sets up: its data is generated sample data. */
  demo: Type.Boolean({ description: 'true when the tenant holds generated demo data' }),
  incidents: closed({
    open: count('incidents not closed'),
    bySeverity: countsBy(SEVERITIES, 'open incidents of severity'),
    byPhase: countsBy(OPEN_PHASES, 'open incidents in phase'),
  }),
  alerts: closed({
    awaitingTriage: count('open alerts (not acknowledged, closed or suppressed), up to 10,000'),
    awaitingTriageIsLowerBound: Type.Boolean({ description: 'true when more than 10,000' }),
  }),
  actions: closed({ awaitingApproval: count('containment actions in state requested') }),
  agents: closed({ total: count('enrolled agents'), offline: count('agents not connected') }),
  readiness: Type.Union([closed({ score: Type.Number(), recordedAt: Timestamp }), Type.Null()], {
    description: 'the last recorded readiness score (POST …/readiness/snapshots), or null',
  }),
});

export const MsspOverviewView = closed({
  tenants: Type.Array(TenantOverviewView),
  totals: closed({
    tenants: count('tenants shown'),
    openIncidents: count('open incidents over all tenants shown'),
    alertsAwaitingTriage: count('open alerts over all tenants shown (each counted up to 10,000)'),
    actionsAwaitingApproval: count('containment actions awaiting approval'),
    agentsOffline: count('agents not connected'),
  }),
});
