/** Incidents: create, read, update facts, phase transitions, and their notes, observables, alerts and tasks. */
import type { IncidentUpdate } from '@cordon/core';
import {
  CreateIncidentRequest,
  CreateNoteRequest,
  CreateObservableRequest,
  CreateTaskRequest,
  IncidentMetricsView,
  IncidentView,
  LinkAlertRequest,
  ListIncidentsQuery,
  MetricsQuery,
  NoteView,
  ObservableView,
  TaskView,
  TenantMetricsView,
  TenantParams,
  TransitionRequest,
  TransitionResponse,
  TransitionView,
  UpdateIncidentRequest,
  UpdateTaskRequest,
  Uuid,
  closed,
  keysetPageOf,
} from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../http/authentication.ts';
import { keysetPageParams, nextCursor } from '../http/page-cursor.ts';
import {
  incidentView,
  msOf,
  noteView,
  observableView,
  taskView,
  transitionView,
} from '../http/views.ts';
import type { App, Services } from './route-context.ts';

const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const tags = ['incidents'];

export function incidentRoutes(app: App, { incidents }: Services): void {
  const base = '/api/v1/tenants/:tenantId/incidents';

  app.get(
    base,
    {
      schema: {
        tags,
        params: TenantParams,
        querystring: ListIncidentsQuery,
        response: { 200: keysetPageOf(IncidentView) },
      },
    },
    async (request) => {
      const { phase, severity } = request.query;
      const params = keysetPageParams(request.query);
      const page = await incidents.list(
        principalOf(request),
        request.params.tenantId,
        { ...(phase ? { phase } : {}), ...(severity ? { severity } : {}) },
        params,
      );
      return {
        total: page.total,
        totalIsLowerBound: page.totalIsLowerBound,
        items: page.items.map(incidentView),
        nextCursor: nextCursor(page.items, params.limit, (i) => ({
          at: i.createdAt,
          tie: String(i.number),
        })),
      };
    },
  );

  app.post(
    base,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateIncidentRequest,
        response: { 201: IncidentView },
      },
    },
    async (request, reply) => {
      const { firstActivityAt, ...rest } = request.body;
      const incident = await incidents.create(principalOf(request), request.params.tenantId, {
        ...rest,
        severity: rest.severity,
        ...(firstActivityAt ? { firstActivityAt: msOf(firstActivityAt) } : {}),
      });
      return reply.status(201).send(incidentView(incident));
    },
  );

  app.get(
    `${base}/:incidentId`,
    { schema: { tags, params: IncidentParams, response: { 200: IncidentView } } },
    async (request) =>
      incidentView(
        await incidents.get(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        ),
      ),
  );

  app.patch(
    `${base}/:incidentId`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: UpdateIncidentRequest,
        response: { 200: IncidentView },
      },
    },
    async (request) => {
      const { firstActivityAt, ...rest } = request.body;
      const update = {
        ...rest,
        ...(firstActivityAt !== undefined
          ? { firstActivityAt: firstActivityAt === null ? null : msOf(firstActivityAt) }
          : {}),
      } as IncidentUpdate;
      return incidentView(
        await incidents.update(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
          update,
        ),
      );
    },
  );

  app.post(
    `${base}/:incidentId/acknowledge`,
    { schema: { tags, params: IncidentParams, response: { 200: IncidentView } } },
    async (request) =>
      incidentView(
        await incidents.acknowledge(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        ),
      ),
  );

  app.post(
    `${base}/:incidentId/transitions`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: TransitionRequest,
        response: { 200: TransitionResponse },
      },
    },
    async (request) => {
      const result = await incidents.transition(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        request.body,
      );
      return {
        incident: incidentView(result.incident),
        transition: transitionView(result.transition),
      };
    },
  );

  app.get(
    `${base}/:incidentId/transitions`,
    { schema: { tags, params: IncidentParams, response: { 200: Type.Array(TransitionView) } } },
    async (request) =>
      (
        await incidents.transitions(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        )
      ).map(transitionView),
  );

  app.get(
    `${base}/:incidentId/notes`,
    { schema: { tags, params: IncidentParams, response: { 200: Type.Array(NoteView) } } },
    async (request) =>
      (
        await incidents.notes(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        )
      ).map(noteView),
  );

  app.post(
    `${base}/:incidentId/notes`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: CreateNoteRequest,
        response: { 201: NoteView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          noteView(
            await incidents.addNote(
              principalOf(request),
              request.params.tenantId,
              request.params.incidentId,
              request.body.body,
            ),
          ),
        ),
  );

  app.get(
    `${base}/:incidentId/observables`,
    { schema: { tags, params: IncidentParams, response: { 200: Type.Array(ObservableView) } } },
    async (request) =>
      (
        await incidents.observables(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        )
      ).map(observableView),
  );

  app.post(
    `${base}/:incidentId/observables`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: CreateObservableRequest,
        response: { 201: ObservableView },
      },
    },
    async (request, reply) => {
      const { firstSeen, lastSeen, ...rest } = request.body;
      const observable = await incidents.addObservable(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        {
          ...(rest as { kind: 'ip'; value: string; note?: string }),
          ...(firstSeen ? { firstSeen: msOf(firstSeen) } : {}),
          ...(lastSeen ? { lastSeen: msOf(lastSeen) } : {}),
        },
      );
      return reply.status(201).send(observableView(observable));
    },
  );

  app.delete(
    `${base}/:incidentId/observables/:observableId`,
    { schema: { tags, params: closed({ tenantId: Uuid, incidentId: Uuid, observableId: Uuid }) } },
    async (request, reply) => {
      await incidents.removeObservable(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        request.params.observableId,
      );
      return reply.status(204).send();
    },
  );

  app.get(
    `${base}/:incidentId/alerts`,
    { schema: { tags, params: IncidentParams, response: { 200: Type.Array(Type.String()) } } },
    async (request) =>
      incidents.alertLinks(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
      ),
  );

  app.post(
    `${base}/:incidentId/alerts`,
    { schema: { tags, params: IncidentParams, body: LinkAlertRequest } },
    async (request, reply) => {
      const linked = await incidents.linkAlert(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        request.body.alertId,
      );
      return reply.status(linked ? 201 : 200).send({ alertId: request.body.alertId, linked });
    },
  );

  app.get(
    `${base}/:incidentId/tasks`,
    { schema: { tags, params: IncidentParams, response: { 200: Type.Array(TaskView) } } },
    async (request) =>
      (
        await incidents.tasks(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        )
      ).map(taskView),
  );

  app.post(
    `${base}/:incidentId/tasks`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: CreateTaskRequest,
        response: { 201: TaskView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          taskView(
            await incidents.addTask(
              principalOf(request),
              request.params.tenantId,
              request.params.incidentId,
              request.body as { phase: 'eradicated'; title: string },
            ),
          ),
        ),
  );

  app.patch(
    `${base}/:incidentId/tasks/:taskId`,
    {
      schema: {
        tags,
        params: closed({ tenantId: Uuid, incidentId: Uuid, taskId: Uuid }),
        body: UpdateTaskRequest,
        response: { 200: TaskView },
      },
    },
    async (request) =>
      taskView(
        await incidents.setTaskStatus(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
          request.params.taskId,
          request.body.status,
          { reason: request.body.reason },
        ),
      ),
  );

  app.get(
    `${base}/:incidentId/metrics`,
    { schema: { tags, params: IncidentParams, response: { 200: IncidentMetricsView } } },
    async (request) =>
      incidents.metrics(principalOf(request), request.params.tenantId, request.params.incidentId),
  );

  app.get(
    '/api/v1/tenants/:tenantId/metrics',
    {
      schema: {
        tags,
        params: TenantParams,
        querystring: MetricsQuery,
        response: { 200: TenantMetricsView },
      },
    },
    async (request) => {
      const to = request.query.to ? msOf(request.query.to) : Date.now() + 1;
      const from = request.query.from ? msOf(request.query.from) : to - 30 * 24 * 3600 * 1000;
      return incidents.tenantMetrics(principalOf(request), request.params.tenantId, { from, to });
    },
  );
}
