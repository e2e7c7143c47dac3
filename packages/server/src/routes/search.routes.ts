/**
 * Event search: `POST …/events/search` (query, time range, sort, paging) answers
 * `{ total, totalIsLowerBound, events }`; `…/events/count`, `…/events/terms` (counts by field),
 * `…/events/histogram` (counts over time), `GET …/events/:eventId`, and the tenant's retention
 * (`GET|PUT …/events/retention`, days or null). Queries go in a body,
 * not the URL, so they stay out of access logs and have room to grow. Search, count, terms
 * and histogram are admitted against the tenant's search share (fairness/admission-hook.ts).
 */
import type { StoredEvent } from '@cordon/core';
import {
  EventCountResponse,
  EventFilterRequest,
  EventHistogramRequest,
  EventHistogramResponse,
  EventParams,
  EventRetentionView,
  EventSearchRequest,
  EventSearchResponse,
  EventTermsRequest,
  EventTermsResponse,
  StoredEventView,
  TenantParams,
} from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import { iso, msOf } from '../http/views.ts';
import type { App, Services } from './route-context.ts';

const tags = ['events'];
const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

const storedEventView = (e: StoredEvent) => ({
  id: e.id,
  timestamp: iso(e.timestamp),
  ingestedAt: iso(e.ingestedAt),
  event: e.event,
  provenance: e.provenance,
});

const filterOf = (body: { query?: string; from?: string; to?: string }) => ({
  query: body.query,
  from: body.from === undefined ? undefined : msOf(body.from),
  to: body.to === undefined ? undefined : msOf(body.to),
});

/** `5m` → 300000 (the schema has checked the form). */
const intervalMs = (text: string): number =>
  Number(text.slice(0, -1)) * UNIT_MS[text.slice(-1) as keyof typeof UNIT_MS];

export function searchRoutes(app: App, { events }: Services): void {
  const base = '/api/v1/tenants/:tenantId/events';

  app.post(
    `${base}/search`,
    {
      config: { admission: 'search' },
      schema: {
        tags,
        params: TenantParams,
        body: EventSearchRequest,
        response: { 200: EventSearchResponse },
      },
    },
    async (request) => {
      const { sort, limit, offset, ...filter } = request.body;
      const result = await events.search(principalOf(request), request.params.tenantId, {
        ...filterOf(filter),
        sort,
        limit,
        offset,
      });
      return {
        total: result.total,
        totalIsLowerBound: result.totalIsLowerBound,
        events: result.events.map(storedEventView),
      };
    },
  );

  app.post(
    `${base}/count`,
    {
      config: { admission: 'search' },
      schema: {
        tags,
        params: TenantParams,
        body: EventFilterRequest,
        response: { 200: EventCountResponse },
      },
    },
    async (request) => ({
      count: await events.count(
        principalOf(request),
        request.params.tenantId,
        filterOf(request.body),
      ),
    }),
  );

  app.post(
    `${base}/terms`,
    {
      config: { admission: 'search' },
      schema: {
        tags,
        params: TenantParams,
        body: EventTermsRequest,
        response: { 200: EventTermsResponse },
      },
    },
    async (request) => {
      const { field, size, ...filter } = request.body;
      const terms = await events.terms(principalOf(request), request.params.tenantId, {
        ...filterOf(filter),
        field,
        size,
      });
      return { field, terms };
    },
  );

  app.post(
    `${base}/histogram`,
    {
      config: { admission: 'search' },
      schema: {
        tags,
        params: TenantParams,
        body: EventHistogramRequest,
        response: { 200: EventHistogramResponse },
      },
    },
    async (request) => {
      const { interval, ...filter } = request.body;
      const histogram = await events.histogram(principalOf(request), request.params.tenantId, {
        ...filterOf(filter),
        intervalMs: interval === undefined ? undefined : intervalMs(interval),
      });
      return {
        intervalMs: histogram.intervalMs,
        buckets: histogram.buckets.map((b) => ({ start: iso(b.start), count: b.count })),
      };
    },
  );

  app.get(
    `${base}/retention`,
    { schema: { tags, params: TenantParams, response: { 200: EventRetentionView } } },
    async (request) => ({
      days: await events.retention(principalOf(request), request.params.tenantId),
    }),
  );

  app.put(
    `${base}/retention`,
    {
      schema: {
        tags,
        params: TenantParams,
        body: EventRetentionView,
        response: { 200: EventRetentionView },
      },
    },
    async (request) => {
      await events.setRetention(principalOf(request), request.params.tenantId, request.body.days);
      return { days: request.body.days };
    },
  );

  app.get(
    `${base}/:eventId`,
    { schema: { tags, params: EventParams, response: { 200: StoredEventView } } },
    async (request) =>
      storedEventView(
        await events.event(principalOf(request), request.params.tenantId, request.params.eventId),
      ),
  );
}
