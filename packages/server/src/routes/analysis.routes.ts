/**
 * The analysis phase: `GET …/incidents/{id}/timeline` (alerts, their events, related events by
 * pivot, agent actions, notes, transitions and evidence in one time-ordered list; filters by
 * kinds, time, host and user; paging) and `GET …/incidents/{id}/process-tree?host=` (Sysmon 1,
 * Security 4688 and agent process telemetry of that host). Both carry the root cause and scope
 * recorded on the incident.
 */
import type { IncidentAnalysisService, TimelineKind } from '@cordon/core';
import { CordonError, isTimelineKind } from '@cordon/core';
import {
  ProcessTreeQuery,
  ProcessTreeView,
  TimelineQuery,
  TimelineView,
  Uuid,
  closed,
} from '@cordon/protocol';
import { principalOf } from '../http/authentication.ts';
import type { App } from './route-context.ts';

const IncidentParams = closed({ tenantId: Uuid, incidentId: Uuid });
const tags = ['analysis'];

const iso = (ms: number): string => new Date(ms).toISOString();
const ms = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : Date.parse(text);
const int = (text: string | undefined): number | undefined =>
  text === undefined ? undefined : Number(text);

function kindsOf(text: string | undefined): TimelineKind[] | undefined {
  if (text === undefined) return undefined;
  const kinds = text
    .split(',')
    .map((kind) => kind.trim())
    .filter((kind) => kind !== '');
  for (const kind of kinds)
    if (!isTimelineKind(kind))
      throw new CordonError('invalid_input', `unknown timeline kind ${JSON.stringify(kind)}`);
  return kinds as TimelineKind[];
}

export function analysisRoutes(app: App, analysis: IncidentAnalysisService): void {
  const base = '/api/v1/tenants/:tenantId/incidents/:incidentId';

  app.get(
    `${base}/timeline`,
    {
      schema: {
        tags,
        params: IncidentParams,
        querystring: TimelineQuery,
        response: { 200: TimelineView },
      },
    },
    async (request) => {
      const q = request.query;
      const from = ms(q.from);
      const to = ms(q.to);
      const kinds = kindsOf(q.kinds);
      const windowMinutes = int(q.windowMinutes);
      const relatedLimit = int(q.relatedLimit);
      const limit = int(q.limit);
      const offset = int(q.offset);
      const timeline = await analysis.timeline(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        {
          ...(kinds === undefined ? {} : { kinds }),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
          ...(q.host === undefined ? {} : { host: q.host }),
          ...(q.user === undefined ? {} : { user: q.user }),
          ...(windowMinutes === undefined ? {} : { windowMinutes }),
          ...(relatedLimit === undefined ? {} : { relatedLimit }),
          ...(limit === undefined ? {} : { limit }),
          ...(offset === undefined ? {} : { offset }),
        },
      );
      return {
        incidentId: request.params.incidentId,
        findings: {
          ...timeline.findings,
          affectedAssets: [...timeline.findings.affectedAssets],
          attackTechniques: [...timeline.findings.attackTechniques],
        },
        window:
          timeline.window === null
            ? null
            : { from: iso(timeline.window.from), to: iso(timeline.window.to) },
        pivots: {
          hosts: [...timeline.pivots.hosts],
          users: [...timeline.pivots.users],
          addresses: [...timeline.pivots.addresses],
          processes: [...timeline.pivots.processes],
        },
        relatedTruncated: timeline.relatedTruncated,
        total: timeline.total,
        entries: timeline.entries.map((entry) => ({
          ...entry,
          at: iso(entry.at),
          detail: { ...entry.detail },
        })),
      };
    },
  );

  app.get(
    `${base}/process-tree`,
    {
      schema: {
        tags,
        params: IncidentParams,
        querystring: ProcessTreeQuery,
        response: { 200: ProcessTreeView },
      },
    },
    async (request) => {
      const from = ms(request.query.from);
      const to = ms(request.query.to);
      const tree = await analysis.processTree(
        principalOf(request),
        request.params.tenantId,
        request.params.incidentId,
        {
          ...(request.query.host === undefined ? {} : { host: request.query.host }),
          ...(from === undefined ? {} : { from }),
          ...(to === undefined ? {} : { to }),
        },
      );
      return {
        incidentId: request.params.incidentId,
        findings: {
          ...tree.findings,
          affectedAssets: [...tree.findings.affectedAssets],
          attackTechniques: [...tree.findings.attackTechniques],
        },
        host: tree.host,
        window: { from: iso(tree.window.from), to: iso(tree.window.to) },
        nodes: tree.nodes.map((node) => ({
          ...node,
          startedAt: node.startedAt === null ? null : iso(node.startedAt),
        })),
        truncated: tree.truncated,
      };
    },
  );
}
