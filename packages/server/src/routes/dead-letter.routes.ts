/**
 * Dead letters, read side: `GET …/deadletters` (newest first, by status) and
 * `GET …/deadletters/:deadLetterId` with the raw bytes in base64. Replay is the ingestion
 * pipeline's (`POST …/deadletters/replay`, ingest.routes.ts).
 */
import type { DeadLetter } from '@cordon/core';
import {
  DeadLetterParams,
  DeadLetterSummaryView,
  DeadLetterView,
  ListDeadLettersQuery,
  TenantParams,
  pageOf,
} from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import { iso, isoOrNull, pageParams } from '../http/views.ts';
import type { App, Services } from './route-context.ts';

const tags = ['ingest'];
const PREVIEW_BYTES = 200;

const summaryView = (l: DeadLetter) => ({
  id: l.id,
  source: l.source,
  reason: l.reason,
  code: l.code,
  receivedAt: iso(l.receivedAt),
  status: l.status,
  replayedAt: isoOrNull(l.replayedAt),
  replayOutcome: l.replayOutcome,
  size: l.raw.byteLength,
  preview: new TextDecoder().decode(l.raw.subarray(0, PREVIEW_BYTES)),
});

export function deadLetterRoutes(app: App, { events }: Services): void {
  const base = '/api/v1/tenants/:tenantId/deadletters';

  app.get(
    base,
    {
      schema: {
        tags,
        params: TenantParams,
        querystring: ListDeadLettersQuery,
        response: { 200: pageOf(DeadLetterSummaryView) },
      },
    },
    async (request) => {
      const page = await events.deadLetters(principalOf(request), request.params.tenantId, {
        ...pageParams(request.query),
        status: request.query.status,
      });
      return { total: page.total, items: page.items.map(summaryView) };
    },
  );

  app.get(
    `${base}/:deadLetterId`,
    { schema: { tags, params: DeadLetterParams, response: { 200: DeadLetterView } } },
    async (request) => {
      const letter = await events.deadLetter(
        principalOf(request),
        request.params.tenantId,
        request.params.deadLetterId,
      );
      return { ...summaryView(letter), raw: Buffer.from(letter.raw).toString('base64') };
    },
  );
}
