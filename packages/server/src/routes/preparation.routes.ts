/**
 * Continuity, the response plan and readiness: business functions, backup jobs, plan
 * documents and their versions, role assignments, external contacts, exercises, and the
 * readiness score with its history.
 */
import {
  AssignRoleRequest,
  BackupJobView,
  BusinessFunctionView,
  ContactView,
  CreateBackupJobRequest,
  CreateBusinessFunctionRequest,
  CreateContactRequest,
  CreateExerciseRequest,
  CreatePlanRequest,
  CreateOnCallShiftRequest,
  ExerciseView,
  OnCallNowQuery,
  OnCallNowView,
  OnCallRotaQuery,
  OnCallShiftView,
  PlanVersionView,
  PlanView,
  ReadinessSnapshotView,
  ReadinessView,
  ReviewPlanRequest,
  RevisePlanRequest,
  RoleAssignmentView,
  TenantParams,
  UpdateBackupJobRequest,
  Uuid,
  closed,
} from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../http/authentication.ts';
import {
  backupJobView,
  contactView,
  exerciseView,
  functionView,
  onCallNowView,
  planVersionView,
  planView,
  readinessView,
  roleView,
  shiftView,
  snapshotView,
} from '../http/preparation-views.ts';
import { msOf } from '../http/views.ts';
import type { App, Services } from './route-context.ts';

const BackupParams = closed({ tenantId: Uuid, backupJobId: Uuid });
const PlanParams = closed({ tenantId: Uuid, planId: Uuid });
const ShiftParams = closed({ tenantId: Uuid, shiftId: Uuid });
const tags = ['preparation'];
const msOrNull = (v: string | null | undefined) =>
  v === undefined ? undefined : v === null ? null : msOf(v);
const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export function preparationRoutes(app: App, { preparation }: Services): void {
  const { continuity, responsePlan, readiness } = preparation;
  const base = '/api/v1/tenants/:tenantId';

  app.get(
    `${base}/functions`,
    { schema: { tags, params: TenantParams, response: { 200: Type.Array(BusinessFunctionView) } } },
    async (request) =>
      (await continuity.functions(principalOf(request), request.params.tenantId)).map(functionView),
  );
  app.post(
    `${base}/functions`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateBusinessFunctionRequest,
        response: { 201: BusinessFunctionView },
      },
    },
    async (request, reply) => {
      const fn = await continuity.createFunction(
        principalOf(request),
        request.params.tenantId,
        request.body,
      );
      return reply
        .status(201)
        .send(functionView({ function: fn, assetIds: [...new Set(request.body.assetIds ?? [])] }));
    },
  );

  app.get(
    `${base}/backups`,
    { schema: { tags, params: TenantParams, response: { 200: Type.Array(BackupJobView) } } },
    async (request) =>
      (await continuity.backupJobs(principalOf(request), request.params.tenantId)).map(
        backupJobView,
      ),
  );
  app.post(
    `${base}/backups`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateBackupJobRequest,
        response: { 201: BackupJobView },
      },
    },
    async (request, reply) => {
      const { lastSuccessAt, lastRestoreTestAt, ...rest } = request.body;
      const job = await continuity.createBackupJob(
        principalOf(request),
        request.params.tenantId,
        defined({
          ...rest,
          lastSuccessAt: msOrNull(lastSuccessAt),
          lastRestoreTestAt: msOrNull(lastRestoreTestAt),
        }),
      );
      return reply.status(201).send(backupJobView(job));
    },
  );
  app.patch(
    `${base}/backups/:backupJobId`,
    {
      schema: {
        tags,
        params: BackupParams,
        body: UpdateBackupJobRequest,
        response: { 200: BackupJobView },
      },
    },
    async (request) => {
      const { lastSuccessAt, lastRestoreTestAt, ...rest } = request.body;
      return backupJobView(
        await continuity.updateBackupJob(
          principalOf(request),
          request.params.tenantId,
          request.params.backupJobId,
          defined({
            ...rest,
            lastSuccessAt: msOrNull(lastSuccessAt),
            lastRestoreTestAt: msOrNull(lastRestoreTestAt),
          }),
        ),
      );
    },
  );

  app.get(
    `${base}/plans`,
    { schema: { tags, params: TenantParams, response: { 200: Type.Array(PlanView) } } },
    async (request) =>
      (await responsePlan.plans(principalOf(request), request.params.tenantId)).map(planView),
  );
  app.post(
    `${base}/plans`,
    {
      schema: { tags, params: TenantParams, body: CreatePlanRequest, response: { 201: PlanView } },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          planView(
            await responsePlan.createPlan(
              principalOf(request),
              request.params.tenantId,
              request.body,
            ),
          ),
        ),
  );
  app.get(
    `${base}/plans/:planId/versions`,
    { schema: { tags, params: PlanParams, response: { 200: Type.Array(PlanVersionView) } } },
    async (request) =>
      (
        await responsePlan.versions(
          principalOf(request),
          request.params.tenantId,
          request.params.planId,
        )
      ).map(planVersionView),
  );
  app.post(
    `${base}/plans/:planId/versions`,
    { schema: { tags, params: PlanParams, body: RevisePlanRequest, response: { 200: PlanView } } },
    async (request) =>
      planView(
        await responsePlan.revisePlan(
          principalOf(request),
          request.params.tenantId,
          request.params.planId,
          request.body.body,
        ),
      ),
  );
  app.post(
    `${base}/plans/:planId/approve`,
    { schema: { tags, params: PlanParams, response: { 200: PlanView } } },
    async (request) =>
      planView(
        await responsePlan.approvePlan(
          principalOf(request),
          request.params.tenantId,
          request.params.planId,
        ),
      ),
  );
  app.post(
    `${base}/plans/:planId/review`,
    { schema: { tags, params: PlanParams, body: ReviewPlanRequest, response: { 200: PlanView } } },
    async (request) =>
      planView(
        await responsePlan.reviewPlan(
          principalOf(request),
          request.params.tenantId,
          request.params.planId,
          request.body.nextReviewAt ? msOf(request.body.nextReviewAt) : undefined,
        ),
      ),
  );

  app.get(
    `${base}/roles`,
    { schema: { tags, params: TenantParams, response: { 200: Type.Array(RoleAssignmentView) } } },
    async (request) =>
      (await responsePlan.roles(principalOf(request), request.params.tenantId)).map(roleView),
  );
  app.post(
    `${base}/roles`,
    {
      schema: {
        tags,
        summary: 'Assign a response role (replaces the current assignment)',
        params: TenantParams,
        body: AssignRoleRequest,
        response: { 200: RoleAssignmentView },
      },
    },
    async (request) =>
      roleView(
        await responsePlan.assignRole(principalOf(request), request.params.tenantId, request.body),
      ),
  );

  app.get(
    `${base}/oncall`,
    {
      schema: {
        tags,
        summary: 'The on-call rota: shifts overlapping [from, to) (default: the next seven days)',
        params: TenantParams,
        querystring: OnCallRotaQuery,
        response: { 200: Type.Array(OnCallShiftView) },
      },
    },
    async (request) =>
      (
        await responsePlan.rota(
          principalOf(request),
          request.params.tenantId,
          request.query.from === undefined ? undefined : msOf(request.query.from),
          request.query.to === undefined ? undefined : msOf(request.query.to),
        )
      ).map(shiftView),
  );
  app.get(
    `${base}/oncall/now`,
    {
      schema: {
        tags,
        summary:
          'Who to call now (or at `at`): on-call primary and secondary, then the escalation order',
        params: TenantParams,
        querystring: OnCallNowQuery,
        response: { 200: OnCallNowView },
      },
    },
    async (request) =>
      onCallNowView(
        await responsePlan.onCallNow(
          principalOf(request),
          request.params.tenantId,
          request.query.at === undefined ? undefined : msOf(request.query.at),
        ),
      ),
  );
  app.post(
    `${base}/oncall`,
    {
      schema: {
        tags,
        summary: 'Add a shift to the on-call rota (shifts of one level may not overlap)',
        params: TenantParams,
        body: CreateOnCallShiftRequest,
        response: { 201: OnCallShiftView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        shiftView(
          await responsePlan.addShift(principalOf(request), request.params.tenantId, {
            ...request.body,
            startsAt: msOf(request.body.startsAt),
            endsAt: msOf(request.body.endsAt),
          }),
        ),
      ),
  );
  app.delete(
    `${base}/oncall/:shiftId`,
    { schema: { tags, params: ShiftParams } },
    async (request, reply) => {
      await responsePlan.removeShift(
        principalOf(request),
        request.params.tenantId,
        request.params.shiftId,
      );
      return reply.status(204).send();
    },
  );

  app.get(
    `${base}/contacts`,
    { schema: { tags, params: TenantParams, response: { 200: Type.Array(ContactView) } } },
    async (request) =>
      (await responsePlan.contacts(principalOf(request), request.params.tenantId)).map(contactView),
  );
  app.post(
    `${base}/contacts`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateContactRequest,
        response: { 201: ContactView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          contactView(
            await responsePlan.addContact(
              principalOf(request),
              request.params.tenantId,
              request.body,
            ),
          ),
        ),
  );

  app.get(
    `${base}/exercises`,
    { schema: { tags, params: TenantParams, response: { 200: Type.Array(ExerciseView) } } },
    async (request) =>
      (await responsePlan.exercises(principalOf(request), request.params.tenantId)).map(
        exerciseView,
      ),
  );
  app.post(
    `${base}/exercises`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateExerciseRequest,
        response: { 201: ExerciseView },
      },
    },
    async (request, reply) =>
      reply.status(201).send(
        exerciseView(
          await responsePlan.recordExercise(principalOf(request), request.params.tenantId, {
            ...request.body,
            heldAt: msOf(request.body.heldAt),
          }),
        ),
      ),
  );

  app.get(
    `${base}/readiness`,
    {
      schema: {
        tags,
        summary: 'The readiness score, every check, and the gaps heaviest first',
        params: TenantParams,
        response: { 200: ReadinessView },
      },
    },
    async (request) =>
      readinessView(await readiness.report(principalOf(request), request.params.tenantId)),
  );
  app.post(
    `${base}/readiness/snapshots`,
    {
      schema: {
        tags,
        summary: 'Compute the score now and keep it in the history',
        params: TenantParams,
        response: { 201: ReadinessSnapshotView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          snapshotView(
            (await readiness.record(principalOf(request), request.params.tenantId)).snapshot,
          ),
        ),
  );
  app.get(
    `${base}/readiness/history`,
    {
      schema: { tags, params: TenantParams, response: { 200: Type.Array(ReadinessSnapshotView) } },
    },
    async (request) =>
      (await readiness.history(principalOf(request), request.params.tenantId)).map(snapshotView),
  );
}
