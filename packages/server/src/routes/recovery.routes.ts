/**
 * Recovery of an incident: change records (with the ATT&CK mitigation suggestions), restores
 * linked to backup jobs, and the release of its containment under the return-to-service
 * checklist. Writes need `incident:write` (a release also `containment:run`).
 */
import {
  ChangeRecordList,
  ChangeRecordView,
  CompleteRestoreRequest,
  CreateChangeRecordRequest,
  CreateRestoreRequest,
  ReleasePlanQuery,
  ReleasePlanView,
  ReleaseRequest,
  ReleaseView,
  RestoreView,
  Uuid,
  closed,
} from '@cordon/protocol';
import type { ChangeFinding } from '@cordon/core';
import { invalidInput } from '@cordon/core';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../http/authentication.ts';
import { changeRecordView, releaseView, restoreView } from '../http/recovery-views.ts';
import { msOf } from '../http/views.ts';
import type { Recovery } from '../recovery/recovery-wiring.ts';
import type { App } from './route-context.ts';

const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const tags = ['recovery'];
const base = '/api/v1/tenants/:tenantId/incidents/:incidentId';

function changeFinding(
  kind: 'root_cause' | 'technique' | 'observable',
  technique: string | undefined,
  observableId: string | undefined,
): ChangeFinding {
  switch (kind) {
    case 'root_cause':
      return { kind };
    case 'technique':
      if (!technique) throw invalidInput('a technique finding names the technique');
      return { kind, techniqueId: technique };
    case 'observable':
      if (!observableId) throw invalidInput('an observable finding names the observableId');
      return { kind, observableId };
  }
}

export function recoveryRoutes(app: App, { recovery }: Pick<Recovery, 'recovery'>): void {
  app.get(
    `${base}/changes`,
    { schema: { tags, params: IncidentParams, response: { 200: ChangeRecordList } } },
    async (request) => {
      const { tenantId, incidentId } = request.params;
      const { items, suggestions } = await recovery.changes(
        principalOf(request),
        tenantId,
        incidentId,
      );
      return {
        items: items.map(changeRecordView),
        suggestions: suggestions.map((s) => ({ ...s, techniqueIds: [...s.techniqueIds] })),
      };
    },
  );

  app.post(
    `${base}/changes`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: CreateChangeRecordRequest,
        response: { 201: ChangeRecordView },
      },
    },
    async (request, reply) => {
      const { tenantId, incidentId } = request.params;
      const { changedAt, finding, technique, observableId, mitigation, ...rest } = request.body;
      const record = await recovery.addChange(principalOf(request), tenantId, incidentId, {
        ...rest,
        finding: changeFinding(finding, technique, observableId),
        ...(mitigation ? { mitigationId: mitigation } : {}),
        ...(changedAt ? { changedAt: msOf(changedAt) } : {}),
      });
      return reply.status(201).send(changeRecordView(record));
    },
  );

  app.get(
    `${base}/restores`,
    { schema: { tags, params: IncidentParams, response: { 200: Type.Array(RestoreView) } } },
    async (request) =>
      (
        await recovery.restores(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        )
      ).map(restoreView),
  );

  app.post(
    `${base}/restores`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: CreateRestoreRequest,
        response: { 201: RestoreView },
      },
    },
    async (request, reply) => {
      const { tenantId, incidentId } = request.params;
      const { restorePointAt, ...rest } = request.body;
      const restore = await recovery.addRestore(principalOf(request), tenantId, incidentId, {
        ...rest,
        ...(restorePointAt ? { restorePointAt: msOf(restorePointAt) } : {}),
      });
      return reply.status(201).send(restoreView(restore));
    },
  );

  app.post(
    `${base}/restores/:restoreId/result`,
    {
      schema: {
        tags,
        params: closed({ tenantId: Uuid, incidentId: Uuid, restoreId: Uuid }),
        body: CompleteRestoreRequest,
        response: { 200: RestoreView },
      },
    },
    async (request) => {
      const { tenantId, incidentId, restoreId } = request.params;
      const { restorePointAt, ...rest } = request.body;
      return restoreView(
        await recovery.completeRestore(principalOf(request), tenantId, incidentId, restoreId, {
          ...rest,
          ...(restorePointAt ? { restorePointAt: msOf(restorePointAt) } : {}),
        }),
      );
    },
  );

  app.get(
    `${base}/release`,
    {
      schema: {
        tags,
        params: IncidentParams,
        querystring: ReleasePlanQuery,
        response: { 200: ReleasePlanView },
      },
    },
    async (request) => {
      const plan = await recovery.releasePlan(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        request.query.noRestoreReason ? { noRestoreReason: request.query.noRestoreReason } : {},
      );
      return {
        checklist: plan.checklist.map((e) => ({ ...e })),
        ready: plan.ready,
        isolations: plan.isolations.map((i) => ({ ...i })),
      };
    },
  );

  app.post(
    `${base}/release`,
    {
      schema: {
        tags,
        params: IncidentParams,
        body: ReleaseRequest,
        response: { 201: ReleaseView },
      },
    },
    async (request, reply) =>
      reply
        .status(201)
        .send(
          releaseView(
            await recovery.release(
              principalOf(request),
              request.params.tenantId,
              request.params.incidentId,
              request.body,
            ),
          ),
        ),
  );

  app.get(
    `${base}/releases`,
    { schema: { tags, params: IncidentParams, response: { 200: Type.Array(ReleaseView) } } },
    async (request) =>
      (
        await recovery.releases(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        )
      ).map(releaseView),
  );
}
