/**
 * An incident's journal entries for the console, a page at a time, each page with how far the
 * tenant's hash chain behind it holds: intact up to a signed checkpoint, intact to the head but
 * not signed yet, or broken at an entry. Read like the journal route (`journal:read`, which a
 * client viewer has); a page is at most 200 entries and its check reads a bounded stretch.
 */
import type { JournalSpanStatus } from '@cordon/core';
import { IncidentJournalQuery, IncidentJournalView, Uuid, closed } from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import { journalEntryView } from '../http/views.ts';
import type { App, Services } from './route-context.ts';

const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const MAX_PAGE = 200;

const chainView = (status: JournalSpanStatus) =>
  status.kind === 'verified'
    ? { ...status, checkpointAt: new Date(status.checkpointAt).toISOString() }
    : status;

export function incidentJournalRoutes(app: App, { journal }: Services): void {
  app.get(
    '/api/v1/tenants/:tenantId/incidents/:incidentId/journal',
    {
      schema: {
        tags: ['journal'],
        summary: "The incident's journal entries and the verification status of the chain",
        params: IncidentParams,
        querystring: IncidentJournalQuery,
        response: { 200: IncidentJournalView },
      },
    },
    async (request) => {
      const { afterSeq, limit } = request.query;
      const page = await journal.incidentJournal(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        {
          ...(afterSeq === undefined ? {} : { afterSeq: Number(afterSeq) }),
          limit: Math.min(MAX_PAGE, Math.max(1, Number(limit ?? 100))),
        },
      );
      return {
        items: page.items.map(journalEntryView),
        nextAfterSeq: page.nextAfterSeq,
        chain: chainView(page.chain),
      };
    },
  );
}
