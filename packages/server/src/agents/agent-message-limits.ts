/**
 * What the gateway accepts in an agent's messages beyond the protocol's grammar (issue 13
 * item 6: sizes and counts of everything an agent sends). The frame itself is capped by the
 * WebSocket server; here: each telemetry event's encoded size (an event is one record in the
 * pipeline, so one huge event would be one huge record), and host names that are names (they
 * are matched against targets and shown to people, so no spaces or control characters).
 */
import type { HostFacts } from '@cordon/protocol';

/** Encoded size of one telemetry event; the agent's own collectors stay far below it. */
export const MAX_TELEMETRY_EVENT_BYTES = 64 * 1024;
/** A whole frame after authentication (before it: `PreAuthLimits.maxBytes`). */
export const MAX_AUTHENTICATED_FRAME_BYTES = 16 * 1024 * 1024;

const HOSTNAME = /^[A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,252})$/;

/** Why these facts cannot be an agent's, or undefined if they can. */
export function hostFactsProblem(facts: HostFacts): string | undefined {
  if (!HOSTNAME.test(facts.hostname))
    return 'hostname must be letters, digits, ".", "-" or "_" (at most 253)';
  return undefined;
}

/** Splits a telemetry batch into the events the pipeline takes and how many were too large. */
export function boundedTelemetry(events: readonly Readonly<Record<string, unknown>>[]): {
  readonly kept: Readonly<Record<string, unknown>>[];
  readonly dropped: number;
} {
  const kept = events.filter(
    (event) => Buffer.byteLength(JSON.stringify(event)) <= MAX_TELEMETRY_EVENT_BYTES,
  );
  return { kept, dropped: events.length - kept.length };
}
