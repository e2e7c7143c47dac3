/**
 * The read side of the console's overview: figures per tenant, each an aggregate over an
 * index, asked for many tenants at once (the MSSP overview), so the cost follows the number of
 * tenants shown and never the number of incidents, alerts or events they hold. The tenant ids
 * passed in are the ones the caller was authorised for; the queries read nothing else.
 */
import type { Phase, Severity } from '../incidents/incident.ts';

/** Counts are capped where a tenant could hold without bound (open alerts). */
export const OVERVIEW_COUNT_LIMIT = 10_000;

export interface TenantFigures {
  readonly tenantId: string;
  /** Open (not closed) incidents by phase and severity, as counted. */
  readonly openIncidents: readonly {
    readonly phase: Exclude<Phase, 'closed'>;
    readonly severity: Severity;
    readonly count: number;
  }[];
  /** Open alerts, counted up to OVERVIEW_COUNT_LIMIT + 1. */
  readonly openAlerts: number;
  readonly actionsAwaitingApproval: number;
  readonly agents: number;
  readonly agentsOffline: number;
  readonly readiness: { readonly score: number; readonly at: number } | null;
  readonly demo: boolean;
}

export interface OverviewQueries {
  figures(tenantIds: readonly string[]): Promise<TenantFigures[]>;
}

/** Tenants `cordon demo` set up: marked when seeding starts, completed when it is done. */
export interface DemoTenantRepository {
  get(tenantId: string): Promise<{ startedAt: number; completedAt: number | null } | undefined>;
  mark(tenantId: string, at: number): Promise<void>;
  complete(tenantId: string, at: number): Promise<void>;
}
