/**
 * The readiness score of a tenant: computed from the records on demand, and recorded as a
 * snapshot (with a journal entry) when asked, so that its history shows progress over time.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { Store } from '../ports/store.ts';
import type { ReadinessReport } from '../readiness/readiness-report.ts';
import { readinessReport } from '../readiness/readiness-report.ts';
import type { ReadinessSnapshot } from '../readiness/readiness-snapshot.ts';
import { PREPARATION_READ, PREPARATION_WRITE, loadPreparationFacts } from './preparation-access.ts';

export class ReadinessService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async report(principal: Principal, tenantId: string): Promise<ReadinessReport> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      return readinessReport(
        await loadPreparationFacts(uow.forTenant(tenantId)),
        this.#clock.now(),
      );
    });
  }

  /** Computes the score and keeps it in the history. */
  async record(
    principal: Principal,
    tenantId: string,
  ): Promise<{ report: ReadinessReport; snapshot: ReadinessSnapshot }> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const scope = uow.forTenant(tenantId);
      const now = this.#clock.now();
      const report = readinessReport(await loadPreparationFacts(scope), now);
      const snapshot: ReadinessSnapshot = {
        id: newId(),
        tenantId,
        at: now,
        score: report.score,
        checks: report.checks,
      };
      await scope.preparation.readinessSnapshots.insert(snapshot);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'readiness.recorded',
        payload: {
          snapshotId: snapshot.id,
          score: report.score,
          gaps: report.gaps.map((g) => g.id),
        },
      });
      return { report, snapshot };
    });
  }

  async history(principal: Principal, tenantId: string, limit = 100): Promise<ReadinessSnapshot[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).preparation.readinessSnapshots.list(limit),
    );
  }
}
