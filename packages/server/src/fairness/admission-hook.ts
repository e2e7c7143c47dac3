/**
 * Routes registered with `config: { admission: KIND }` are admitted against the tenant's share
 * for that kind (tenant-admission.ts) before their body is read: the tenant is the route's
 * `:tenantId`, and only once the caller is known to have access to it — a caller without
 * access goes on to the handler, which refuses it, so nobody can spend another tenant's share
 * by naming it. A tenant over its share is answered 429 from the headers alone: its body is
 * neither parsed nor validated (parsing a 10 KB query or a rule text and then refusing it was
 * most of what a refused request cost, bench:hostile). The slot is held from then until the
 * handler settles, whether the client waits for the answer or not; a request that never
 * reaches its handler (a bad body, a client gone) gives it back when it ends.
 *
 * `config: { refuseOverShare: KIND }` only refuses from the headers a tenant over its share,
 * taking nothing: for routes whose work is admitted where it runs (a rule's check, in the
 * rule service), after checks the route cannot make before reading the body.
 */
import { roleIn } from '@cordon/core';
import type {
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestAbortAsyncHookHandler,
  onResponseAsyncHookHandler,
  preParsingAsyncHookHandler,
} from 'fastify';
import type { AdmissionKind, AdmissionTicket, TenantAdmission } from './tenant-admission.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Costly work admitted against the tenant's share (fairness/tenant-admission.ts). */
    admission?: AdmissionKind;
    /** Refused with 429 before the body is read when the tenant is over this share. */
    refuseOverShare?: AdmissionKind;
  }
}

interface Held {
  readonly ticket: AdmissionTicket;
  /** The handler runs: it releases the slot when it settles. */
  handling: boolean;
}

const asArray = <T>(hooks: T | T[] | undefined): T[] =>
  hooks === undefined ? [] : Array.isArray(hooks) ? hooks : [hooks];

/** The route's `:tenantId` when the caller has a role in it. */
function accessibleTenant(request: FastifyRequest): string | undefined {
  const tenantId = (request.params as { tenantId?: unknown } | undefined)?.tenantId;
  const principal = request.principal;
  return typeof tenantId === 'string' &&
    principal !== undefined &&
    roleIn(principal, tenantId) !== undefined
    ? tenantId
    : undefined;
}

/** Install before the routes it applies to are registered. */
export function installTenantAdmission(app: FastifyInstance, admission: TenantAdmission): void {
  const held = new WeakMap<FastifyRequest, Held>();
  const giveBack = (request: FastifyRequest): void => {
    const slot = held.get(request);
    if (slot === undefined || slot.handling) return;
    slot.ticket.release();
    held.delete(request);
  };
  app.addHook('onRoute', (route) => {
    const precheck = route.config?.refuseOverShare;
    if (precheck !== undefined) {
      const refuse: preParsingAsyncHookHandler = async (request, _reply, payload) => {
        const tenantId = accessibleTenant(request);
        if (tenantId !== undefined) admission.refuseIfOver(tenantId, precheck);
        return payload;
      };
      route.preParsing = [...asArray(route.preParsing), refuse];
    }
    const kind = route.config?.admission;
    if (kind === undefined) return;
    const admit: preParsingAsyncHookHandler = async (request, _reply, payload) => {
      const tenantId = accessibleTenant(request);
      if (tenantId !== undefined)
        held.set(request, { ticket: admission.enter(tenantId, kind), handling: false });
      return payload;
    };
    const ended: onResponseAsyncHookHandler = async (request) => giveBack(request);
    const aborted: onRequestAbortAsyncHookHandler = async (request) => giveBack(request);
    route.preParsing = [...asArray(route.preParsing), admit];
    route.onResponse = [...asArray(route.onResponse), ended];
    route.onRequestAbort = [...asArray(route.onRequestAbort), aborted];
    const handler = route.handler as (
      this: FastifyInstance,
      request: FastifyRequest,
      reply: FastifyReply,
    ) => unknown;
    route.handler = async function (
      this: FastifyInstance,
      request: FastifyRequest,
      reply: FastifyReply,
    ): Promise<unknown> {
      const slot = held.get(request);
      if (slot === undefined) return handler.call(this, request, reply);
      slot.handling = true;
      try {
        return await handler.call(this, request, reply);
      } finally {
        slot.ticket.release();
        held.delete(request);
      }
    };
  });
}
