/** Playbooks and their runs, as the API takes and shows them. */
import { Type } from '@sinclair/typebox';
import { Timestamp, Uuid, closed } from './common.schema.ts';

const PlaybookId = Type.String({ pattern: '^playbook--[0-9a-fA-F-]{36}$', maxLength: 46 });

/** A CACAO document as JSON, or its text (JSON or YAML). */
export const PlaybookInput = closed({
  document: Type.Optional(Type.Unknown()),
  text: Type.Optional(Type.String({ maxLength: 1_048_576 })),
});

export const PlaybookParams = closed({ tenantId: Uuid, playbookId: PlaybookId });
export const PlaybookVersionQuery = closed({
  version: Type.Optional(Type.String({ pattern: '^[0-9]{1,6}$' })),
});

export const PlaybookProblemView = closed({
  stepId: Type.Union([Type.String(), Type.Null()]),
  code: Type.String(),
  message: Type.String(),
});

export const PlaybookValidationView = closed({
  ok: Type.Boolean(),
  problems: Type.Array(PlaybookProblemView),
});

export const PlaybookView = closed({
  id: Type.String(),
  name: Type.String(),
  description: Type.String(),
  source: Type.Union([Type.Literal('tenant'), Type.Literal('shipped')]),
  latestVersion: Type.Union([Type.Integer(), Type.Null()]),
  categories: Type.Array(Type.String()),
  techniques: Type.Array(Type.String()),
  updatedAt: Type.Union([Timestamp, Type.Null()]),
  updatedBy: Type.Union([Type.String(), Type.Null()]),
});

export const PlaybookDocumentView = closed({
  playbook: PlaybookView,
  version: Type.Union([Type.Integer(), Type.Null()]),
  document: Type.Unknown(),
});

export const PlaybookVersionView = closed({
  version: Type.Integer(),
  author: Type.String(),
  createdAt: Timestamp,
  modified: Type.String(),
});

export const PlaybookSuggestionView = closed({
  playbookId: Type.String(),
  name: Type.String(),
  score: Type.Integer(),
  reasons: Type.Array(Type.String()),
});

export const IncidentPlaybookParams = closed({ tenantId: Uuid, incidentId: Uuid });
export const RunParams = closed({ tenantId: Uuid, runId: Uuid });

export const StartRunRequest = closed({
  playbookId: PlaybookId,
  variables: Type.Optional(
    Type.Record(
      Type.String({ pattern: '^__[a-zA-Z_][a-zA-Z0-9_-]{0,199}__$' }),
      Type.Union([Type.String({ maxLength: 4096 }), Type.Number(), Type.Boolean(), Type.Null()]),
      { maxProperties: 100 },
    ),
  ),
});

export const CompleteStepRequest = closed({
  step: Type.String({ minLength: 1, maxLength: 1000 }),
  note: Type.Optional(Type.String({ maxLength: 5000 })),
});

export const DecideStepRequest = closed({
  step: Type.String({ minLength: 1, maxLength: 1000 }),
  decision: Type.Union([Type.Literal('approved'), Type.Literal('declined')]),
  reason: Type.Optional(Type.String({ maxLength: 5000 })),
});

export const RunStepView = closed({
  key: Type.String(),
  stepId: Type.String(),
  type: Type.String(),
  kind: Type.Union([Type.String(), Type.Null()]),
  name: Type.String(),
  state: Type.String(),
  actor: Type.Union([Type.String(), Type.Null()]),
  outputs: Type.Record(Type.String(), Type.Unknown()),
  startedAt: Type.Union([Timestamp, Type.Null()]),
  endedAt: Type.Union([Timestamp, Type.Null()]),
  iteration: Type.Integer(),
  detail: Type.Union([Type.String(), Type.Null()]),
  taskId: Type.Optional(Type.String()),
  actionId: Type.Optional(Type.String()),
  phase: Type.Optional(Type.String()),
  ownerRole: Type.Optional(Type.String()),
  /** The step's CACAO delay: it starts no earlier than this. */
  waitingUntil: Type.Optional(Timestamp),
  /** The step's CACAO timeout: it fails with ACTION_TIMEOUT if not completed by this. */
  timesOutAt: Type.Optional(Timestamp),
});

export const PlaybookRunView = closed({
  id: Uuid,
  incidentId: Uuid,
  playbookId: Type.String(),
  playbookVersion: Type.Integer(),
  playbookName: Type.String(),
  status: Type.String(),
  startedBy: Type.String(),
  startedAt: Timestamp,
  endedAt: Type.Union([Timestamp, Type.Null()]),
  failure: Type.Union([Type.String(), Type.Null()]),
  variables: Type.Record(Type.String(), Type.Unknown()),
  steps: Type.Array(RunStepView),
});
