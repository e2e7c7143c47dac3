/**
 * Who is calling: `Authorization: Bearer <token>` (API tokens; no CSRF check, since browsers
 * never attach it on their own), or the `cordon_session` cookie (HttpOnly, SameSite=Strict),
 * where every state-changing request must also carry the session's CSRF token in
 * `x-csrf-token`. Routes are authenticated unless registered with `config: { public: true }`.
 */
import type { AccessService, Principal } from '@cordon/core';
import { CordonError } from '@cordon/core';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'cordon_session';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | undefined;
    /** The session's CSRF token (cookie sign-ins only), so a reloaded console can learn it again. */
    sessionCsrfToken: string | undefined;
  }
  interface FastifyContextConfig {
    /** No authentication needed (health, sign-in, OpenAPI). */
    public?: boolean;
  }
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function installAuthentication(app: FastifyInstance, access: AccessService): void {
  app.decorateRequest('principal', undefined);
  app.decorateRequest('sessionCsrfToken', undefined);
  app.addHook('onRequest', async (request: FastifyRequest) => {
    if (request.routeOptions.config.public) return;
    const header = request.headers.authorization;
    if (header !== undefined) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match?.[1])
        throw new CordonError(
          'unauthenticated',
          'the Authorization header must be "Bearer <token>"',
        );
      const principal = await access.authenticateToken(match[1]);
      if (!principal) throw new CordonError('unauthenticated', 'unknown or revoked API token');
      request.principal = principal;
      return;
    }
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie) {
      const session = await access.authenticateSession(cookie);
      if (!session)
        throw new CordonError('unauthenticated', 'the session has expired; sign in again');
      if (!SAFE_METHODS.has(request.method)) {
        const presented = request.headers['x-csrf-token'];
        if (typeof presented !== 'string' || !sameSecret(presented, session.csrfToken)) {
          throw new CordonError(
            'forbidden',
            'missing or wrong x-csrf-token header for this session',
          );
        }
      }
      request.principal = session.principal;
      request.sessionCsrfToken = session.csrfToken;
      return;
    }
    throw new CordonError(
      'unauthenticated',
      'sign in, or send an API token as "Authorization: Bearer <token>"',
    );
  });
}

/** The authenticated principal; routes run only after authentication, so it is always set. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new CordonError('unauthenticated', 'not signed in');
  return request.principal;
}
