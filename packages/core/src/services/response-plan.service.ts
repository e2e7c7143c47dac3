/**
 * The response plan and its people: versioned plan documents with approval and review dates,
 * the role assignments (primary, backup, escalation order), external contacts and exercises.
 */
import type { Principal } from '../access/principal.ts';
import { actorOf, authorize } from '../access/principal.ts';
import { CordonError, invalidInput, notFound } from '../errors/cordon-error.ts';
import type { Clock } from '../ports/clock.ts';
import { newId } from '../ports/id-generator.ts';
import type { PreparationRepositories } from '../ports/preparation-repositories.ts';
import type { Store } from '../ports/store.ts';
import type {
  Exercise,
  ExerciseKind,
  ExternalContact,
  OnCallLevel,
  OnCallShift,
  Person,
  PlanDocument,
  PlanVersion,
  ResponseRole,
  RoleAssignment,
} from '../response-plan/response-plan.ts';
import { PREPARATION_READ, PREPARATION_WRITE } from './preparation-access.ts';

/** The longest shift the rota accepts; longer ones are almost always a typo in a date. */
export const MAX_SHIFT_MS = 31 * 86_400_000;

/** Who answers now at one level, and where that answer comes from. */
export interface OnCallAnswer {
  readonly person: Person;
  /** `rota`: a shift covers this moment; `role`: no shift does, the assigned role stands in. */
  readonly source: 'rota' | 'role';
  readonly shiftId: string | null;
  /** When the shift ends (null for a role assignment). */
  readonly until: number | null;
}

export interface OnCallNow {
  readonly at: number;
  readonly primary: OnCallAnswer | null;
  readonly secondary: OnCallAnswer | null;
  /** The escalation order after the on-call people: ranked role assignments. */
  readonly escalation: readonly RoleAssignment[];
}

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
    for (const person of [input.primary, input.backup]) if (person) reachable(person);
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

  /** Adds a shift to the on-call rota; shifts of one level may not overlap. */
  async addShift(
    principal: Principal,
    tenantId: string,
    input: {
      level: OnCallLevel;
      person: Person;
      startsAt: number;
      endsAt: number;
      note?: string;
    },
  ): Promise<OnCallShift> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    if (!(input.endsAt > input.startsAt)) throw invalidInput('a shift must end after it starts');
    if (input.endsAt - input.startsAt > MAX_SHIFT_MS)
      throw invalidInput('a shift may last at most 31 days');
    reachable(input.person);
    return this.#store.transaction(async (uow) => {
      if (!(await uow.tenants.get(tenantId))) throw notFound('tenant');
      const scope = uow.forTenant(tenantId);
      const clash = await scope.preparation.onCall.overlapping(
        input.startsAt,
        input.endsAt,
        input.level,
      );
      if (clash[0]) {
        throw new CordonError(
          'conflict',
          `the ${input.level} shift of ${clash[0].person.name} (${new Date(clash[0].startsAt).toISOString()} to ${new Date(clash[0].endsAt).toISOString()}) overlaps this one`,
          { details: { shiftId: clash[0].id } },
        );
      }
      const shift: OnCallShift = {
        id: newId(),
        tenantId,
        level: input.level,
        person: input.person,
        startsAt: input.startsAt,
        endsAt: input.endsAt,
        note: input.note ?? '',
        createdAt: this.#clock.now(),
      };
      await scope.preparation.onCall.insert(shift);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'oncall.shift_added',
        payload: {
          shiftId: shift.id,
          level: shift.level,
          person: shift.person.name,
          startsAt: shift.startsAt,
          endsAt: shift.endsAt,
        },
      });
      return shift;
    });
  }

  async removeShift(principal: Principal, tenantId: string, shiftId: string): Promise<void> {
    authorize(principal, tenantId, PREPARATION_WRITE);
    await this.#store.transaction(async (uow) => {
      const scope = uow.forTenant(tenantId);
      const shift = await scope.preparation.onCall.get(shiftId);
      if (!shift) throw notFound('on-call shift');
      await scope.preparation.onCall.delete(shiftId);
      await scope.journal.append({
        actor: actorOf(principal),
        kind: 'oncall.shift_removed',
        payload: { shiftId, level: shift.level, person: shift.person.name },
      });
    });
  }

  /** The rota between two moments (shifts overlapping [from, to)), by start; default: a week from now. */
  async rota(
    principal: Principal,
    tenantId: string,
    from: number = this.#clock.now(),
    to: number = from + 7 * 86_400_000,
  ): Promise<OnCallShift[]> {
    authorize(principal, tenantId, PREPARATION_READ);
    if (!(to > from)) throw invalidInput('the end of the period must be after its start');
    return this.#store.transaction(async (uow) =>
      uow.forTenant(tenantId).preparation.onCall.overlapping(from, to),
    );
  }

  /**
   * Who to call at `at` (default now): the primary and secondary of the shift covering that
   * moment, or, where no shift does, the primary and backup assigned to the MSSP on-call role;
   * then the escalation order.
   */
  async onCallNow(principal: Principal, tenantId: string, at?: number): Promise<OnCallNow> {
    authorize(principal, tenantId, PREPARATION_READ);
    const moment = at ?? this.#clock.now();
    const { shifts, roles } = await this.#store.transaction(async (uow) => {
      const p = uow.forTenant(tenantId).preparation;
      return {
        shifts: await p.onCall.overlapping(moment, moment + 1),
        roles: await p.roles.list(),
      };
    });
    const fromShift = (level: OnCallLevel): OnCallAnswer | null => {
      const shift = shifts.find((s) => s.level === level);
      return shift
        ? { person: shift.person, source: 'rota', shiftId: shift.id, until: shift.endsAt }
        : null;
    };
    const role = roles.find((r) => r.role === 'mssp_on_call');
    const fromRole = (person: Person | null | undefined): OnCallAnswer | null =>
      person ? { person, source: 'role', shiftId: null, until: null } : null;
    return {
      at: moment,
      primary: fromShift('primary') ?? fromRole(role?.primary),
      secondary: fromShift('secondary') ?? fromRole(role?.backup),
      escalation: roles
        .filter((r) => r.escalationRank !== null)
        .sort((a, b) => (a.escalationRank ?? 0) - (b.escalationRank ?? 0)),
    };
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

function reachable(person: Person): void {
  if (!person.phone && !person.email && !person.chat)
    throw invalidInput(`${person.name} needs a way to be reached (phone, email or chat)`);
}
