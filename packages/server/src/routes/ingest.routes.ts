/**
 * Telemetry intake over HTTP. `POST /api/v1/ingest` takes a batch of records (see
 * ingest/bulk-body.ts for the accepted bodies) for the caller's tenant — the tenant of an
 * ingest token, or `?tenant=` for a signed-in user — and answers once the batch is durable,
 * with counts. A retried request with the same `Idempotency-Key` header (or `batch_id`) is
 * answered from the first write (`duplicate: true`) and not stored twice. Before the body is
 * read, a full pipeline answers 429 with `Retry-After` and an unusable content type 415.
 *
 * `POST /api/v1/tenants/:tenantId/deadletters/replay` parses dead letters again.
 */
import { authorize, CordonError } from '@cordon/core';
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
import {
  ACCEPTED_CONTENT_TYPES,
  parseBulkBody,
  UnsupportedMediaType,
} from '../ingest/bulk-body.ts';
import type { BulkFormat } from '../ingest/bulk-body.ts';
import type { DeadLetterReplay } from '../ingest/dead-letter-replay.ts';
import type { IngestConfig } from '../ingest/ingest-config.ts';
import type { IngestPipeline } from '../ingest/ingest-pipeline.ts';
import type { App } from './route-context.ts';

export interface IngestRoutesOptions {
  readonly pipeline: IngestPipeline;
  readonly replay: DeadLetterReplay;
  readonly config: IngestConfig;
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
  const { pipeline, replay, config } = options;

  // Its own scope: the body is read raw (whatever the content type) with the ingest limit.
  await app.register(async (plugin) => {
    const scope = plugin.withTypeProvider<TypeBoxTypeProvider>();
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: config.maxBodyBytes },
      (_request, body, done) => done(null, body),
    );
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
      ingestTenant(request);
      pipeline.admit('http');
      return payload;
    });

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
      async (request) => {
        const tenantId = ingestTenant(request);
        const batchId = batchIdOf(request, request.query.batch_id);
        const header = request.headers['x-cordon-format'];
        const format = (request.query.format ??
          (typeof header === 'string' ? header : 'auto')) as BulkFormat;
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        let parsed;
        try {
          parsed = parseBulkBody({
            body,
            contentType: request.headers['content-type'],
            contentEncoding: request.headers['content-encoding'],
            format,
            maxDecompressedBytes: config.maxDecompressedBytes,
            context: {
              receivedAt: new Date(),
              maxBytes: config.maxRecordBytes,
              ...(request.query.host ? { defaults: { hostName: request.query.host } } : {}),
            },
          });
        } catch (error) {
          if (error instanceof UnsupportedMediaType) throw unsupported(error.message);
          throw error;
        }
        return pipeline.submitBatch({
          tenantId,
          source: 'http',
          ...(batchId === undefined ? {} : { batchId }),
          hint: parsed.hint,
          events: parsed.events,
          failures: parsed.failures,
          records: parsed.records,
          bytes: body.byteLength,
        });
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
