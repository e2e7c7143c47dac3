/**
 * The response workflow's shapes (identification, containment decisions, playbook runs,
 * analysis, eradication, recovery, verification, closure) as the console sees them: derived from
 * @cordon/protocol's schemas with type-only imports, never copied by hand.
 */
import type { Static } from '@sinclair/typebox';
import type {
  AttackCategoryName,
  CheckView,
  ChangeRecordList,
  ClosureView,
  ContainmentOptionsView,
  CreateDecisionBody,
  DecisionView,
  EradicationView,
  FactKind,
  IdentificationCorrectionRequest,
  IdentificationView,
  PlaybookRunView,
  PlaybookSuggestionView,
  PlaybookView,
  ProcessTreeView,
  ReleasePlanView,
  RestoreView,
  TimelineView,
} from '@cordon/protocol';

export type Identification = Static<typeof IdentificationView>;
export type IdentificationCorrection = Static<typeof IdentificationCorrectionRequest>;
export type FactKindValue = Static<typeof FactKind>;
export type AttackCategory = Static<typeof AttackCategoryName>;
export type FactSource = Identification['techniques'][number]['sources'][number];
export type ContainmentOptions = Static<typeof ContainmentOptionsView>;
export type AssetOptions = ContainmentOptions['assets'][number];
export type ContainmentOption = AssetOptions['options'][number];
export type NewDecision = Static<typeof CreateDecisionBody>;
export type Decision = Static<typeof DecisionView>;
export type Playbook = Static<typeof PlaybookView>;
export type PlaybookSuggestion = Static<typeof PlaybookSuggestionView>;
export type PlaybookRun = Static<typeof PlaybookRunView>;
export type RunStep = PlaybookRun['steps'][number];
export type Eradication = Static<typeof EradicationView>;
export type ChangeRecords = Static<typeof ChangeRecordList>;
export type Restore = Static<typeof RestoreView>;
export type ReleasePlan = Static<typeof ReleasePlanView>;
export type VerificationCheck = Static<typeof CheckView>;
export type Closure = Static<typeof ClosureView>;
export type Timeline = Static<typeof TimelineView>;
export type TimelineEntry = Timeline['entries'][number];
export type ProcessTree = Static<typeof ProcessTreeView>;
