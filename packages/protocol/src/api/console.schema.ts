/**
 * What the console needs beyond the resource API: the next phase's guard as a preview, and the
 * live-update events pushed over server-sent events.
 */
import { Type } from '@sinclair/typebox';
import { Phase } from './incident.schema.ts';
import { Timestamp, Uuid, closed, literals } from './common.schema.ts';

export const NextPhaseQuery = closed({ to: Type.Optional(Phase) });

/** What moving to the next phase needs, as the phase guard would judge it now. */
export const NextPhaseView = closed({
  from: Phase,
  to: Type.Union([Phase, Type.Null()]),
  check: literals(['allowed', 'guarded', 'invalid', 'final']),
  unmet: Type.Array(Type.String()),
  reason: Type.Union([Type.String(), Type.Null()]),
});

/** Which part of the console a change touches (from the journal entry's kind). */
export const LiveTopic = literals([
  'alert',
  'incident',
  'action',
  'agent',
  'asset',
  'detection',
  'other',
]);

/** One server-sent event: `id` is the tenant journal's sequence number (Last-Event-ID resumes). */
export const LiveEvent = closed({
  seq: Type.Integer(),
  at: Timestamp,
  kind: Type.String(),
  topic: LiveTopic,
  incidentId: Type.Union([Uuid, Type.Null()]),
});
