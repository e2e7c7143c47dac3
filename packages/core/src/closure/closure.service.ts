/**
 * Lessons learned and closure: the closing review (what happened, what worked, what to change,
 * follow-up actions with owners and due dates) and the incident's figures for it — the response
 * times from the phase times, how often verification sent it back, the changes made, the
 * restores and the checks. The review counts as the lessons learned the *closed* guard asks for.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Incident } from '../incidents/incident.ts';
import { phaseIndex, isPhase } from '../incidents/incident.ts';
import type { IncidentMetrics } from '../incidents/incident-metrics.ts';
import { incidentMetrics } from '../incidents/incident-metrics.ts';
import type { Clock } from '../ports/clock.ts';
import type { Store } from '../ports/store.ts';
import type { ClosingReview, FollowUpAction } from './closing-review.ts';

export interface ClosingReviewInput {
  readonly whatHappened: string;
  readonly whatWorked: string;
  readonly whatToChange: string;
  readonly followUps: readonly (Omit<FollowUpAction, 'done'> & { readonly done?: boolean })[];
}

export interface ClosureSummary {
  readonly incident: Incident;
  readonly review: ClosingReview | null;
  readonly metrics: IncidentMetrics;
  /** Times a failing verification check moved the incident back. */
  readonly reopened: number;
  readonly changeRecords: number;
  readonly restores: {
    readonly succeeded: number;
    readonly failed: number;
    readonly pending: number;
  };
  readonly checks: { readonly total: number; readonly passing: number };
  readonly openFollowUps: number;
}

const MAX_FOLLOW_UPS = 100;

export class ClosureService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(options: { store: Store; clock: Clock }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  async putReview(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: ClosingReviewInput,
  ): Promise<ClosingReview> {
    authorize(principal, tenantId, 'incident:write');
    if (input.followUps.length > MAX_FOLLOW_UPS)
      throw invalidInput(`at most ${MAX_FOLLOW_UPS} follow-up actions`);
    for (const [i, f] of input.followUps.entries()) {
      if (f.owner.trim() === '') throw invalidInput(`followUps[${i}] has no owner`);
      if (!Number.isFinite(f.dueAt)) throw invalidInput(`followUps[${i}] has no due date`);
    }
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await scope.incidents.get(incidentId);
      if (!incident) throw notFound('incident');
      const before = await scope.recovery.reviews.get(incidentId);
      // After closure only the follow-ups may move on (done); the review itself stands.
      if (incident.phase === 'closed' && before && !sameReviewText(before, input))
        throw new CordonError('conflict', 'the incident is closed: only follow-ups may change');
      const now = this.#clock.now();
      const review: ClosingReview = {
        tenantId,
        incidentId,
        whatHappened: input.whatHappened,
        whatWorked: input.whatWorked,
        whatToChange: input.whatToChange,
        followUps: input.followUps.map((f) => ({
          title: f.title,
          owner: f.owner,
          dueAt: f.dueAt,
          done: f.done ?? false,
        })),
        author: actorOf(principal),
        createdAt: before?.createdAt ?? now,
        updatedAt: now,
      };
      await scope.recovery.reviews.put(review);
      await scope.journal.append({
        actor: review.author,
        kind: 'incident.review_recorded',
        incidentId,
        payload: {
          whatHappened: review.whatHappened,
          whatWorked: review.whatWorked,
          whatToChange: review.whatToChange,
          followUps: review.followUps,
        },
      });
      return review;
    });
  }

  async summary(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<ClosureSummary> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await scope.incidents.get(incidentId);
      if (!incident) throw notFound('incident');
      const review = (await scope.recovery.reviews.get(incidentId)) ?? null;
      const transitions = await scope.transitions.list(incidentId);
      const restores = await scope.recovery.restores.list(incidentId);
      const checks = await scope.recovery.checks.list(incidentId);
      const count = (status: string) => restores.filter((r) => r.status === status).length;
      return {
        incident,
        review,
        metrics: incidentMetrics(incident),
        reopened: transitions.filter(
          (t) => isPhase(t.from) && isPhase(t.to) && phaseIndex(t.to) < phaseIndex(t.from),
        ).length,
        changeRecords: (await scope.recovery.changes.list(incidentId)).length,
        restores: {
          succeeded: count('succeeded'),
          failed: count('failed'),
          pending: count('pending'),
        },
        checks: {
          total: checks.length,
          passing: checks.filter((c) => c.lastStatus === 'passed').length,
        },
        openFollowUps: review?.followUps.filter((f) => !f.done).length ?? 0,
      };
    });
  }
}

const sameReviewText = (a: ClosingReview, b: ClosingReviewInput): boolean =>
  a.whatHappened === b.whatHappened &&
  a.whatWorked === b.whatWorked &&
  a.whatToChange === b.whatToChange &&
  a.followUps.length === b.followUps.length &&
  a.followUps.every(
    (f, i) =>
      f.title === b.followUps[i]?.title &&
      f.owner === b.followUps[i]?.owner &&
      f.dueAt === b.followUps[i]?.dueAt,
  );
