/**
 * The eradication phase as the API shows it: every eradication step of an incident (its tasks
 * in phase `eradicated` and its removal actions) with its state, and the waiver of an action
 * that failed or will not run — an incident lead's decision with a written reason, journalled.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { CordonError, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import type { Store } from '../ports/store.ts';
import type { ActionWaiver } from './action-waiver.ts';
import { eradicationActionSteps, waiverReason } from './eradication-records.ts';
import { eradicationSteps, eradicationUnmet, isEradicationAction } from './eradication-steps.ts';
import type { EradicationStep } from './eradication-steps.ts';

export interface EradicationView {
  readonly steps: readonly EradicationStep[];
  readonly waivers: readonly ActionWaiver[];
  /** What the eradicated guard would say now; empty when it would let the incident move on. */
  readonly unmet: readonly string[];
}

export class EradicationService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(options: { readonly store: Store; readonly clock: Clock }) {
    this.#store = options.store;
    this.#clock = options.clock;
  }

  async view(principal: Principal, tenantId: string, incidentId: string): Promise<EradicationView> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await scope.incidents.get(incidentId))) throw notFound('incident');
      const tasks = await scope.tasks.list(incidentId);
      const actions = await eradicationActionSteps(scope, incidentId);
      return {
        steps: eradicationSteps(tasks, actions),
        waivers: await scope.eradication.waivers.list(incidentId),
        unmet: eradicationUnmet(tasks, actions),
      };
    });
  }

  async waiveAction(
    principal: Principal,
    tenantId: string,
    target: { readonly incidentId: string; readonly actionId: string },
    reason: string,
  ): Promise<ActionWaiver> {
    authorize(principal, tenantId, 'incident:override_guard');
    const text = waiverReason(reason);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      if (!(await scope.incidents.get(target.incidentId))) throw notFound('incident');
      const action = await scope.containment.actions.get(target.actionId);
      if (action?.incidentId !== target.incidentId) throw notFound('action');
      if (!isEradicationAction(action.action.kind))
        throw new CordonError(
          'invalid_input',
          `a ${action.action.kind} action is not an eradication step`,
        );
      if (action.state === 'applied')
        throw new CordonError('conflict', `action ${action.id} was applied; nothing to waive`);
      const waiver: ActionWaiver = {
        tenantId,
        actionId: action.id,
        incidentId: target.incidentId,
        reason: text,
        waivedBy: actorOf(principal),
        waivedAt: this.#clock.now(),
      };
      if (!(await scope.eradication.waivers.insert(waiver)))
        throw new CordonError('conflict', `action ${action.id} is already waived`);
      await scope.journal.append({
        actor: waiver.waivedBy,
        kind: 'eradication.action_waived',
        incidentId: target.incidentId,
        payload: {
          actionId: action.id,
          kind: action.action.kind,
          state: action.state,
          reason: text,
        },
      });
      return waiver;
    });
  }
}
