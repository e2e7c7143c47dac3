/**
 * Evidence: upload as a streamed `application/octet-stream` body with custody facts in the
 * query string; list, show, and download (hash checked and journaled first). Also the
 * read-only journal and its signed checkpoints.
 */
import {
  CheckpointView,
  DownloadEvidenceQuery,
  EvidenceView,
  JournalEntryView,
  ListEvidenceQuery,
  ListJournalQuery,
  TenantParams,
  UploadEvidenceQuery,
  Uuid,
  closed,
  pageOf,
} from '@cordon/protocol';
import { Type } from '@sinclair/typebox';
import { CordonError } from '@cordon/core';
import type { Readable } from 'node:stream';
import { principalOf } from '../http/authentication.ts';
import { checkpointView, evidenceView, journalEntryView, msOf, pageParams } from '../http/views.ts';
import type { App, Services } from './route-context.ts';

const EvidenceParams = closed({ tenantId: Uuid, evidenceId: Uuid });

export function evidenceRoutes(app: App, { evidence, journal }: Services): void {
  const base = '/api/v1/tenants/:tenantId/evidence';

  app.post(
    base,
    {
      schema: {
        tags: ['evidence'],
        params: TenantParams,
        querystring: UploadEvidenceQuery,
        consumes: ['application/octet-stream'],
        response: { 201: EvidenceView },
      },
    },
    async (request, reply) => {
      const { collectedAt, incidentId, ...rest } = request.query;
      const body = request.body as Readable | undefined;
      if (!body || typeof (body as Partial<Readable>).pipe !== 'function') {
        throw new CordonError(
          'invalid_input',
          'send the evidence as an application/octet-stream body',
        );
      }
      const item = await evidence.add(
        principalOf(request),
        request.params.tenantId,
        {
          ...rest,
          ...(incidentId ? { incidentId } : {}),
          ...(collectedAt ? { collectedAt: msOf(collectedAt) } : {}),
          mediaType: 'application/octet-stream',
        },
        body,
      );
      return reply.status(201).send(evidenceView(item));
    },
  );

  app.get(
    base,
    {
      schema: {
        tags: ['evidence'],
        params: TenantParams,
        querystring: ListEvidenceQuery,
        response: { 200: pageOf(EvidenceView) },
      },
    },
    async (request) => {
      const page = await evidence.list(
        principalOf(request),
        request.params.tenantId,
        request.query.incidentId ? { incidentId: request.query.incidentId } : {},
        pageParams(request.query),
      );
      return { total: page.total, items: page.items.map(evidenceView) };
    },
  );

  app.get(
    `${base}/:evidenceId`,
    { schema: { tags: ['evidence'], params: EvidenceParams, response: { 200: EvidenceView } } },
    async (request) =>
      evidenceView(
        await evidence.get(
          principalOf(request),
          request.params.tenantId,
          request.params.evidenceId,
        ),
      ),
  );

  app.get(
    `${base}/:evidenceId/content`,
    { schema: { tags: ['evidence'], params: EvidenceParams, querystring: DownloadEvidenceQuery } },
    async (request, reply) => {
      const { evidence: item, content } = await evidence.open(
        principalOf(request),
        request.params.tenantId,
        request.params.evidenceId,
        request.query.purpose ?? 'download',
      );
      return reply
        .header('content-type', 'application/octet-stream')
        .header(
          'content-disposition',
          `attachment; filename="${item.filename.replace(/[^\w.-]/g, '_')}"`,
        )
        .header('x-content-sha256', item.sha256)
        .send(content as Readable);
    },
  );

  app.get(
    '/api/v1/tenants/:tenantId/journal',
    {
      schema: {
        tags: ['journal'],
        params: TenantParams,
        querystring: ListJournalQuery,
        response: { 200: Type.Array(JournalEntryView) },
      },
    },
    async (request) => {
      const { afterSeq, limit, incidentId } = request.query;
      const entries = await journal.list(
        principalOf(request),
        request.params.tenantId,
        {
          ...(afterSeq ? { afterSeq: Number(afterSeq) } : {}),
          ...(incidentId ? { incidentId } : {}),
        },
        Math.min(1000, Math.max(1, Number(limit ?? 100))),
      );
      return entries.map(journalEntryView);
    },
  );

  app.get(
    '/api/v1/tenants/:tenantId/journal/checkpoints',
    {
      schema: {
        tags: ['journal'],
        params: TenantParams,
        response: { 200: Type.Array(CheckpointView) },
      },
    },
    async (request) =>
      (await journal.checkpoints(principalOf(request), request.params.tenantId)).map(
        checkpointView,
      ),
  );
}
