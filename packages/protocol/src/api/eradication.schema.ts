/** The eradication phase of an incident: its steps, their states, and waivers of actions. */
import { Type } from '@sinclair/typebox';
import { Timestamp, Uuid, closed, literals } from './common.schema.ts';

export const EradicationStepView = closed({
  kind: literals(['task', 'action']),
  id: Uuid,
  /** A task's title, or an action's kind (`remove-persistence`, `quarantine-file`). */
  title: Type.String(),
  state: literals(['done', 'waived', 'pending', 'failed']),
});

export const ActionWaiverView = closed({
  actionId: Uuid,
  incidentId: Uuid,
  reason: Type.String(),
  waivedBy: Type.String(),
  waivedAt: Timestamp,
});

export const EradicationView = closed({
  steps: Type.Array(EradicationStepView),
  waivers: Type.Array(ActionWaiverView),
  /** What the eradicated guard would report now; empty: the incident may move on. */
  unmet: Type.Array(Type.String()),
});

export const WaiveActionRequest = closed({
  reason: Type.String({ minLength: 1, maxLength: 2000 }),
});
