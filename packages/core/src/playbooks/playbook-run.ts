/**
 * A playbook's run on one incident, as stored: the version it runs (kept for the run's life,
 * whatever later versions say), each step's state, who moved it, its outputs and timing, and
 * where the workflow stands (cursors in branches, joins of parallel and conditional steps,
 * sub-playbook scopes with their variables). The whole position is data, so a restarted
 * server picks the run up where it stood.
 */
import type { Phase } from '../incidents/incident.ts';
import type { Role } from '../access/role.ts';
import type { ConditionValue } from './condition-expression.ts';

export const STEP_STATES = ['pending', 'running', 'waiting', 'done', 'failed', 'skipped'] as const;
export type StepState = (typeof STEP_STATES)[number];

export const PLAYBOOK_RUN_STATUSES = ['running', 'waiting', 'completed', 'failed'] as const;
export type PlaybookRunStatus = (typeof PLAYBOOK_RUN_STATUSES)[number];

export interface StepRecord {
  /** Scope prefix and step id: `action--…` at the top, `playbook-action--…/action--…` inside. */
  readonly key: string;
  readonly stepId: string;
  readonly type: string;
  /** The Cordon kind of an action step (manual, agent-action, search, approval). */
  readonly kind: string | null;
  readonly name: string;
  readonly state: StepState;
  /** Who moved the step last (a user, or `playbook:<run>` for what the runner did itself). */
  readonly actor: string | null;
  readonly outputs: Readonly<Record<string, unknown>>;
  readonly startedAt: number | null;
  readonly endedAt: number | null;
  /** How many times the step has been entered (while loops enter again). */
  readonly iteration: number;
  readonly detail: string | null;
  readonly taskId?: string;
  readonly actionId?: string;
  readonly phase?: Phase;
  readonly ownerRole?: Role;
}

export interface RunCursor {
  readonly id: string;
  readonly scope: string;
  readonly stepId: string;
  readonly join: string | null;
  /** True once the step at the cursor was started (so a resume does not start it twice). */
  readonly entered: boolean;
  readonly waiting: boolean;
  /**
   * Set on a branch sent to its playbook's `workflow_exception` steps: the failure that sent
   * it. When that path ends the run fails with it; a failure on that path fails the run.
   */
  readonly exception?: string;
  /**
   * The step's CACAO `delay`: it starts no earlier than this (epoch ms). Set when the branch
   * reaches the step, and kept once the wait is over so that the step is not delayed twice.
   */
  readonly waitingUntil?: number;
  /** The step's CACAO `timeout`: it fails if it has not completed by this (epoch ms). */
  readonly timesOutAt?: number;
}

export interface RunJoin {
  readonly id: string;
  /** Scope of the control step. */
  readonly scope: string;
  readonly stepId: string;
  readonly parent: string | null;
  readonly pending: number;
  readonly iterations: number;
  /** The scope a playbook-action's sub-playbook runs in. */
  readonly childScope?: string;
}

export interface RunScope {
  readonly playbookId: string;
  readonly version: number;
  readonly variables: Readonly<Record<string, ConditionValue>>;
}

export interface RunPosition {
  readonly cursors: readonly RunCursor[];
  readonly joins: Readonly<Record<string, RunJoin>>;
  readonly scopes: Readonly<Record<string, RunScope>>;
  readonly steps: Readonly<Record<string, StepRecord>>;
  readonly nextId: number;
  /** Steps processed over the run's life (bounded, whatever the playbook does). */
  readonly executed: number;
}

export interface PlaybookRun {
  readonly id: string;
  readonly tenantId: string;
  readonly incidentId: string;
  readonly playbookId: string;
  readonly playbookVersion: number;
  readonly playbookName: string;
  readonly status: PlaybookRunStatus;
  readonly startedBy: string;
  readonly startedAt: number;
  readonly endedAt: number | null;
  readonly failure: string | null;
  /** Bumped on every save; a save is compare-and-set on it. */
  readonly revision: number;
  readonly position: RunPosition;
}

/** A step change, as the journal records it. */
export interface StepChange {
  readonly key: string;
  readonly from: StepState;
  readonly to: StepState;
  readonly actor: string;
  readonly at: number;
  readonly iteration: number;
  readonly detail: string | null;
  readonly outputs?: Readonly<Record<string, unknown>>;
}
