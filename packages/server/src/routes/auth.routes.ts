/** Sign-in with a session cookie, sign-out, and who-am-I. */
import {
  LoginRequest,
  LoginResponse,
  MeResponse,
  UnlockSignInRequest,
  UnlockSignInResponse,
} from '@cordon/protocol';
import { SESSION_COOKIE, principalOf } from '../http/authentication.ts';
import { userView } from '../http/views.ts';
import type { App, Services } from './route-context.ts';
import { SESSION_TTL_MS } from '@cordon/core';

export function authRoutes(app: App, { access }: Services): void {
  app.post(
    '/api/v1/auth/login',
    {
      config: { public: true },
      schema: { tags: ['auth'], body: LoginRequest, response: { 200: LoginResponse } },
    },
    async (request, reply) => {
      const { sessionSecret, session, user } = await access.login(
        request.body.email,
        request.body.password,
        request.ip,
      );
      void reply.setCookie(SESSION_COOKIE, sessionSecret, {
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
        path: '/',
        maxAge: Math.floor(SESSION_TTL_MS / 1000),
      });
      return { user: userView(user), csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/v1/auth/unlock',
    {
      schema: {
        tags: ['auth'],
        body: UnlockSignInRequest,
        response: { 200: UnlockSignInResponse },
      },
    },
    async (request) => access.unlockSignIn(principalOf(request), request.body.email),
  );

  app.post('/api/v1/auth/logout', { schema: { tags: ['auth'] } }, async (request, reply) => {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) await access.logout(cookie);
    void reply.clearCookie(SESSION_COOKIE, { path: '/' });
    return reply.status(204).send();
  });

  app.get(
    '/api/v1/auth/me',
    { schema: { tags: ['auth'], response: { 200: MeResponse } } },
    async (request) => {
      const principal = principalOf(request);
      switch (principal.kind) {
        case 'user':
          return {
            kind: 'user' as const,
            user: {
              id: principal.userId,
              email: principal.email,
              displayName: principal.email,
              platformAdmin: principal.platformAdmin,
            },
            memberships: [...principal.memberships].map(([tenantId, role]) => ({ tenantId, role })),
            ...(request.sessionCsrfToken ? { csrfToken: request.sessionCsrfToken } : {}),
          };
        case 'token':
          return {
            kind: 'token' as const,
            tenantId: principal.tenantId,
            role: principal.role,
            memberships: [{ tenantId: principal.tenantId, role: principal.role }],
          };
        case 'system':
          return { kind: 'user' as const, memberships: [] };
      }
    },
  );
}
