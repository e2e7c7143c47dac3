/**
 * Agent telemetry as ingestion records. Tailed log lines go in as the line itself, so the
 * pipeline parses them like the same line arriving by syslog (sshd failures, host name, time);
 * process and connection events are already ECS-shaped and go in as JSON. Every event keeps the
 * agent as its provenance: the one source that confirms its own host for auto-containment.
 */
import type { EventProvenance } from '@cordon/core';

/** What `IngestPipeline.submitRecords` takes for one telemetry message of an agent. */
export function agentTelemetrySubmission(
  agent: { readonly agentId: string; readonly host: string | null },
  events: readonly Readonly<Record<string, unknown>>[],
): { source: 'agent'; provenance: EventProvenance; records: string[] } {
  return {
    source: 'agent',
    provenance: { kind: 'agent', agentId: agent.agentId, host: agent.host },
    records: agentTelemetryRecords(events),
  };
}

export function agentTelemetryRecords(
  events: readonly Readonly<Record<string, unknown>>[],
): string[] {
  return events.map((event) => {
    const meta = event['event'] as { dataset?: unknown; original?: unknown } | undefined;
    if (meta?.dataset === 'agent.log' && typeof meta.original === 'string') return meta.original;
    return JSON.stringify(event);
  });
}
