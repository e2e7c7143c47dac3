/**
 * Incident use cases: open, update facts, acknowledge, move through the phases under their
 * guards, and record notes, observables, alert links and checklist tasks. Each change and its
 * journal entry share one transaction.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize, can } from '../access/principal.ts';
import { CordonError, notFound } from '../errors/cordon-error.ts';
import type {
  ClosureReason,
  Incident,
  IncidentOrigin,
  Phase,
  Severity,
} from '../incidents/incident.ts';
import { incidentMetrics, tenantMetrics } from '../incidents/incident-metrics.ts';
import type { TenantMetrics } from '../incidents/incident-metrics.ts';
import type {
  IncidentNote,
  Observable,
  ObservableKind,
  PhaseTransition,
} from '../incidents/incident-records.ts';
import type { IncidentTask, TaskStatus } from '../incidents/incident-task.ts';
import { checkTransition } from '../incidents/phase-guard.ts';
import { eradicationActionSteps, waiverReason } from '../eradication/eradication-records.ts';
import { responseGuardFacts } from '../closure/response-guard-facts.ts';
import { pendingContainment } from '../containment/pending-containment.ts';
import { openIncident, recordAlertLink, recordObservable } from './incident-writes.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { IncidentFilter, Page, Store, TenantScope, BoundedPage } from '../ports/store.ts';
import { requireTenantReferences } from '../tenants/tenant-references.ts';
import type { AlertIdentification } from './triage.service.ts';

export interface NewIncident {
  readonly title: string;
  readonly summary?: string;
  readonly severity: Severity;
  readonly assigneeUserId?: string | null;
  readonly firstActivityAt?: number | null;
}

export interface IncidentUpdate {
  readonly title?: string;
  readonly summary?: string;
  readonly severity?: Severity;
  readonly assigneeUserId?: string | null;
  readonly affectedAssets?: readonly string[];
  readonly attackTechniques?: readonly string[];
  readonly origins?: readonly IncidentOrigin[];
  readonly containmentNote?: string | null;
  readonly rootCause?: string | null;
  readonly scope?: string | null;
  readonly lessonsLearned?: string | null;
  readonly firstActivityAt?: number | null;
}

export interface TransitionInput {
  readonly to: Phase;
  readonly closureReason?: ClosureReason;
  readonly duplicateOf?: string;
  /** A written justification: with it an incident lead moves past a failing guard. */
  readonly overrideJustification?: string;
}

export interface NewObservable {
  readonly kind: ObservableKind;
  readonly value: string;
  readonly firstSeen?: number;
  readonly lastSeen?: number;
  readonly note?: string | null;
}

export class IncidentService {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #identification: AlertIdentification | undefined;

  /** `identification` fills in the incident's identification facts when an alert is linked. */
  constructor(
    store: Store,
    clock: Clock,
    options: { readonly identification?: AlertIdentification } = {},
  ) {
    this.#store = store;
    this.#clock = clock;
    this.#identification = options.identification;
  }

  async create(principal: Principal, tenantId: string, input: NewIncident): Promise<Incident> {
    authorize(principal, tenantId, 'incident:write');
    return this.#store.transaction(async (uow) => {
      const scope = await this.#scope(uow.forTenant(tenantId), uow);
      await requireTenantReferences(scope, { userIds: [input.assigneeUserId] }, uow.users);
      return openIncident(scope, input, actorOf(principal), this.#clock.now());
    });
  }

  async get(principal: Principal, tenantId: string, incidentId: string): Promise<Incident> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => this.#load(uow.forTenant(tenantId), incidentId));
  }

  async list(
    principal: Principal,
    tenantId: string,
    filter: IncidentFilter,
    page: Page,
  ): Promise<BoundedPage<Incident>> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).incidents.list(filter, page),
    );
  }

  async update(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: IncidentUpdate,
  ): Promise<Incident> {
    authorize(principal, tenantId, 'incident:write');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await this.#load(scope, incidentId);
      if (incident.phase === 'closed') throw new CordonError('conflict', 'the incident is closed');
      await requireTenantReferences(scope, { userIds: [input.assigneeUserId] }, uow.users);
      const changes = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
      if (Object.keys(changes).length === 0) return incident;
      const updatedAt = this.#clock.now();
      await scope.incidents.update(incidentId, { ...changes, updatedAt });
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'incident.updated',
        incidentId,
        payload: { changes },
      });
      return { ...incident, ...changes, updatedAt };
    });
  }

  async acknowledge(principal: Principal, tenantId: string, incidentId: string): Promise<Incident> {
    authorize(principal, tenantId, 'incident:write');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await this.#load(scope, incidentId);
      if (incident.acknowledgedAt !== null) return incident;
      const now = this.#clock.now();
      await scope.incidents.update(incidentId, { acknowledgedAt: now, updatedAt: now });
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'incident.acknowledged',
        incidentId,
      });
      return { ...incident, acknowledgedAt: now, updatedAt: now };
    });
  }

  async transition(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: TransitionInput,
  ): Promise<{ incident: Incident; transition: PhaseTransition }> {
    authorize(principal, tenantId, 'incident:write');
    const justification = input.overrideJustification?.trim();
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await this.#load(scope, incidentId);
      // Checked whether or not the transition uses it: an id named is an id of this tenant.
      await requireTenantReferences(scope, { incidentIds: [input.duplicateOf] });
      if (input.closureReason === 'duplicate' && input.duplicateOf === incidentId)
        throw new CordonError('invalid_input', 'an incident cannot duplicate itself');
      const check = checkTransition(await this.#guardContext(scope, incident, input.to), input);
      let unmet: readonly string[] = [];
      switch (check.kind) {
        case 'allowed':
          break;
        case 'invalid':
          throw new CordonError('conflict', check.reason);
        case 'guarded':
          unmet = check.unmet;
          if (!justification) {
            throw new CordonError(
              'guard_failed',
              `cannot move to ${input.to}: ${check.unmet.join('; ')}`,
              {
                details: { unmet: check.unmet },
              },
            );
          }
          if (!can(principal, tenantId, 'incident:override_guard')) {
            throw new CordonError('forbidden', 'only an incident lead may override a phase guard');
          }
          if (justification.length < 10) {
            throw new CordonError(
              'invalid_input',
              'an override needs a written justification (10 characters or more)',
            );
          }
          break;
      }
      const now = this.#clock.now();
      const transition: PhaseTransition = {
        tenantId,
        incidentId,
        from: incident.phase,
        to: input.to,
        at: now,
        actor: actorOf(principal),
        overrideJustification: unmet.length > 0 ? (justification ?? null) : null,
        unmetConditions: unmet,
      };
      const changes = {
        phase: input.to,
        phaseTimes: { ...incident.phaseTimes, [input.to]: now },
        updatedAt: now,
        // Moving on is an acknowledgement: nobody advances an incident they have not seen.
        acknowledgedAt: incident.acknowledgedAt ?? now,
        ...(input.to === 'closed'
          ? { closureReason: input.closureReason ?? null, duplicateOf: input.duplicateOf ?? null }
          : {}),
      };
      await scope.incidents.update(incidentId, changes);
      await scope.transitions.insert(transition);
      await scope.journal.append({
        actor: transition.actor,
        kind: unmet.length > 0 ? 'incident.phase_overridden' : 'incident.phase_changed',
        incidentId,
        payload: {
          from: transition.from,
          to: transition.to,
          ...(input.to === 'closed'
            ? { closureReason: input.closureReason, duplicateOf: input.duplicateOf }
            : {}),
          ...(unmet.length > 0 ? { unmet, justification } : {}),
        },
      });
      return { incident: { ...incident, ...changes }, transition };
    });
  }

  /**
   * What the guard would say of a move to `input.to` now, without moving (the console's phase
   * stepper): the same context and the same check as `transition`.
   */
  async previewTransition(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: Pick<TransitionInput, 'to' | 'closureReason' | 'duplicateOf'>,
  ): Promise<{ incident: Incident; check: ReturnType<typeof checkTransition> }> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await this.#load(scope, incidentId);
      return {
        incident,
        check: checkTransition(await this.#guardContext(scope, incident, input.to), input),
      };
    });
  }

  async #guardContext(scope: TenantScope, incident: Incident, to: Incident['phase']) {
    return {
      incident,
      tasks: await scope.tasks.list(incident.id),
      ...(to === 'contained'
        ? { pendingContainment: await pendingContainment(scope, incident.id) }
        : {}),
      ...(to === 'eradicated'
        ? { eradicationActions: await eradicationActionSteps(scope, incident.id) }
        : {}),
      ...(await responseGuardFacts(scope, incident.id)),
    };
  }

  async transitions(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<PhaseTransition[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#load(scope, incidentId);
      return scope.transitions.list(incidentId);
    });
  }

  async addNote(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    body: string,
  ): Promise<IncidentNote> {
    authorize(principal, tenantId, 'incident:write');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#load(scope, incidentId);
      const note: IncidentNote = {
        id: newId(),
        tenantId,
        incidentId,
        author: actorOf(principal),
        body,
        createdAt: this.#clock.now(),
      };
      await scope.notes.insert(note);
      await scope.journal.append({
        actor: note.author,
        kind: 'incident.note_added',
        incidentId,
        payload: { noteId: note.id, body },
      });
      return note;
    });
  }

  async notes(principal: Principal, tenantId: string, incidentId: string): Promise<IncidentNote[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#load(scope, incidentId);
      return scope.notes.list(incidentId);
    });
  }

  async addObservable(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: NewObservable,
  ): Promise<Observable> {
    authorize(principal, tenantId, 'incident:write');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#load(scope, incidentId);
      const now = this.#clock.now();
      const firstSeen = input.firstSeen ?? now;
      const lastSeen = input.lastSeen ?? firstSeen;
      if (lastSeen < firstSeen)
        throw new CordonError('invalid_input', 'lastSeen is before firstSeen');
      return recordObservable(
        scope,
        {
          incidentId,
          kind: input.kind,
          value: input.value,
          firstSeen,
          lastSeen,
          note: input.note ?? null,
        },
        actorOf(principal),
      );
    });
  }

  async observables(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<Observable[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#load(scope, incidentId);
      return scope.observables.list(incidentId);
    });
  }

  async removeObservable(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    observableId: string,
  ): Promise<void> {
    authorize(principal, tenantId, 'incident:write');
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#load(scope, incidentId);
      const observable = await scope.observables.get(observableId);
      if (!observable || observable.incidentId !== incidentId) throw notFound('observable');
      await scope.observables.delete(observableId);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'incident.observable_removed',
        incidentId,
        payload: { observableId, kind: observable.kind, value: observable.value },
      });
    });
  }

  async linkAlert(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    alertId: string,
  ): Promise<boolean> {
    authorize(principal, tenantId, 'incident:write');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const incident = await this.#load(scope, incidentId);
      const now = this.#clock.now();
      const linked = await recordAlertLink(scope, { incidentId, alertId }, actorOf(principal), now);
      const alert = linked ? await scope.detection.alerts.get(alertId) : undefined;
      if (alert && this.#identification && incident.phase !== 'closed') {
        await this.#identification.alertJoined(scope, incident, alert, now);
      }
      return linked;
    });
  }

  async alertLinks(principal: Principal, tenantId: string, incidentId: string): Promise<string[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#load(scope, incidentId);
      return (await scope.alertLinks.list(incidentId)).map((l) => l.alertId);
    });
  }

  async addTask(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    input: { phase: Phase; title: string },
  ): Promise<IncidentTask> {
    authorize(principal, tenantId, 'incident:write');
    if (input.phase === 'detected' || input.phase === 'closed') {
      throw new CordonError('invalid_input', `tasks belong to a working phase, not ${input.phase}`);
    }
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#load(scope, incidentId);
      const task: IncidentTask = {
        id: newId(),
        tenantId,
        incidentId,
        phase: input.phase,
        title: input.title,
        status: 'open',
        createdAt: this.#clock.now(),
        completedAt: null,
        completedBy: null,
      };
      await scope.tasks.insert(task);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'incident.task_added',
        incidentId,
        payload: { taskId: task.id, phase: task.phase, title: task.title },
      });
      return task;
    });
  }

  async tasks(principal: Principal, tenantId: string, incidentId: string): Promise<IncidentTask[]> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#load(scope, incidentId);
      return scope.tasks.list(incidentId);
    });
  }

  async setTaskStatus(
    principal: Principal,
    tenantId: string,
    incidentId: string,
    taskId: string,
    status: TaskStatus,
    options: { readonly reason?: string | undefined } = {},
  ): Promise<IncidentTask> {
    authorize(principal, tenantId, 'incident:write');
    // Waiving is accepting that a step will not be done: an incident lead's call, in writing.
    const reason = status === 'waived' ? waiverReason(options.reason) : undefined;
    if (status === 'waived') authorize(principal, tenantId, 'incident:override_guard');
    else if (options.reason !== undefined)
      throw new CordonError('invalid_input', 'a reason is given only when waiving a task');
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      await this.#load(scope, incidentId);
      const task = await scope.tasks.get(taskId);
      if (!task || task.incidentId !== incidentId) throw notFound('task');
      const now = this.#clock.now();
      const actor = actorOf(principal);
      await scope.tasks.setStatus(taskId, status, now, actor, reason);
      await scope.journal.append({
        actor,
        kind: 'incident.task_status_changed',
        incidentId,
        payload: { taskId, from: task.status, to: status, ...(reason ? { reason } : {}) },
      });
      return {
        ...task,
        status,
        completedAt: status === 'open' ? null : now,
        completedBy: status === 'open' ? null : actor,
        waiverReason: reason ?? null,
      };
    });
  }

  async metrics(
    principal: Principal,
    tenantId: string,
    incidentId: string,
  ): Promise<ReturnType<typeof incidentMetrics>> {
    return incidentMetrics(await this.get(principal, tenantId, incidentId));
  }

  /** Metrics over the incidents created in [from, to). */
  async tenantMetrics(
    principal: Principal,
    tenantId: string,
    period: { from: number; to: number },
  ): Promise<TenantMetrics> {
    authorize(principal, tenantId, 'tenant:read');
    return this.#store.transaction(async (uow) => {
      const incidents: Incident[] = [];
      const scope = uow.forTenant(tenantId);
      for (let offset = 0; ; offset += 500) {
        const page = await scope.incidents.list(
          { createdFrom: period.from, createdTo: period.to },
          { limit: 500, offset },
        );
        incidents.push(...page.items);
        if (page.items.length < 500) break;
      }
      return tenantMetrics(incidents);
    });
  }

  async #scope(
    scope: TenantScope,
    uow: { tenants: { get(id: string): Promise<unknown> } },
  ): Promise<TenantScope> {
    if (!(await uow.tenants.get(scope.tenantId))) throw notFound('tenant');
    return scope;
  }

  async #load(scope: TenantScope, incidentId: string): Promise<Incident> {
    const incident = await scope.incidents.get(incidentId);
    if (!incident) throw notFound('incident');
    return incident;
  }
}
