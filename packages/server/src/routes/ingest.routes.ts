/**
 * Telemetry intake over HTTP. `POST /api/v1/ingest` takes a batch of records (see
 * ingest/bulk-body.ts for the accepted bodies) for the caller's tenant — the tenant of an
 * ingest token, or `?tenant=` for a signed-in user — and answers once the batch is durable,
 * with counts. A retried request with the same `Idempotency-Key` header (or `batch_id`) is
 * answered from the first write (`duplicate: true`) and not stored twice. Before the body is
 * read, a tenant over its ingest share (fairness/tenant-admission.ts) or a full pipeline
 * answers 429 with `Retry-After`, an unusable content type 415 and a declared length over the
 * limit 413; a body that spends the tenant's share part-way is cut there with 429. The body is read as a stream, in step with the
 * pipeline (ingest/bulk-ingestion.ts): never held whole, whatever it expands to.
 *
 * `POST /api/v1/tenants/:tenantId/deadletters/replay` parses dead letters again.
 */
import { authorize, CordonError } from '@cordon/core';
import type { EventProvenance, Principal } from '@cordon/core';
import {
  BATCH_ID_PATTERN,
  DeadLetterReplayRequest,
  DeadLetterReplayView,
  IngestQuery,
  IngestReceiptView,
  TenantParams,
} from '@cordon/protocol';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { principalOf } from '../http/authentication.ts';
import type { Readable } from 'node:stream';
import {
  ACCEPTED_CONTENT_TYPES,
  bulkBodyType,
  hintOf,
  readBulkBody,
  UnsupportedMediaType,
} from '../ingest/bulk-body.ts';
import type { BulkFormat } from '../ingest/bulk-body.ts';
import { ingestBulk } from '../ingest/bulk-ingestion.ts';
import type { DeadLetterReplay } from '../ingest/dead-letter-replay.ts';
import type { IngestConfig } from '../ingest/ingest-config.ts';
import type { IngestPipeline } from '../ingest/ingest-pipeline.ts';
import type { AdmissionTicket, TenantAdmission } from '../fairness/tenant-admission.ts';
import type { App } from './route-context.ts';

export interface IngestRoutesOptions {
  readonly pipeline: IngestPipeline;
  readonly replay: DeadLetterReplay;
  readonly config: IngestConfig;
  /** Each tenant's ingest share: bodies at once, records and bytes per second. */
  readonly admission?: TenantAdmission;
}

const batchIdPattern = new RegExp(BATCH_ID_PATTERN);

function unsupported(message: string): Error {
  return Object.assign(new Error(message), { statusCode: 415 });
}

/** The tenant a request ingests into, after checking the caller may. */
function ingestTenant(request: FastifyRequest): string {
  const principal = principalOf(request);
  const asked = (request.query as { tenant?: unknown }).tenant;
  const tenantId =
    principal.kind === 'token' ? principal.tenantId : typeof asked === 'string' ? asked : undefined;
  if (tenantId === undefined) {
    throw new CordonError(
      'invalid_input',
      'name the tenant with ?tenant=<id>, or ingest with a tenant ingest token',
    );
  }
  if (principal.kind === 'token' && typeof asked === 'string' && asked !== tenantId) {
    throw new CordonError('forbidden', 'an API token ingests into its own tenant only');
  }
  authorize(principal, tenantId, 'events:ingest');
  return tenantId;
}

/** What authenticated the request: an ingest token, a session, the system itself. */
function httpProvenance(principal: Principal): EventProvenance {
  switch (principal.kind) {
    case 'token':
      return { kind: 'http', credential: 'token', id: principal.tokenId };
    case 'user':
      return { kind: 'http', credential: 'session', id: principal.userId };
    case 'system':
      return { kind: 'http', credential: 'system', id: principal.name };
  }
}

function batchIdOf(request: FastifyRequest, fromQuery: string | undefined): string | undefined {
  const header = request.headers['idempotency-key'];
  const fromHeader = Array.isArray(header) ? header[0] : header;
  if (fromHeader !== undefined && fromQuery !== undefined && fromHeader !== fromQuery) {
    throw new CordonError('invalid_input', 'Idempotency-Key and batch_id differ: send one');
  }
  const batchId = fromHeader ?? fromQuery;
  if (batchId !== undefined && !batchIdPattern.test(batchId)) {
    throw new CordonError(
      'invalid_input',
      'a batch id is 1 to 200 characters of A-Z a-z 0-9 . _ : -',
    );
  }
  return batchId;
}

export async function ingestRoutes(app: App, options: IngestRoutesOptions): Promise<void> {
  const { pipeline, replay, config, admission } = options;
  // Taken before the body is read, released when the answer is sent (or the handler ends).
  const tickets = new WeakMap<FastifyRequest, AdmissionTicket>();
  const release = (request: FastifyRequest): void => {
    tickets.get(request)?.release();
    tickets.delete(request);
  };

  // Its own scope: the body is handed over as the raw stream (whatever the content type) and
  // read by the handler, with the ingest limits counted as it goes.
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', (_request, payload, done) => done(null, payload));
    scope.addHook('preParsing', async (request, _reply, payload) => {
      const mediaType = (request.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      if (!ACCEPTED_CONTENT_TYPES.includes(mediaType)) {
        pipeline.metrics.rejected.inc({ source: 'http', reason: 'content_type' });
        throw unsupported(
          mediaType === ''
            ? `a Content-Type is required: one of ${ACCEPTED_CONTENT_TYPES.join(', ')}`
            : `${mediaType} is not accepted for ingest: use one of ${ACCEPTED_CONTENT_TYPES.join(', ')}`,
        );
      }
      const tenantId = ingestTenant(request);
      try {
        bulkBodyType(request.headers['content-type'], request.headers['content-encoding']);
      } catch (error) {
        if (error instanceof UnsupportedMediaType) throw unsupported(error.message);
        throw error;
      }
      const declared = Number(request.headers['content-length'] ?? 0);
      if (declared > config.maxBodyBytes) {
        throw new CordonError(
          'payload_too_large',
          `the request body is larger than ${config.maxBodyBytes} bytes: send smaller batches`,
        );
      }
      if (admission) {
        const ticket = admission.enter(tenantId, 'ingest');
        tickets.set(request, ticket);
        try {
          pipeline.admit('http');
        } catch (error) {
          release(request);
          throw error;
        }
      } else pipeline.admit('http');
      return payload;
    });
    scope.addHook('onResponse', async (request) => release(request));

    scope.post(
      '/api/v1/ingest',
      {
        schema: {
          tags: ['ingest'],
          querystring: IngestQuery,
          consumes: ACCEPTED_CONTENT_TYPES,
          response: { 200: IngestReceiptView },
        },
      },
      async (request, reply) => {
        const tenantId = ingestTenant(request);
        const batchId = batchIdOf(request, request.query.batch_id);
        const header = request.headers['x-cordon-format'];
        const format = (request.query.format ??
          (typeof header === 'string' ? header : 'auto')) as BulkFormat;
        const body = request.body as Readable;
        try {
          return await ingestBulk({
            pipeline,
            tenantId,
            source: 'http',
            provenance: httpProvenance(principalOf(request)),
            batchId,
            hint: hintOf(format),
            maxRecords: config.maxRecordsPerRequest,
            waitMs: config.admissionWaitMs,
            ...(tickets.has(request) ? { share: tickets.get(request)! } : {}),
            records: readBulkBody({
              body,
              contentType: request.headers['content-type'],
              contentEncoding: request.headers['content-encoding'],
              format,
              maxBodyBytes: config.maxBodyBytes,
              maxDecompressedBytes: config.maxDecompressedBytes,
              context: {
                receivedAt: new Date(),
                maxBytes: config.maxRecordBytes,
                ...(request.query.host ? { defaults: { hostName: request.query.host } } : {}),
              },
            }),
          });
        } catch (error) {
          // The rest of the body is not read: close the connection rather than drain it.
          if (!body.readableEnded) void reply.header('connection', 'close');
          if (error instanceof UnsupportedMediaType) throw unsupported(error.message);
          throw error;
        } finally {
          release(request);
        }
      },
    );
  });

  app.post(
    '/api/v1/tenants/:tenantId/deadletters/replay',
    {
      schema: {
        tags: ['ingest'],
        params: TenantParams,
        body: DeadLetterReplayRequest,
        response: { 200: DeadLetterReplayView },
      },
    },
    async (request) => {
      const { tenantId } = request.params;
      authorize(principalOf(request), tenantId, 'incident:write');
      const { ids, all } = request.body;
      if ((ids === undefined) === (all !== true)) {
        throw new CordonError('invalid_input', 'give either "ids" or "all": true');
      }
      return replay.replay(tenantId, ids === undefined ? { all: true } : { ids });
    },
  );
}
