/**
 * The overview's figures for many tenants in a few statements, each an aggregate over an index
 * of migration 0017 (or older): open incidents grouped by (tenant, phase, severity) from
 * `incidents_tenant_phase_severity`; open alerts counted per tenant up to the bound, so a
 * tenant with a million open alerts costs what one with ten thousand does; actions awaiting
 * approval from `agent_actions_tenant_state`; agents from their primary key; the latest
 * readiness snapshot from `readiness_snapshots_tenant_at`. Every statement names the tenant
 * ids it was given and nothing else.
 */
import type { Phase, Severity, TenantFigures } from '@cordon/core';
import { OVERVIEW_COUNT_LIMIT } from '@cordon/core';
import type { OverviewQueries } from '@cordon/core';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { CordonDatabase } from '../../database/schema.ts';

type Db = Kysely<CordonDatabase>;

/** Tenants per statement (keeps IN lists and UNION ALL chains short on both dialects). */
const CHUNK = 200;

export class KyselyOverviewQueries implements OverviewQueries {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  async figures(tenantIds: readonly string[]): Promise<TenantFigures[]> {
    const out: TenantFigures[] = [];
    for (let i = 0; i < tenantIds.length; i += CHUNK)
      out.push(...(await this.#chunk(tenantIds.slice(i, i + CHUNK))));
    return out;
  }

  async #chunk(ids: readonly string[]): Promise<TenantFigures[]> {
    if (ids.length === 0) return [];
    const db = this.#db;
    const incidents = await db
      .selectFrom('incidents')
      .select(['tenant_id', 'phase', 'severity', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', 'in', ids)
      .where('phase', '!=', 'closed')
      .groupBy(['tenant_id', 'phase', 'severity'])
      .execute();
    // One bounded count per tenant, all in one statement.
    const alertCounts = await sql<{ tenant_id: string; n: number | string }>`${sql.join(
      ids.map(
        (id) =>
          sql`SELECT ${id} AS tenant_id, (SELECT count(*) FROM (SELECT 1 FROM alerts WHERE tenant_id = ${id} AND status = 'open' LIMIT ${OVERVIEW_COUNT_LIMIT + 1}) AS m) AS n`,
      ),
      sql` UNION ALL `,
    )}`.execute(db);
    const actions = await db
      .selectFrom('agent_actions')
      .select(['tenant_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('tenant_id', 'in', ids)
      .where('state', '=', 'requested')
      .groupBy('tenant_id')
      .execute();
    const agents = await db
      .selectFrom('agents')
      .select([
        'tenant_id',
        (eb) => eb.fn.countAll<number>().as('n'),
        (eb) =>
          eb.fn.sum<number>(eb.case().when('online', '=', 0).then(1).else(0).end()).as('offline'),
      ])
      .where('tenant_id', 'in', ids)
      .groupBy('tenant_id')
      .execute();
    const latest = await db
      .selectFrom('readiness_snapshots as r')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('readiness_snapshots')
            .select(['tenant_id', (e) => e.fn.max('at').as('at')])
            .where('tenant_id', 'in', ids)
            .groupBy('tenant_id')
            .as('l'),
        (join) => join.onRef('l.tenant_id', '=', 'r.tenant_id').onRef('l.at', '=', 'r.at'),
      )
      .select(['r.tenant_id', 'r.at', 'r.score'])
      .execute();
    const demo = await db
      .selectFrom('demo_tenants')
      .select('tenant_id')
      .where('tenant_id', 'in', ids)
      .execute();

    const byTenant = <R extends { tenant_id: string }>(rows: readonly R[]) =>
      new Map(rows.map((r) => [r.tenant_id, r]));
    const alertMap = byTenant(alertCounts.rows);
    const actionMap = byTenant(actions);
    const agentMap = byTenant(agents);
    const readinessMap = byTenant(latest);
    const demoSet = new Set(demo.map((d) => d.tenant_id));
    return ids.map((tenantId) => {
      const readiness = readinessMap.get(tenantId);
      const agent = agentMap.get(tenantId);
      return {
        tenantId,
        openIncidents: incidents
          .filter((r) => r.tenant_id === tenantId)
          .map((r) => ({
            phase: r.phase as Exclude<Phase, 'closed'>,
            severity: r.severity as Severity,
            count: Number(r.n),
          })),
        openAlerts: Number(alertMap.get(tenantId)?.n ?? 0),
        actionsAwaitingApproval: Number(actionMap.get(tenantId)?.n ?? 0),
        agents: Number(agent?.n ?? 0),
        agentsOffline: Number(agent?.offline ?? 0),
        readiness: readiness ? { score: Number(readiness.score), at: Number(readiness.at) } : null,
        demo: demoSet.has(tenantId),
      };
    });
  }
}
