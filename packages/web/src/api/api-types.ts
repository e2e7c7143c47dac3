/**
 * The API's shapes as the console sees them: derived from @cordon/protocol's schemas (type-only
 * imports, so the schemas themselves stay out of the bundle). Never copy a shape by hand.
 */
import type { Static } from '@sinclair/typebox';
import type {
  ActionList,
  ActionStateSchema,
  AgentList,
  AlertLevel,
  AlertStatus,
  AlertView,
  ErrorCode,
  ErrorResponse,
  StoredEventView,
  IncidentView,
  LiveEvent,
  LoginRequest,
  LoginResponse,
  MeResponse,
  NextPhaseView,
  NoteView,
  ObservableKind,
  ObservableView,
  MsspOverviewView,
  Phase as PhaseSchema,
  Role as RoleSchema,
  Severity as SeveritySchema,
  TaskStatus as TaskStatusSchema,
  TaskView,
  TenantView,
  TransitionResponse,
  TransitionView,
  EvidenceView,
  JournalEntryView,
  IncidentJournalView,
  CreateSuppressionRequest,
  CreateIncidentRequest,
  UpdateIncidentRequest,
  TransitionRequest,
} from '@cordon/protocol';

export type Phase = Static<typeof PhaseSchema>;
export type Severity = Static<typeof SeveritySchema>;
export type Role = Static<typeof RoleSchema>;
export type TaskStatus = Static<typeof TaskStatusSchema>;
export type ErrorCodeValue = Static<typeof ErrorCode>;
export type ApiErrorBody = Static<typeof ErrorResponse>;
export type Me = Static<typeof MeResponse>;
export type Login = Static<typeof LoginRequest>;
export type LoginResult = Static<typeof LoginResponse>;
export type Tenant = Static<typeof TenantView>;
export type Overview = Static<typeof MsspOverviewView>;
export type TenantOverview = Overview['tenants'][number];
export type Alert = AlertView;
export type AlertStatusValue = Static<typeof AlertStatus>;
export type AlertLevelValue = Static<typeof AlertLevel>;
export type Incident = Static<typeof IncidentView>;
export type NextPhase = Static<typeof NextPhaseView>;
export type Transition = Static<typeof TransitionView>;
export type TransitionResult = Static<typeof TransitionResponse>;
export type TransitionInput = Static<typeof TransitionRequest>;
export type Note = Static<typeof NoteView>;
export type Observable = Static<typeof ObservableView>;
export type ObservableKindValue = Static<typeof ObservableKind>;
export type Task = Static<typeof TaskView>;
export type Action = Static<typeof ActionList>['items'][number];
export type ActionState = Static<typeof ActionStateSchema>;
export type Agent = Static<typeof AgentList>['items'][number];
export type Evidence = Static<typeof EvidenceView>;
export type JournalEntry = Static<typeof JournalEntryView>;
export type IncidentJournal = Static<typeof IncidentJournalView>;
export type JournalChainStatus = IncidentJournal['chain'];
export type EventRecord = Static<typeof StoredEventView>;
export type Live = Static<typeof LiveEvent>;
export type NewSuppression = Static<typeof CreateSuppressionRequest>;
export type NewIncident = Static<typeof CreateIncidentRequest>;
export type IncidentChanges = Static<typeof UpdateIncidentRequest>;

/** A page as the list routes return it (`pageOf` in protocol). */
export interface Page<T> {
  readonly total: number;
  readonly items: readonly T[];
}

/** A keyset page (`keysetPageOf` in protocol): the total counted up to a bound, the next cursor. */
export interface KeysetPage<T> extends Page<T> {
  readonly totalIsLowerBound: boolean;
  readonly nextCursor: string | null;
}
