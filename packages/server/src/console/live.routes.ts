/**
 * Live updates for the console over server-sent events, one stream per tenant. The sequence
 * behind it is the tenant's journal, which every state change is appended to in the same
 * transaction: an event's `id` is the entry's sequence number, so a browser that reconnects
 * with `Last-Event-ID` gets every change it missed, across server restarts too. Only the
 * entry's kind, time and incident id are sent (never its payload): the console refetches what
 * it shows through the API, which applies the caller's role as always.
 *
 * A stream lives at most `maxStreamMs`, then ends; the browser reconnects (authenticated
 * again, so a revoked session stops receiving) and resumes where it was. Open streams are
 * capped per principal and overall (`LiveStreamLimiter`): beyond the cap the answer is 429.
 */
import { CordonError, actorOf } from '@cordon/core';
import { TenantParams, closed } from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import { principalOf } from '../http/authentication.ts';
import type { App, Services } from '../routes/route-context.ts';
import type { LiveStreamLimits } from './live-stream-limiter.ts';
import { LiveStreamLimiter, defaultLiveStreamLimits } from './live-stream-limiter.ts';
import { liveTopicOf } from './live-topic.ts';

export interface LiveOptions {
  /** How often the journal is read for new entries. */
  readonly pollMs: number;
  /** A comment line this often keeps proxies from closing an idle stream. */
  readonly heartbeatMs: number;
  readonly maxStreamMs: number;
  readonly limits: LiveStreamLimits;
}

export const defaultLiveOptions: LiveOptions = {
  pollMs: 500,
  heartbeatMs: 15_000,
  maxStreamMs: 5 * 60_000,
  limits: defaultLiveStreamLimits,
};

const BATCH = 200;

const LiveQuery = closed({
  after: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,15}$', description: 'resume after this sequence number' }),
  ),
});

function resumePoint(
  header: string | string[] | undefined,
  query: string | undefined,
): number | undefined {
  const value = typeof header === 'string' ? header : query;
  if (value === undefined) return undefined;
  if (!/^[0-9]{1,15}$/.test(value)) {
    throw new CordonError('invalid_input', 'Last-Event-ID must be a journal sequence number');
  }
  return Number(value);
}

export function liveRoutes(
  app: App,
  services: Services,
  options: LiveOptions = defaultLiveOptions,
): void {
  const { journal, store } = services;
  const limiter = new LiveStreamLimiter(options.limits);
  app.get(
    '/api/v1/tenants/:tenantId/live',
    { schema: { tags: ['console'], params: TenantParams, querystring: LiveQuery } },
    async (request, reply) => {
      const principal = principalOf(request);
      const { tenantId } = request.params;
      const resume = resumePoint(request.headers['last-event-id'], request.query.after);
      // Authorised like the journal route (it throws for a tenant the caller cannot read).
      await journal.list(principal, tenantId, { afterSeq: Number.MAX_SAFE_INTEGER }, 1);
      const release = limiter.acquire(actorOf(principal));
      let after: number;
      try {
        after =
          resume ??
          (await store.transaction(
            async (uow) => (await uow.forTenant(tenantId).journal.head())?.seq ?? 0,
          ));
      } catch (error) {
        release();
        throw error;
      }

      reply.hijack();
      const raw = reply.raw;
      raw.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
        connection: 'keep-alive',
      });
      raw.write(`retry: 2000\n: resuming after ${after}\n\n`);

      let open = true;
      let timer: NodeJS.Timeout | undefined;
      const started = Date.now();
      let lastWrite = started;
      const stop = (): void => {
        open = false;
        release();
        if (timer) clearTimeout(timer);
      };
      request.raw.on('close', stop);
      raw.on('error', stop);

      const tick = async (): Promise<void> => {
        if (!open) return;
        try {
          const entries = await journal.list(principal, tenantId, { afterSeq: after }, BATCH);
          for (const entry of entries) {
            const event = {
              seq: entry.seq,
              at: new Date(entry.at).toISOString(),
              kind: entry.kind,
              topic: liveTopicOf(entry.kind),
              incidentId: entry.incidentId,
            };
            raw.write(`id: ${entry.seq}\nevent: change\ndata: ${JSON.stringify(event)}\n\n`);
            after = entry.seq;
            lastWrite = Date.now();
          }
          if (Date.now() - lastWrite >= options.heartbeatMs) {
            raw.write(': heartbeat\n\n');
            lastWrite = Date.now();
          }
          if (Date.now() - started >= options.maxStreamMs) {
            stop();
            raw.end();
            return;
          }
          if (open)
            timer = setTimeout(() => void tick(), entries.length === BATCH ? 0 : options.pollMs);
        } catch (error) {
          request.log.warn({ err: error }, 'live stream stopped');
          stop();
          raw.end();
        }
      };
      await tick();
    },
  );
}
