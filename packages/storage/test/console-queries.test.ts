/**
 * The console's read side on both dialects: keyset pages of incidents and alerts walk every
 * match exactly once in order (ties in time included, with filters), the bounded count stops
 * at 10,000 and says so, the overview's figures equal what the generated load implies and hold
 * only the tenants asked for; and EXPLAIN shows each of those statements reading an index, not
 * scanning the table (on PostgreSQL with sequential scans disabled, so the plan answers "can an
 * index serve this", which is what stays true as the tables grow).
 */
import type { Alert, Incident, Page, Principal } from '@cordon/core';
import { AccessService, LoginThrottle, OVERVIEW_COUNT_LIMIT } from '@cordon/core';
import type { KyselyPlugin, PluginTransformQueryArgs, RootOperationNode } from 'kysely';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bulkLoad, consoleLoad } from '../src/index.ts';
import { KyselyOverviewQueries } from '../src/repositories/console/kysely-overview-queries.ts';
import { KyselyAlertRepository } from '../src/repositories/detection/alert.repository.ts';
import { KyselyIncidentRepository } from '../src/repositories/tenant.repositories.ts';
import type { TestStore } from '../src/testing/test-databases.ts';
import { DIALECTS, dialectAvailable, openTestStore } from '../src/testing/test-databases.ts';

const system: Principal = { kind: 'system', name: 'test' };
const NOW = Date.UTC(2026, 11, 1, 12, 0, 0);

/** Records every query a Kysely instance runs, to EXPLAIN it afterwards. */
class QueryRecorder implements KyselyPlugin {
  readonly nodes: { node: RootOperationNode; queryId: PluginTransformQueryArgs['queryId'] }[] = [];
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    this.nodes.push({ node: args.node, queryId: args.queryId });
    return args.node;
  }
  async transformResult<R>(args: { result: R }): Promise<R> {
    return args.result;
  }
}

async function walk<T>(
  list: (page: Page) => Promise<{ items: T[] }>,
  key: (item: T) => { at: number; tie: string },
  limit: number,
): Promise<T[]> {
  const all: T[] = [];
  let after: { at: number; tie: string } | undefined;
  for (let guard = 0; guard < 10_000; guard++) {
    const page = await list({ limit, offset: 0, ...(after ? { after } : {}) });
    all.push(...page.items);
    if (page.items.length < limit) return all;
    after = key(page.items.at(-1)!);
  }
  throw new Error('walk did not end');
}

const incidentOrder = (a: Incident, b: Incident) =>
  b.createdAt - a.createdAt || b.number - a.number;
const alertOrder = (a: Alert, b: Alert) =>
  b.lastSeen - a.lastSeen || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectAvailable(dialect))(`console queries on ${dialect}`, () => {
    let t: TestStore;
    let a: string;
    let b: string;
    let empty: string;
    let load: ReturnType<typeof consoleLoad>;
    beforeAll(async () => {
      t = await openTestStore(dialect);
      const access = new AccessService(t.store, { now: () => NOW }, new LoginThrottle());
      a = (await access.createTenant(system, 'Console A')).id;
      b = (await access.createTenant(system, 'Console B')).id;
      empty = (await access.createTenant(system, 'Console Empty')).id;
      load = consoleLoad({ tenantId: a, incidents: 230, alerts: 10_050, now: NOW });
      await bulkLoad(t.store, a, load);
      await bulkLoad(t.store, b, consoleLoad({ tenantId: b, incidents: 40, alerts: 90, now: NOW }));
    }, 120_000);
    afterAll(async () => t?.dispose());

    const db = () => t.store.database.kysely;

    it('walks incidents by cursor: every one once, newest first, ties broken by number', async () => {
      const repo = new KyselyIncidentRepository(db(), a);
      const walked = await walk(
        (p) => repo.list({}, p),
        (i) => ({ at: i.createdAt, tie: String(i.number) }),
        17,
      );
      expect(walked.map((i) => i.id)).toEqual(
        [...load.incidents].sort(incidentOrder).map((i) => i.id),
      );
      const contained = await walk(
        (p) => repo.list({ phase: 'contained' }, p),
        (i) => ({ at: i.createdAt, tie: String(i.number) }),
        4,
      );
      expect(contained.map((i) => i.id)).toEqual(
        load.incidents
          .filter((i) => i.phase === 'contained')
          .sort(incidentOrder)
          .map((i) => i.id),
      );
      const first = await repo.list({ severity: 'high' }, { limit: 5, offset: 0 });
      expect(first.total).toBe(load.incidents.filter((i) => i.severity === 'high').length);
      expect(first.totalIsLowerBound).toBe(false);
    });

    it('walks alerts by cursor with filters, and counts to 10,000 then says "more"', async () => {
      const repo = new KyselyAlertRepository(db(), a);
      const key = (x: Alert) => ({ at: x.lastSeen, tie: x.id });
      const open = await walk((p) => repo.list({ status: 'open', level: 'high' }, p), key, 50);
      expect(open.map((x) => x.id)).toEqual(
        load.alerts
          .filter((x) => x.status === 'open' && x.level === 'high')
          .sort(alertOrder)
          .map((x) => x.id),
      );
      const byHost = await walk((p) => repo.list({ host: 'LOAD-HOST-7' }, p), key, 3);
      expect(byHost.map((x) => x.id)).toEqual(
        load.alerts
          .filter((x) => x.entities.hosts[0] === 'load-host-7')
          .sort(alertOrder)
          .map((x) => x.id),
      );
      const all = await repo.list({}, { limit: 10, offset: 0 });
      expect(all).toMatchObject({ total: 10_000, totalIsLowerBound: true });
      const windowed = await repo.list(
        { lastSeenFrom: NOW - 100 * 60_000, lastSeenTo: NOW - 50 * 60_000 },
        { limit: 100, offset: 0 },
      );
      expect(windowed.totalIsLowerBound).toBe(false);
      expect(
        windowed.items.every(
          (x) => x.lastSeen >= NOW - 100 * 60_000 && x.lastSeen < NOW - 50 * 60_000,
        ),
      ).toBe(true);
      expect(windowed.total).toBe(
        load.alerts.filter(
          (x) => x.lastSeen >= NOW - 100 * 60_000 && x.lastSeen < NOW - 50 * 60_000,
        ).length,
      );
      // Tenant B's repository sees none of A's alerts.
      const other = await new KyselyAlertRepository(db(), b).list({}, { limit: 1000, offset: 0 });
      expect(other.total).toBe(90);
      expect(other.items.every((x) => x.tenantId === b)).toBe(true);
    });

    it('overview figures: what the load implies, only for the tenants asked', async () => {
      const figures = await new KyselyOverviewQueries(db()).figures([a, empty]);
      expect(figures.map((f) => f.tenantId)).toEqual([a, empty]);
      const [fa, fe] = figures;
      const openIncidents = load.incidents.filter((i) => i.phase !== 'closed');
      expect(fa!.openIncidents.reduce((s, r) => s + r.count, 0)).toBe(openIncidents.length);
      const highDetected = openIncidents.filter(
        (i) => i.phase === 'detected' && i.severity === 'high',
      ).length;
      expect(
        fa!.openIncidents.find((r) => r.phase === 'detected' && r.severity === 'high')?.count ?? 0,
      ).toBe(highDetected);
      const openAlerts = load.alerts.filter((x) => x.status === 'open').length;
      expect(openAlerts).toBeLessThanOrEqual(OVERVIEW_COUNT_LIMIT);
      expect(fa!.openAlerts).toBe(openAlerts);
      expect(fe).toEqual({
        tenantId: empty,
        openIncidents: [],
        openAlerts: 0,
        actionsAwaitingApproval: 0,
        agents: 0,
        agentsOffline: 0,
        readiness: null,
        demo: false,
      });
    });

    it('EXPLAIN: the overview and the first pages read indexes, not whole tables', async () => {
      const recorder = new QueryRecorder();
      const traced = db().withPlugin(recorder);
      await new KyselyOverviewQueries(traced).figures([a, b]);
      const incidents = new KyselyIncidentRepository(traced, a);
      const alerts = new KyselyAlertRepository(traced, a);
      const first = await incidents.list({}, { limit: 50, offset: 0 });
      const last = first.items.at(-1)!;
      await incidents.list(
        {},
        { limit: 50, offset: 0, after: { at: last.createdAt, tie: String(last.number) } },
      );
      await incidents.list({ phase: 'identified' }, { limit: 50, offset: 0 });
      await incidents.list({ severity: 'critical' }, { limit: 50, offset: 0 });
      const page = await alerts.list({ status: 'open' }, { limit: 50, offset: 0 });
      const tail = page.items.at(-1)!;
      await alerts.list(
        { status: 'open' },
        { limit: 50, offset: 0, after: { at: tail.lastSeen, tie: tail.id } },
      );
      await alerts.list({}, { limit: 50, offset: 0 });
      await alerts.list({ ruleId: 'load-rule-3' }, { limit: 50, offset: 0 });
      await alerts.list({ level: 'critical' }, { limit: 50, offset: 0 });
      await alerts.list({ incidentId: load.incidents[0]!.id }, { limit: 50, offset: 0 });
      await alerts.list({ host: 'load-host-9' }, { limit: 50, offset: 0 });
      expect(recorder.nodes.length).toBeGreaterThan(15);

      const executor = db().getExecutor();
      const big = [
        'incidents',
        'alerts',
        'alert_entities',
        'agent_actions',
        'agents',
        'readiness_snapshots',
      ];
      const problems: string[] = [];
      await db()
        .connection()
        .execute(async (conn) => {
          if (dialect === 'postgres') await sql`SET enable_seqscan = off`.execute(conn);
          for (const { node, queryId } of recorder.nodes) {
            const compiled = executor.compileQuery(node, queryId);
            const prefix = dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN ' : 'EXPLAIN ';
            const plan = await conn.executeQuery<Record<string, unknown>>({
              ...compiled,
              sql: prefix + compiled.sql,
            });
            const lines = plan.rows.map((r) =>
              String(dialect === 'sqlite' ? r['detail'] : r['QUERY PLAN']),
            );
            if (process.env['SHOW_PLANS'])
              console.log(compiled.sql.slice(0, 120), '\n   ', lines.join('\n    '));
            for (const line of lines) {
              const fullScan =
                dialect === 'sqlite'
                  ? big.some((table) => new RegExp(`^SCAN ${table}( AS \\w+)?$`).test(line.trim()))
                  : /Seq Scan on/.test(line);
              if (fullScan) problems.push(`${line.trim()}  ←  ${compiled.sql.slice(0, 160)}`);
            }
          }
          if (dialect === 'postgres') await sql`RESET enable_seqscan`.execute(conn);
        });
      expect(problems).toEqual([]);
    });
  });
}
