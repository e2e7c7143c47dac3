/**
 * Containment over HTTP: enrolment tokens and enrolment, the agent registry and agents'
 * reported identity changes (an incident lead decides), actions (request, approve, deny, list,
 * show with transitions), offline release codes and the auto-containment policy. Authorisation is the service's; this file maps HTTP to it and back.
 */
import type {
  AgentIdentity,
  AgentIdentityChange,
  AgentRecord,
  ActionTransitionRecord,
  ContainmentPolicy,
} from '@cordon/core';
import { CordonError, identityOf, sameIdentity } from '@cordon/core';
import {
  ActionList,
  ActionParams,
  ActionView,
  AgentList,
  ListAgentsQuery,
  AgentParams,
  AgentView,
  ContainmentPolicyBody,
  ContainmentPolicyView,
  CreateEnrolmentTokenBody,
  DecideIdentityChangeBody,
  DenyActionBody,
  EnrolBody,
  EnrolView,
  EnrolmentTokenView,
  IdentityChangeList,
  IdentityChangeParams,
  IdentityChangeView,
  IssueReleaseCodeBody,
  ListActionsQuery,
  ListIdentityChangesQuery,
  ReleaseCodeView,
  RequestActionBody,
  TenantParams,
  WireFormatError,
  closed,
  parseHostFacts,
} from '@cordon/protocol';
import type { HostFacts } from '@cordon/protocol';
import type { AgentAction } from '../agents/agent-action.ts';
import type { Containment } from '../agents/containment-wiring.ts';
import { hostFactsProblem } from '../agents/agent-message-limits.ts';
import { namePageParams, nextNameCursor } from '../http/page-cursor.ts';
import { principalOf } from '../http/authentication.ts';
import { iso, isoOrNull } from '../http/views.ts';
import type { App } from './route-context.ts';

const identityView = (i: AgentIdentity) => ({
  hostname: i.hostname,
  addresses: { v4: [...i.addresses.v4], v6: [...i.addresses.v6] },
});

const agentView = (a: AgentRecord) => ({
  agentId: a.agentId,
  ...identityView(a.identity),
  os: { platform: a.facts.os.platform, release: a.facts.os.release },
  ...(sameIdentity(a.identity, identityOf(a.facts))
    ? {}
    : { reported: identityView(identityOf(a.facts)) }),
  agentVersion: a.facts.agentVersion,
  online: a.online,
  isolated: a.facts.isolated,
  enrolledAt: iso(a.enrolledAt),
  lastSeenAt: iso(a.lastSeenAt),
});

const transitionView = (t: ActionTransitionRecord) => ({
  from: t.from,
  to: t.to,
  actor: t.actor,
  at: iso(t.at),
  detail: t.detail,
});

export const actionView = (a: AgentAction, transitions?: readonly ActionTransitionRecord[]) => ({
  id: a.id,
  agentId: a.agentId,
  incidentId: a.incidentId,
  action: { ...a.action },
  state: a.state,
  requestedBy: a.requestedBy,
  approvedBy: a.approvedBy,
  requiredApprovals: a.requiredApprovals,
  approvals: a.approvals.map((x) => ({ by: x.by, at: iso(x.at) })),
  commandNonce: a.commandNonce,
  createdAt: iso(a.createdAt),
  updatedAt: iso(a.updatedAt),
  detail: a.detail,
  result: a.result,
  ...(transitions === undefined ? {} : { transitions: transitions.map(transitionView) }),
});

const identityChangeView = (c: AgentIdentityChange) => ({
  id: c.id,
  agentId: c.agentId,
  from: identityView(c.from),
  to: identityView(c.to),
  state: c.state,
  reportedAt: iso(c.reportedAt),
  decidedBy: c.decidedBy,
  decidedAt: isoOrNull(c.decidedAt),
  reason: c.reason,
});

const policyView = (p: ContainmentPolicy) => ({
  rules: p.rules.map((r) => ({ ...r })),
  autoIsolationLimit: { ...p.autoIsolationLimit },
  optionRules: p.optionRules.map(({ keepOpen, ...r }) => ({
    ...r,
    ...(keepOpen === undefined
      ? {}
      : { keepOpen: keepOpen.map((k) => ({ segment: k.segment, ports: [...k.ports] })) }),
  })),
  optionDurations: { ...p.optionDurations },
  isDefault: p.updatedAt === null,
  updatedAt: isoOrNull(p.updatedAt),
  updatedBy: p.updatedBy,
});

export function agentRoutes(app: App, containment: Containment): void {
  const { service } = containment;
  const tenantBase = '/api/v1/tenants/:tenantId';
  const tags = ['containment'];

  app.post(
    `${tenantBase}/agents/enrolment-tokens`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: CreateEnrolmentTokenBody,
        response: { 201: EnrolmentTokenView },
      },
    },
    async (request, reply) => {
      const issued = await service.createEnrolmentToken(
        principalOf(request),
        request.params.tenantId,
        request.body.ttlMinutes,
      );
      return reply.status(201).send({ ...issued, expiresAt: iso(issued.expiresAt) });
    },
  );

  app.post(
    '/api/v1/agents/enrol',
    {
      config: { public: true },
      schema: { tags, body: EnrolBody, response: { 201: EnrolView } },
    },
    async (request, reply) => {
      let facts: HostFacts;
      try {
        facts = parseHostFacts(request.body.facts);
      } catch (error) {
        if (error instanceof WireFormatError)
          throw new CordonError('invalid_input', `facts: ${error.message}`);
        throw error;
      }
      const problem = hostFactsProblem(facts);
      if (problem !== undefined) throw new CordonError('invalid_input', `facts: ${problem}`);
      const enrolled = await containment.gateway.enrol({
        token: request.body.token,
        publicKey: request.body.publicKey,
        facts,
      });
      if (enrolled === undefined)
        throw new CordonError('unauthenticated', 'enrolment token unknown, used or expired');
      return reply.status(201).send(enrolled);
    },
  );

  app.get(
    `${tenantBase}/agents`,
    {
      schema: {
        tags,
        params: TenantParams,
        querystring: ListAgentsQuery,
        response: { 200: AgentList },
      },
    },
    async (request) => {
      const params = namePageParams(request.query);
      const page = await service.pageAgents(principalOf(request), request.params.tenantId, params);
      return {
        total: page.total,
        totalIsLowerBound: page.totalIsLowerBound,
        online: page.online,
        items: page.items.map(agentView),
        nextCursor: nextNameCursor(page.items, params.limit, (a) => ({
          name: a.identity.hostname,
          id: a.agentId,
        })),
      };
    },
  );

  app.get(
    `${tenantBase}/agents/:agentId`,
    { schema: { tags, params: AgentParams, response: { 200: AgentView } } },
    async (request) =>
      agentView(
        await service.getAgent(
          principalOf(request),
          request.params.tenantId,
          request.params.agentId,
        ),
      ),
  );

  app.get(
    `${tenantBase}/agent-identity-changes`,
    {
      schema: {
        tags,
        params: TenantParams,
        querystring: ListIdentityChangesQuery,
        response: { 200: IdentityChangeList },
      },
    },
    async (request) => {
      const { agentId, state } = request.query;
      const changes = await service.listIdentityChanges(
        principalOf(request),
        request.params.tenantId,
        {
          ...(agentId === undefined ? {} : { agentId }),
          ...(state === undefined ? {} : { state }),
        },
      );
      return { items: changes.map(identityChangeView) };
    },
  );

  app.post(
    `${tenantBase}/agent-identity-changes/:changeId/decision`,
    {
      schema: {
        tags,
        params: IdentityChangeParams,
        body: DecideIdentityChangeBody,
        response: { 200: IdentityChangeView },
      },
    },
    async (request) =>
      identityChangeView(
        await service.decideIdentityChange(
          principalOf(request),
          request.params.tenantId,
          request.params.changeId,
          request.body,
        ),
      ),
  );

  app.post(
    `${tenantBase}/agents/:agentId/release-codes`,
    {
      schema: {
        tags,
        params: AgentParams,
        body: IssueReleaseCodeBody,
        response: { 201: ReleaseCodeView },
      },
    },
    async (request, reply) => {
      const issued = await service.issueReleaseCode(
        principalOf(request),
        request.params.tenantId,
        request.params.agentId,
        request.body,
      );
      return reply.status(201).send({ ...issued, expiresAt: iso(issued.expiresAt) });
    },
  );

  app.post(
    `${tenantBase}/actions`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: RequestActionBody,
        response: { 201: ActionView },
      },
    },
    async (request, reply) => {
      const action = await service.requestAction(principalOf(request), request.params.tenantId, {
        host: request.body.host,
        action: request.body.action,
        incidentId: request.body.incidentId,
      });
      return reply.status(201).send(actionView(action));
    },
  );

  app.get(
    `${tenantBase}/actions`,
    {
      schema: {
        tags,
        params: TenantParams,
        querystring: ListActionsQuery,
        response: { 200: ActionList },
      },
    },
    async (request) => {
      const { agentId, incidentId, state, limit } = request.query;
      const actions = await service.listActions(
        principalOf(request),
        request.params.tenantId,
        {
          ...(agentId === undefined ? {} : { agentId }),
          ...(incidentId === undefined ? {} : { incidentId }),
          ...(state === undefined ? {} : { state }),
        },
        Math.min(Math.max(Number(limit ?? 100), 1), 1000),
      );
      return { items: actions.map((a) => actionView(a)) };
    },
  );

  app.get(
    `${tenantBase}/actions/:actionId`,
    { schema: { tags, params: ActionParams, response: { 200: ActionView } } },
    async (request) => {
      const { action, transitions } = await service.getAction(
        principalOf(request),
        request.params.tenantId,
        request.params.actionId,
      );
      return actionView(action, transitions);
    },
  );

  app.post(
    `${tenantBase}/actions/:actionId/approve`,
    { schema: { tags, params: ActionParams, body: closed({}), response: { 200: ActionView } } },
    async (request) =>
      actionView(
        await service.approve(
          principalOf(request),
          request.params.tenantId,
          request.params.actionId,
        ),
      ),
  );

  app.post(
    `${tenantBase}/actions/:actionId/deny`,
    { schema: { tags, params: ActionParams, body: DenyActionBody, response: { 200: ActionView } } },
    async (request) =>
      actionView(
        await service.deny(
          principalOf(request),
          request.params.tenantId,
          request.params.actionId,
          request.body.reason,
        ),
      ),
  );

  app.get(
    `${tenantBase}/containment-policy`,
    { schema: { tags, params: TenantParams, response: { 200: ContainmentPolicyView } } },
    async (request) =>
      policyView(await service.getPolicy(principalOf(request), request.params.tenantId)),
  );

  app.put(
    `${tenantBase}/containment-policy`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: ContainmentPolicyBody,
        response: { 200: ContainmentPolicyView },
      },
    },
    async (request) =>
      policyView(
        await service.setPolicy(principalOf(request), request.params.tenantId, request.body),
      ),
  );
}
