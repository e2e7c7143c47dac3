/**
 * The response plan and its people: versioned plan documents with approval and review dates,
 * the role assignments (primary, backup, escalation order), external contacts and exercises.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { PreparationRepositories } from '../ports/preparation-repositories.ts';
import type { Store } from '../ports/store.ts';
import type {
  Exercise,
  ExerciseKind,
  ExternalContact,
  Person,
  PlanDocument,
  PlanVersion,
  ResponseRole,
  RoleAssignment,
} from '../response-plan/response-plan.ts';
import { PREPARATION_READ, PREPARATION_WRITE } from './preparation-access.ts';

/** The default review cycle: a plan reviewed today is due again in a year. */
export const PLAN_REVIEW_INTERVAL_MS = 365 * 86_400_000;

export class ResponsePlanService {
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async createPlan(
    principal: Principal,
    tenantId: string,
    input: { title: string; owner: string; body: string },
  ): Promise<PlanDocument> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const scope = uow.forTenant(tenantId);
      const now = this.#clock.now();
      const document: PlanDocument = {
        id: newId(),
        tenantId,
        title: input.title,
        owner: input.owner,
        currentVersion: 1,
        approvedBy: null,
        approvedAt: null,
        lastReviewedAt: null,
        nextReviewAt: null,
        createdAt: now,
        updatedAt: now,
      };
      const actor = actorOf(principal);
      await scope.preparation.planDocuments.insert(document, {
        documentId: document.id,
        version: 1,
        body: input.body,
        author: actor,
        createdAt: now,
      });
      await scope.journal.append({
        actor,
        kind: 'plan.created',
        payload: { documentId: document.id, title: document.title, owner: document.owner },
      });
      return document;
    });
  }

  async plans(principal: Principal, tenantId: string): Promise<PlanDocument[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).preparation.planDocuments.list(),
    );
  }

  async versions(
    principal: Principal,
    tenantId: string,
    documentId: string,
  ): Promise<PlanVersion[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) => {
      const p = uow.forTenant(tenantId).preparation;
      if (!(await p.planDocuments.get(documentId))) throw notFound('plan document');
      return p.planDocuments.versions(documentId);
    });
  }

  /** A new version of the text; its approval is pending again. */
  async revisePlan(
    principal: Principal,
    tenantId: string,
    documentId: string,
    body: string,
  ): Promise<PlanDocument> {
    return this.#changePlan(
      principal,
      tenantId,
      documentId,
      'plan.revised',
      async (doc, p, now, actor) => {
        const version = doc.currentVersion + 1;
        await p.planDocuments.insertVersion({
          documentId,
          version,
          body,
          author: actor,
          createdAt: now,
        });
        return { currentVersion: version, approvedBy: null, approvedAt: null };
      },
    );
  }

  async approvePlan(
    principal: Principal,
    tenantId: string,
    documentId: string,
  ): Promise<PlanDocument> {
    return this.#changePlan(
      principal,
      tenantId,
      documentId,
      'plan.approved',
      async (_doc, _p, now, actor) => Promise.resolve({ approvedBy: actor, approvedAt: now }),
    );
  }

  /** Records a review today; the next one is due `nextReviewAt` or a year from now. */
  async reviewPlan(
    principal: Principal,
    tenantId: string,
    documentId: string,
    nextReviewAt?: number,
  ): Promise<PlanDocument> {
    const now = this.#clock.now();
    if (nextReviewAt !== undefined && nextReviewAt <= now)
      throw invalidInput('the next review must be in the future');
    return this.#changePlan(principal, tenantId, documentId, 'plan.reviewed', async (_d, _p, at) =>
      Promise.resolve({
        lastReviewedAt: at,
        nextReviewAt: nextReviewAt ?? at + PLAN_REVIEW_INTERVAL_MS,
      }),
    );
  }

  async assignRole(
    principal: Principal,
    tenantId: string,
    input: {
      role: ResponseRole;
      primary: Person;
      backup: Person | null;
      escalationRank?: number | null;
    },
  ): Promise<RoleAssignment> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    for (const person of [input.primary, input.backup]) {
      if (person && !person.phone && !person.email && !person.chat)
        throw invalidInput(`${person.name} needs a way to be reached (phone, email or chat)`);
    }
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const scope = uow.forTenant(tenantId);
      const assignment: RoleAssignment = {
        tenantId,
        role: input.role,
        primary: input.primary,
        backup: input.backup,
        escalationRank: input.escalationRank ?? null,
        updatedAt: this.#clock.now(),
      };
      await scope.preparation.roles.upsert(assignment);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'role.assigned',
        payload: {
          role: input.role,
          primary: input.primary.name,
          backup: input.backup?.name ?? null,
          escalationRank: assignment.escalationRank,
        },
      });
      return assignment;
    });
  }

  /** The assignments in escalation order (ranked first, then by role). */
  async roles(principal: Principal, tenantId: string): Promise<RoleAssignment[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    const roles = await this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).preparation.roles.list(),
    );
    return roles.sort(
      (a, b) =>
        (a.escalationRank ?? Infinity) - (b.escalationRank ?? Infinity) ||
        a.role.localeCompare(b.role),
    );
  }

  async addContact(
    principal: Principal,
    tenantId: string,
    input: Omit<ExternalContact, 'id' | 'tenantId' | 'createdAt'>,
  ): Promise<ExternalContact> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const scope = uow.forTenant(tenantId);
      const contact: ExternalContact = {
        id: newId(),
        tenantId,
        ...input,
        createdAt: this.#clock.now(),
      };
      await scope.preparation.contacts.insert(contact);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'contact.added',
        payload: { contactId: contact.id, kind: contact.kind, name: contact.name },
      });
      return contact;
    });
  }

  async contacts(principal: Principal, tenantId: string): Promise<ExternalContact[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).preparation.contacts.list(),
    );
  }

  async recordExercise(
    principal: Principal,
    tenantId: string,
    input: { kind: ExerciseKind; heldAt: number; notes?: string },
  ): Promise<Exercise> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    if (input.heldAt > this.#clock.now()) throw invalidInput('an exercise is recorded once held');
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const scope = uow.forTenant(tenantId);
      const exercise: Exercise = {
        id: newId(),
        tenantId,
        kind: input.kind,
        heldAt: input.heldAt,
        notes: input.notes ?? '',
        createdAt: this.#clock.now(),
      };
      await scope.preparation.exercises.insert(exercise);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'exercise.recorded',
        payload: { exerciseId: exercise.id, kind: exercise.kind, heldAt: exercise.heldAt },
      });
      return exercise;
    });
  }

  async exercises(principal: Principal, tenantId: string): Promise<Exercise[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).preparation.exercises.list(),
    );
  }

  async #changePlan(
    principal: Principal,
    tenantId: string,
    documentId: string,
    kind: string,
    change: (
      doc: PlanDocument,
      p: PreparationRepositories,
      now: number,
      actor: string,
    ) => Promise<Partial<PlanDocument>>,
  ): Promise<PlanDocument> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    return this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const doc = await scope.preparation.planDocuments.get(documentId);
      if (!doc) throw notFound('plan document');
      const now = this.#clock.now();
      const actor = actorOf(principal);
      const changes = { ...(await change(doc, scope.preparation, now, actor)), updatedAt: now };
      await scope.preparation.planDocuments.update(documentId, changes);
      await scope.journal.append({ actor, kind, payload: { documentId, ...changes } });
      return { ...doc, ...changes };
    });
  }
}
