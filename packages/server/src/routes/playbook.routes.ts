/**
 * Playbooks and their runs: `…/playbooks` (list, create; `validate` checks without storing),
 * `…/playbooks/:playbookId` (get, `?version=N`; put makes a new version), `…/versions`;
 * per incident `…/incidents/:incidentId/playbook-suggestions` and `…/playbook-runs` (start,
 * list); `…/playbook-runs/:runId` (get), `…/steps/complete` (a manual step done) and
 * `…/steps/decide` (an approval). Step ids go in bodies: inside a sub-playbook they hold a `/`.
 */
import type { PlaybookRun, PlaybookVersion } from '@cordon/core';
import {
  CompleteStepRequest,
  DecideStepRequest,
  IncidentPlaybookParams,
  PlaybookDocumentView,
  PlaybookInput,
  PlaybookParams,
  PlaybookRunView,
  PlaybookSuggestionView,
  PlaybookValidationView,
  PlaybookVersionQuery,
  PlaybookVersionView,
  PlaybookView,
  RunParams,
  StartRunRequest,
  TenantParams,
  closed,
} from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../http/authentication.ts';
import { iso, isoOrNull } from '../http/views.ts';
import type { PlaybookListing, PlaybookService } from '../playbooks/playbook.service.ts';
import type { App } from './route-context.ts';

const tags = ['playbooks'];

const playbookView = (p: PlaybookListing) => ({
  ...p,
  categories: [...p.categories],
  techniques: [...p.techniques],
  updatedAt: isoOrNull(p.updatedAt),
});

const versionView = (v: PlaybookVersion) => ({
  version: v.version,
  author: v.author,
  createdAt: iso(v.createdAt),
  modified: v.document.modified,
});

export const runView = (run: PlaybookRun) => ({
  id: run.id,
  incidentId: run.incidentId,
  playbookId: run.playbookId,
  playbookVersion: run.playbookVersion,
  playbookName: run.playbookName,
  status: run.status,
  startedBy: run.startedBy,
  startedAt: iso(run.startedAt),
  endedAt: isoOrNull(run.endedAt),
  failure: run.failure,
  variables: run.position.scopes['']?.variables ?? {},
  steps: Object.values(run.position.steps).map((s) => {
    const cursor = run.position.cursors.find((c) => c.scope + c.stepId === s.key);
    return {
      ...s,
      outputs: { ...s.outputs },
      startedAt: isoOrNull(s.startedAt),
      endedAt: isoOrNull(s.endedAt),
      ...(cursor?.waitingUntil === undefined ? {} : { waitingUntil: iso(cursor.waitingUntil) }),
      ...(cursor?.timesOutAt === undefined ? {} : { timesOutAt: iso(cursor.timesOutAt) }),
    };
  }),
});

export function playbookRoutes(app: App, playbooks: PlaybookService): void {
  const base = '/api/v1/tenants/:tenantId';

  app.get(
    `${base}/playbooks`,
    {
      schema: {
        tags,
        params: TenantParams,
        response: { 200: closed({ items: Type.Array(PlaybookView) }) },
      },
    },
    async (request) => ({
      items: (await playbooks.list(principalOf(request), request.params.tenantId)).map(
        playbookView,
      ),
    }),
  );

  app.post(
    `${base}/playbooks`,
    {
      schema: { tags, params: TenantParams, body: PlaybookInput, response: { 201: PlaybookView } },
    },
    async (request, reply) => {
      const created = await playbooks.create(
        principalOf(request),
        request.params.tenantId,
        request.body,
      );
      return reply.status(201).send(playbookView(created));
    },
  );

  app.post(
    `${base}/playbooks/validate`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: PlaybookInput,
        response: { 200: PlaybookValidationView },
      },
    },
    async (request) => {
      const checked = playbooks.validate(
        principalOf(request),
        request.params.tenantId,
        request.body,
      );
      return checked.ok
        ? { ok: true, problems: [] }
        : { ok: false, problems: [...checked.problems] };
    },
  );

  app.get(
    `${base}/playbooks/:playbookId`,
    {
      schema: {
        tags,
        params: PlaybookParams,
        querystring: PlaybookVersionQuery,
        response: { 200: PlaybookDocumentView },
      },
    },
    async (request) => {
      const { tenantId, playbookId } = request.params;
      const version =
        request.query.version === undefined ? undefined : Number(request.query.version);
      const found = await playbooks.get(principalOf(request), tenantId, playbookId, version);
      return { ...found, playbook: playbookView(found.playbook) };
    },
  );

  app.put(
    `${base}/playbooks/:playbookId`,
    {
      schema: {
        tags,
        params: PlaybookParams,
        body: PlaybookInput,
        response: { 200: PlaybookView },
      },
    },
    async (request) =>
      playbookView(
        await playbooks.update(
          principalOf(request),
          request.params.tenantId,
          request.params.playbookId,
          request.body,
        ),
      ),
  );

  app.get(
    `${base}/playbooks/:playbookId/versions`,
    {
      schema: {
        tags,
        params: PlaybookParams,
        response: { 200: closed({ items: Type.Array(PlaybookVersionView) }) },
      },
    },
    async (request) => ({
      items: (
        await playbooks.versions(
          principalOf(request),
          request.params.tenantId,
          request.params.playbookId,
        )
      ).map(versionView),
    }),
  );

  app.get(
    `${base}/incidents/:incidentId/playbook-suggestions`,
    {
      schema: {
        tags,
        params: IncidentPlaybookParams,
        response: { 200: closed({ items: Type.Array(PlaybookSuggestionView) }) },
      },
    },
    async (request) => ({
      items: (
        await playbooks.suggestions(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        )
      ).map((s) => ({ ...s, reasons: [...s.reasons] })),
    }),
  );

  app.post(
    `${base}/incidents/:incidentId/playbook-runs`,
    {
      schema: {
        tags,
        params: IncidentPlaybookParams,
        body: StartRunRequest,
        response: { 201: PlaybookRunView },
      },
    },
    async (request, reply) => {
      const run = await playbooks.startRun(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        request.body,
      );
      return reply.status(201).send(runView(run));
    },
  );

  app.get(
    `${base}/incidents/:incidentId/playbook-runs`,
    {
      schema: {
        tags,
        params: IncidentPlaybookParams,
        response: { 200: closed({ items: Type.Array(PlaybookRunView) }) },
      },
    },
    async (request) => ({
      items: (
        await playbooks.listRuns(
          principalOf(request),
          request.params.tenantId,
          request.params.incidentId,
        )
      ).map(runView),
    }),
  );

  app.get(
    `${base}/playbook-runs/:runId`,
    { schema: { tags, params: RunParams, response: { 200: PlaybookRunView } } },
    async (request) =>
      runView(
        await playbooks.getRun(principalOf(request), request.params.tenantId, request.params.runId),
      ),
  );

  app.post(
    `${base}/playbook-runs/:runId/steps/complete`,
    {
      schema: {
        tags,
        params: RunParams,
        body: CompleteStepRequest,
        response: { 200: PlaybookRunView },
      },
    },
    async (request) =>
      runView(
        await playbooks.completeStep(
          principalOf(request),
          request.params.tenantId,
          request.params.runId,
          request.body,
        ),
      ),
  );

  app.post(
    `${base}/playbook-runs/:runId/steps/decide`,
    {
      schema: {
        tags,
        params: RunParams,
        body: DecideStepRequest,
        response: { 200: PlaybookRunView },
      },
    },
    async (request) =>
      runView(
        await playbooks.decideStep(
          principalOf(request),
          request.params.tenantId,
          request.params.runId,
          request.body,
        ),
      ),
  );
}
