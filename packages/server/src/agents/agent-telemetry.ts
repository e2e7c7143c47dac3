/**
 * Agent telemetry as ingestion records. Tailed log lines go in as the line itself, so the
 * pipeline parses them like the same line arriving by syslog (sshd failures, host name, time);
 * process and connection events are already ECS-shaped and go in as JSON.
 */
export function agentTelemetryRecords(
  events: readonly Readonly<Record<string, unknown>>[],
): string[] {
  return events.map((event) => {
    const meta = event['event'] as { dataset?: unknown; original?: unknown } | undefined;
    if (meta?.dataset === 'agent.log' && typeof meta.original === 'string') return meta.original;
    return JSON.stringify(event);
  });
}
