/** Tenants, their members and their API tokens. */
import {
  AddMemberRequest,
  CreateTenantRequest,
  CreateTokenRequest,
  CreateTokenResponse,
  MemberView,
  TenantParams,
  TenantView,
  TokenView,
  Uuid,
  closed,
} from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../http/authentication.ts';
import { tenantView, tokenView } from '../http/views.ts';
import type { App, Services } from './route-context.ts';

export function tenantRoutes(app: App, { access }: Services): void {
  app.get(
    '/api/v1/tenants',
    { schema: { tags: ['tenants'], response: { 200: Type.Array(TenantView) } } },
    async (request) => (await access.listTenants(principalOf(request))).map(tenantView),
  );

  app.post(
    '/api/v1/tenants',
    { schema: { tags: ['tenants'], body: CreateTenantRequest, response: { 201: TenantView } } },
    async (request, reply) =>
      reply
        .status(201)
        .send(tenantView(await access.createTenant(principalOf(request), request.body.name))),
  );

  app.get(
    '/api/v1/tenants/:tenantId',
    { schema: { tags: ['tenants'], params: TenantParams, response: { 200: TenantView } } },
    async (request) =>
      tenantView(await access.getTenant(principalOf(request), request.params.tenantId)),
  );

  app.get(
    '/api/v1/tenants/:tenantId/members',
    {
      schema: {
        tags: ['tenants'],
        params: TenantParams,
        response: { 200: Type.Array(MemberView) },
      },
    },
    async (request) => access.listMembers(principalOf(request), request.params.tenantId),
  );

  app.post(
    '/api/v1/tenants/:tenantId/members',
    {
      schema: {
        tags: ['tenants'],
        params: TenantParams,
        body: AddMemberRequest,
        response: { 201: MemberView },
      },
    },
    async (request, reply) => {
      const { user } = await access.createUser(principalOf(request), {
        ...request.body,
        tenantId: request.params.tenantId,
      });
      return reply.status(201).send({
        userId: user.id,
        email: user.email,
        displayName: user.displayName,
        role: request.body.role,
      });
    },
  );

  app.get(
    '/api/v1/tenants/:tenantId/tokens',
    {
      schema: { tags: ['tokens'], params: TenantParams, response: { 200: Type.Array(TokenView) } },
    },
    async (request) =>
      (await access.listTokens(principalOf(request), request.params.tenantId)).map(tokenView),
  );

  app.post(
    '/api/v1/tenants/:tenantId/tokens',
    {
      schema: {
        tags: ['tokens'],
        params: TenantParams,
        body: CreateTokenRequest,
        response: { 201: CreateTokenResponse },
      },
    },
    async (request, reply) => {
      const { token, record } = await access.createToken(principalOf(request), {
        tenantId: request.params.tenantId,
        ...request.body,
      });
      return reply.status(201).send({ token, record: tokenView(record) });
    },
  );

  app.delete(
    '/api/v1/tenants/:tenantId/tokens/:tokenId',
    { schema: { tags: ['tokens'], params: closed({ tenantId: Uuid, tokenId: Uuid }) } },
    async (request, reply) => {
      await access.revokeToken(
        principalOf(request),
        request.params.tenantId,
        request.params.tokenId,
      );
      return reply.status(204).send();
    },
  );
}
