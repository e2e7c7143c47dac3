/**
 * Routes registered with `config: { admission: KIND }` run their handler inside the tenant's
 * admission for that kind (tenant-admission.ts): the tenant is the route's `:tenantId`, and
 * only once the caller is known to have access to it — a caller without access goes straight
 * to the handler, which refuses it, so nobody can spend another tenant's share by naming it.
 * Wrapping the handler (not a pair of hooks) holds the slot for exactly as long as the work
 * runs, whether the client waits for the answer or not.
 */
import { roleIn } from '@cordon/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AdmissionKind, TenantAdmission } from './tenant-admission.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Costly work admitted against the tenant's share (fairness/tenant-admission.ts). */
    admission?: AdmissionKind;
  }
}

/** Install before the routes it applies to are registered. */
export function installTenantAdmission(app: FastifyInstance, admission: TenantAdmission): void {
  app.addHook('onRoute', (route) => {
    const kind = route.config?.admission;
    if (kind === undefined) return;
    const handler = route.handler as (
      this: FastifyInstance,
      request: FastifyRequest,
      reply: FastifyReply,
    ) => unknown;
    const admitted = async function (
      this: FastifyInstance,
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<unknown> {
      const tenantId = (request.params as { tenantId?: unknown } | undefined)?.tenantId;
      const principal = request.principal;
      if (
        typeof tenantId !== 'string' ||
        principal === undefined ||
        roleIn(principal, tenantId) === undefined
      )
        return handler.call(this, request, reply);
      return admission.run(tenantId, kind, async () => handler.call(this, request, reply));
    };
    route.handler = admitted;
  });
}
