/**
 * Moves a playbook run forward: from each cursor, runs steps until every branch waits (for a
 * person, an agent action or an approval) or the run ends. CACAO's control steps keep their
 * meaning: an if-, switch- or while-condition runs its branch to that branch's end step and
 * then goes on from its own `on_completion`; a parallel step goes on once every branch has
 * reached its end; a playbook-action runs a sub-playbook (bounded depth) in a scope of its own
 * and copies its `out_args` back. A while loop is bounded, and so is the number of steps a run
 * may execute. A step's CACAO `delay` holds its branch (the time it may start is kept in the
 * run's position, so a restart neither skips nor restarts the wait) and an action step's
 * `timeout` fails it with ACTION_TIMEOUT on its `on_failure` path; `runWakeAt` tells the caller
 * when to call `advance` again for them. Nothing here does I/O: what reaches outside goes through `RunEffects`, and
 * `save` is called before each effect that cannot be undone, so a crash between the two is
 * found again on resume (an agent action is looked up by its marker before it is requested
 * again).
 */
import type { ActionState } from '../containment/containment-action.ts';
import type { Phase } from '../incidents/incident.ts';
import type { ConditionValue } from './condition-expression.ts';
import { evaluateCondition, isTruthy, parseCondition } from './condition-expression.ts';
import type { CordonStep } from './cordon-step.ts';
import { readCordonStep } from './cordon-step.ts';
import type { CacaoPlaybook, CacaoStep } from './playbook-document.ts';
import type {
  PlaybookRun,
  RunCursor,
  RunJoin,
  RunPosition,
  RunScope,
  StepChange,
  StepRecord,
  StepState,
} from './playbook-run.ts';

export const RUN_LIMITS = {
  maxWhileIterations: 25,
  maxSubPlaybookDepth: 3,
  maxExecutedSteps: 5000,
} as const;

export interface NewRunTask {
  readonly id: string;
  readonly phase: Phase;
  readonly title: string;
}

export interface RunEffects {
  now(): number;
  newId(): string;
  /** Queues an agent action for the incident; throws a user error when it cannot be queued. */
  requestAction(input: {
    readonly host: string;
    readonly action: Readonly<Record<string, unknown>>;
    readonly requiresApproval: boolean;
    readonly marker: string;
  }): Promise<{ readonly actionId: string; readonly state: ActionState }>;
  /** The action queued with `marker`, if one was (resume after a crash). */
  findAction(
    marker: string,
  ): Promise<{ readonly actionId: string; readonly state: ActionState } | undefined>;
  actionState(actionId: string): Promise<ActionState | undefined>;
  search(input: {
    readonly query: string;
    readonly from: number | undefined;
  }): Promise<{ readonly count: number; readonly hits: readonly string[] }>;
  /** The newest version of a tenant playbook (sub-playbooks). */
  loadPlaybook(
    playbookId: string,
  ): Promise<{ readonly playbook: CacaoPlaybook; readonly version: number } | undefined>;
  /** Stores the run with what changed (one transaction, compare-and-set on the revision). */
  save(run: PlaybookRun, writes: RunWrites): Promise<PlaybookRun>;
}

/** What a save writes besides the run: journal entries, new tasks, tasks a person completed. */
export interface RunWrites {
  readonly changes: readonly StepChange[];
  readonly newTasks: readonly NewRunTask[];
  readonly doneTasks: readonly { readonly taskId: string; readonly actor: string }[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
const FINAL_SUCCESS: readonly ActionState[] = ['applied'];
const FINAL_FAILURE: readonly ActionState[] = ['failed', 'rolled-back', 'reverted'];

export function actionOutcome(state: ActionState): 'success' | 'failure' | 'pending' {
  if (FINAL_SUCCESS.includes(state)) return 'success';
  if (FINAL_FAILURE.includes(state)) return 'failure';
  return 'pending';
}

/** The records a fresh scope starts with: every step pending. */
export function pendingRecords(scope: string, playbook: CacaoPlaybook): Record<string, StepRecord> {
  const records: Record<string, StepRecord> = {};
  for (const [stepId, step] of Object.entries(playbook.workflow)) {
    const cordon = step.type === 'action' ? readCordonStep(stepId, step) : undefined;
    records[scope + stepId] = {
      key: scope + stepId,
      stepId,
      type: step.type,
      kind: cordon?.ok ? cordon.step.kind : null,
      name: step.name ?? stepId,
      state: 'pending',
      actor: null,
      outputs: {},
      startedAt: null,
      endedAt: null,
      iteration: 0,
      detail: null,
      ...(cordon?.ok && cordon.step.kind === 'manual'
        ? { phase: cordon.step.phase, ownerRole: cordon.step.ownerRole }
        : {}),
    };
  }
  return records;
}

/** Variables a scope starts with: the playbook's declared values (typed), then the given ones. */
export function initialVariables(
  playbook: CacaoPlaybook,
  given: Readonly<Record<string, ConditionValue>>,
): Record<string, ConditionValue> {
  const variables: Record<string, ConditionValue> = {};
  for (const [name, variable] of Object.entries(playbook.playbook_variables ?? {}))
    variables[name] = typedValue(variable.type, variable.value ?? null);
  return { ...variables, ...given };
}

function typedValue(type: string, value: string | null): ConditionValue {
  if (value === null) return null;
  if (['integer', 'long', 'float'].includes(type) && /^-?[0-9]+(\.[0-9]+)?$/.test(value))
    return Number(value);
  if (type === 'bool') return value === 'true';
  return value;
}

const VARIABLE_IN_TEXT = /__[a-zA-Z_][a-zA-Z0-9_-]{0,199}?__/g;

/** A variable's value in a search query: a quoted phrase, so a value cannot add operators. */
const quoted = (value: ConditionValue): string =>
  `"${String(value ?? '').replace(/["\\]/g, (c) => `\\${c}`)}"`;

type WorkingPosition = Mutable<Omit<RunPosition, 'cursors' | 'joins' | 'scopes' | 'steps'>> & {
  cursors: Mutable<RunCursor>[];
  joins: Record<string, Mutable<RunJoin>>;
  scopes: Record<string, Mutable<RunScope>>;
  steps: Record<string, StepRecord>;
};

export class PlaybookRunEngine {
  #run: Mutable<PlaybookRun>;
  readonly #position: WorkingPosition;
  readonly #documents: Map<string, CacaoPlaybook>;
  readonly #effects: RunEffects;
  readonly #actor: string;
  #changes: StepChange[] = [];
  #tasks: NewRunTask[] = [];
  #doneTasks: { taskId: string; actor: string }[] = [];

  /** `documents`: the playbook of each scope of the run (by scope prefix). */
  constructor(run: PlaybookRun, documents: Map<string, CacaoPlaybook>, effects: RunEffects) {
    this.#run = { ...run };
    this.#position = structuredClone(run.position) as WorkingPosition;
    this.#documents = documents;
    this.#effects = effects;
    this.#actor = `playbook:${run.id}`;
  }

  get run(): PlaybookRun {
    return this.#run;
  }

  /** Completes a waiting manual step (a person did it). */
  completeManual(key: string, actor: string, note: string | null): void {
    const cursor = this.#waitingCursor(key, 'manual');
    const taskId = this.#position.steps[key]!.taskId;
    if (taskId !== undefined) this.#doneTasks.push({ taskId, actor });
    this.#finish(cursor, true, actor, note, note ? { note } : {});
  }

  /** Approves or declines a waiting approval step. */
  decide(
    key: string,
    decision: 'approved' | 'declined',
    actor: string,
    reason: string | null,
  ): void {
    const cursor = this.#waitingCursor(key, 'approval');
    const step = this.#cordon(cursor);
    const outputs = { decision, by: actor, ...(reason ? { reason } : {}) };
    if (step.kind === 'approval' && step.outputs.decision)
      this.#setVariable(cursor.scope, step.outputs.decision, decision);
    this.#finish(cursor, decision === 'approved', actor, reason ?? decision, outputs);
  }

  /** An agent action reached a state; finishes the step waiting on it when the state is final. */
  actionChanged(actionId: string, state: ActionState): boolean {
    const outcome = actionOutcome(state);
    if (outcome === 'pending') return false;
    const cursor = this.#position.cursors.find(
      (c) => c.waiting && this.#position.steps[c.scope + c.stepId]?.actionId === actionId,
    );
    if (!cursor) return false;
    this.#finish(cursor, outcome === 'success', this.#actor, `agent action ${state}`, {
      actionState: state,
    });
    return true;
  }

  /** Whether a delay is over or a timeout has passed (`advance` then has work to do). */
  isDue(): boolean {
    const at = runWakeAt(this.#position);
    return at !== undefined && at <= this.#effects.now();
  }

  /** Runs every branch that can move until each waits or the run ends; then saves. */
  async advance(): Promise<PlaybookRun> {
    this.#releaseDue();
    for (;;) {
      if (this.#run.status === 'completed' || this.#run.status === 'failed') break;
      const cursor = this.#position.cursors.find((c) => !c.waiting);
      if (!cursor) {
        this.#run.status = 'waiting';
        break;
      }
      this.#run.status = 'running';
      if (++this.#position.executed > RUN_LIMITS.maxExecutedSteps) {
        this.#failRun(`more than ${RUN_LIMITS.maxExecutedSteps} steps executed`);
        break;
      }
      await this.#step(cursor);
    }
    return this.#save();
  }

  /** Ends the delays that are over and fails the steps whose timeout has passed. */
  #releaseDue(): void {
    const now = this.#effects.now();
    for (const cursor of [...this.#position.cursors]) {
      if (!this.#position.cursors.includes(cursor) || !cursor.waiting) continue;
      if (cursor.timesOutAt !== undefined && cursor.timesOutAt <= now) this.#timeOut(cursor);
      else if (!cursor.entered && cursor.waitingUntil !== undefined && cursor.waitingUntil <= now)
        cursor.waiting = false;
    }
  }

  /** CACAO's ACTION_TIMEOUT: the step fails, and its on_failure (if any) goes on. */
  #timeOut(cursor: Mutable<RunCursor>): void {
    const key = cursor.scope + cursor.stepId;
    const timeout = this.#stepOf(cursor).timeout ?? 0;
    this.#finish(
      cursor,
      false,
      this.#actor,
      `ACTION_TIMEOUT: step ${key} did not complete within ${timeout} ms`,
      { timedOut: true },
    );
  }

  async #save(): Promise<PlaybookRun> {
    const run: PlaybookRun = { ...this.#run, position: structuredClone(this.#position) };
    const saved = await this.#effects.save(run, {
      changes: this.#changes,
      newTasks: this.#tasks,
      doneTasks: this.#doneTasks,
    });
    this.#changes = [];
    this.#tasks = [];
    this.#doneTasks = [];
    this.#run = { ...saved };
    return saved;
  }

  #waitingCursor(key: string, kind: string): Mutable<RunCursor> {
    const record = this.#position.steps[key];
    const cursor = this.#position.cursors.find((c) => c.waiting && c.scope + c.stepId === key);
    if (!record || !cursor || record.kind !== kind || record.state !== 'waiting')
      throw new RunStepError(`step ${key} is not waiting as a ${kind} step in this run`);
    return cursor;
  }

  #document(scope: string): CacaoPlaybook {
    const document = this.#documents.get(scope);
    if (!document) throw new Error(`no playbook loaded for scope "${scope}"`);
    return document;
  }

  #stepOf(cursor: RunCursor): CacaoStep {
    return this.#document(cursor.scope).workflow[cursor.stepId]!;
  }

  #cordon(cursor: RunCursor): CordonStep {
    const read = readCordonStep(cursor.stepId, this.#stepOf(cursor));
    if (!read.ok)
      throw new Error(`validated step ${cursor.stepId} unreadable: ${read.problem.message}`);
    return read.step;
  }

  #variables(scope: string, step?: CacaoStep): Record<string, ConditionValue> {
    const local: Record<string, ConditionValue> = {};
    for (const [name, variable] of Object.entries(step?.step_variables ?? {}))
      local[name] = typedValue(variable.type, variable.value ?? null);
    return { ...local, ...this.#position.scopes[scope]!.variables };
  }

  #setVariable(scope: string, name: string, value: ConditionValue): void {
    const target = this.#position.scopes[scope]!;
    target.variables = { ...target.variables, [name]: value };
  }

  #record(
    key: string,
    to: StepState,
    actor: string,
    changes: Partial<StepRecord> & { detail?: string | null } = {},
  ): void {
    const before = this.#position.steps[key]!;
    const at = this.#effects.now();
    const entering =
      to !== 'skipped' &&
      to !== 'pending' &&
      before.state !== 'running' &&
      before.state !== 'waiting';
    const next: StepRecord = {
      ...before,
      ...changes,
      state: to,
      actor,
      startedAt: entering ? at : before.startedAt,
      endedAt: to === 'done' || to === 'failed' || to === 'skipped' ? at : null,
      iteration: entering ? before.iteration + 1 : before.iteration,
    };
    this.#position.steps[key] = next;
    this.#changes.push({
      key,
      from: before.state,
      to,
      actor,
      at,
      iteration: next.iteration,
      detail: changes.detail ?? null,
      ...(changes.outputs && Object.keys(changes.outputs).length > 0
        ? { outputs: changes.outputs }
        : {}),
    });
  }

  #moveTo(
    cursor: Mutable<RunCursor>,
    next: string | undefined,
    failedBecause: string | null,
  ): void {
    if (next === undefined) {
      if (failedBecause !== null) this.#failOrHandle(cursor, failedBecause);
      else this.#finishBranch(cursor);
      return;
    }
    cursor.stepId = next;
    cursor.entered = false;
    cursor.waiting = false;
    delete cursor.waitingUntil;
    delete cursor.timesOutAt;
  }

  /**
   * A step failed with nowhere to go: its playbook's `workflow_exception` steps run first (once:
   * a failure on that path, or its end, fails the run with the first failure).
   */
  #failOrHandle(cursor: RunCursor, reason: string): void {
    const handler = this.#document(cursor.scope).workflow_exception;
    if (handler === undefined || cursor.exception !== undefined) return this.#failRun(reason);
    this.#removeCursor(cursor);
    this.#addCursor(cursor.scope, handler, cursor.join, reason);
  }

  #finish(
    cursor: Mutable<RunCursor>,
    success: boolean,
    actor: string,
    detail: string | null,
    outputs: Record<string, unknown>,
  ): void {
    const key = cursor.scope + cursor.stepId;
    const step = this.#stepOf(cursor);
    this.#record(key, success ? 'done' : 'failed', actor, { detail, outputs });
    const next = success ? (step.on_success ?? step.on_completion) : step.on_failure;
    this.#moveTo(
      cursor,
      next,
      success ? null : `step ${key} failed: ${detail ?? 'no reason given'}`,
    );
  }

  #removeCursor(cursor: RunCursor): void {
    this.#position.cursors = this.#position.cursors.filter((c) => c.id !== cursor.id);
  }

  #addCursor(scope: string, stepId: string, join: string | null, exception?: string): void {
    this.#position.cursors.push({
      id: `c${this.#position.nextId++}`,
      scope,
      stepId,
      join,
      entered: false,
      waiting: false,
      ...(exception === undefined ? {} : { exception }),
    });
  }

  #addJoin(join: Omit<RunJoin, 'id'>): string {
    const id = `j${this.#position.nextId++}`;
    this.#position.joins[id] = { id, ...join };
    return id;
  }

  #finishBranch(cursor: RunCursor): void {
    if (cursor.exception !== undefined) return this.#failRun(cursor.exception);
    this.#removeCursor(cursor);
    if (cursor.join === null) return this.#completeRun();
    const join = this.#position.joins[cursor.join]!;
    join.pending -= 1;
    if (join.pending > 0) return;
    const control: RunCursor = {
      id: 'join',
      scope: join.scope,
      stepId: join.stepId,
      join: join.parent,
      entered: true,
      waiting: false,
    };
    const step = this.#stepOf(control);
    const key = join.scope + join.stepId;
    if (step.type === 'while-condition') {
      const again = this.#evaluate(join.scope, step, step.condition!);
      if (again && join.iterations >= RUN_LIMITS.maxWhileIterations) {
        delete this.#position.joins[join.id];
        this.#record(key, 'failed', this.#actor, {
          detail: `more than ${RUN_LIMITS.maxWhileIterations} iterations`,
        });
        return this.#continueAfter(
          control,
          step,
          false,
          `step ${key} ran more than ${RUN_LIMITS.maxWhileIterations} iterations`,
        );
      }
      if (again) {
        join.pending = 1;
        join.iterations += 1;
        this.#addCursor(join.scope, step.on_true!, join.id);
        return;
      }
    }
    if (step.type === 'playbook-action' && join.childScope !== undefined) {
      const child = this.#position.scopes[join.childScope]!;
      const outputs: Record<string, ConditionValue> = {};
      for (const name of step.out_args ?? []) {
        outputs[name] = child.variables[name] ?? null;
        this.#setVariable(join.scope, name, outputs[name]);
      }
      delete this.#position.joins[join.id];
      this.#record(key, 'done', this.#actor, { outputs });
      return this.#continueAfter(control, step, true, null);
    }
    delete this.#position.joins[join.id];
    this.#record(key, 'done', this.#actor, {
      detail: step.type === 'while-condition' ? `${join.iterations} iterations` : null,
    });
    this.#continueAfter(control, step, true, null);
  }

  /** Goes on from a control step whose branches are done, in the control step's own branch. */
  #continueAfter(
    control: RunCursor,
    step: CacaoStep,
    success: boolean,
    failure: string | null,
  ): void {
    const next = success ? (step.on_success ?? step.on_completion) : step.on_failure;
    if (next === undefined) {
      if (!success) return this.#failOrHandle(control, failure ?? `step ${control.stepId} failed`);
      const cursor = { ...control, id: `c${this.#position.nextId++}` };
      return this.#finishBranch(cursor);
    }
    this.#addCursor(control.scope, next, control.join);
  }

  #evaluate(scope: string, step: CacaoStep, text: string): boolean {
    return isTruthy(evaluateCondition(parseCondition(text), this.#variables(scope, step)));
  }

  #completeRun(): void {
    if (this.#position.cursors.length > 0) return;
    this.#run.status = 'completed';
    this.#run.endedAt = this.#effects.now();
    this.#skipRest('not on the path taken');
  }

  #failRun(reason: string): void {
    this.#run.status = 'failed';
    this.#run.failure = reason;
    this.#run.endedAt = this.#effects.now();
    this.#position.cursors = [];
    this.#skipRest('the run failed');
  }

  #skipRest(detail: string): void {
    for (const record of Object.values(this.#position.steps))
      if (record.state === 'pending' || record.state === 'waiting' || record.state === 'running')
        this.#record(record.key, 'skipped', this.#actor, { detail });
  }

  async #step(cursor: Mutable<RunCursor>): Promise<void> {
    const step = this.#stepOf(cursor);
    const key = cursor.scope + cursor.stepId;
    if (step.delay !== undefined && step.delay > 0 && cursor.waitingUntil === undefined) {
      // Stored with the run before anything waits on it, so a restart keeps the same deadline.
      const until = this.#effects.now() + step.delay;
      cursor.waitingUntil = until;
      cursor.waiting = true;
      this.#record(key, 'pending', this.#actor, {
        detail: `delayed until ${new Date(until).toISOString()}`,
      });
      return;
    }
    // Validation allows a timeout on action steps only: the others hold no cursor while they run.
    if (step.type === 'action' && step.timeout !== undefined && cursor.timesOutAt === undefined)
      cursor.timesOutAt = this.#effects.now() + step.timeout;
    switch (step.type) {
      case 'start':
        this.#record(key, 'done', this.#actor);
        return this.#moveTo(cursor, step.on_completion, null);
      case 'end':
        this.#record(key, 'done', this.#actor);
        return this.#finishBranch(cursor);
      case 'action':
        return this.#action(cursor, step, key);
      case 'parallel': {
        this.#record(key, 'running', this.#actor);
        this.#removeCursor(cursor);
        const join = this.#addJoin({
          scope: cursor.scope,
          stepId: cursor.stepId,
          parent: cursor.join,
          pending: step.next_steps!.length,
          iterations: 1,
        });
        for (const next of step.next_steps!) this.#addCursor(cursor.scope, next, join);
        return;
      }
      case 'if-condition':
      case 'while-condition': {
        const result = this.#evaluate(cursor.scope, step, step.condition!);
        const branch = result
          ? step.on_true
          : step.type === 'if-condition'
            ? step.on_false
            : undefined;
        if (branch === undefined) {
          this.#record(key, 'done', this.#actor, {
            outputs: { result },
            detail: `condition ${result}`,
          });
          return this.#moveTo(cursor, step.on_success ?? step.on_completion, null);
        }
        this.#record(key, 'running', this.#actor, {
          outputs: { result },
          detail: `condition ${result}`,
        });
        this.#removeCursor(cursor);
        const join = this.#addJoin({
          scope: cursor.scope,
          stepId: cursor.stepId,
          parent: cursor.join,
          pending: 1,
          iterations: 1,
        });
        this.#addCursor(cursor.scope, branch, join);
        return;
      }
      case 'switch-condition': {
        const value = evaluateCondition(
          parseCondition(step.switch!),
          this.#variables(cursor.scope, step),
        );
        const cases = step.cases ?? {};
        const text = String(value);
        const branch = Object.hasOwn(cases, text) ? cases[text] : cases['default'];
        if (branch === undefined) {
          this.#record(key, 'done', this.#actor, {
            outputs: { value: text },
            detail: 'no case matched',
          });
          return this.#moveTo(cursor, step.on_success ?? step.on_completion, null);
        }
        this.#record(key, 'running', this.#actor, { outputs: { value: text } });
        this.#removeCursor(cursor);
        const join = this.#addJoin({
          scope: cursor.scope,
          stepId: cursor.stepId,
          parent: cursor.join,
          pending: 1,
          iterations: 1,
        });
        this.#addCursor(cursor.scope, branch, join);
        return;
      }
      case 'playbook-action':
        return this.#subPlaybook(cursor, step, key);
    }
  }

  async #subPlaybook(cursor: Mutable<RunCursor>, step: CacaoStep, key: string): Promise<void> {
    const depth = cursor.scope === '' ? 0 : cursor.scope.split('/').length - 1;
    if (depth + 1 > RUN_LIMITS.maxSubPlaybookDepth) {
      this.#record(key, 'failed', this.#actor, {
        detail: `sub-playbooks nest at most ${RUN_LIMITS.maxSubPlaybookDepth} deep`,
      });
      return this.#moveTo(cursor, step.on_failure, `step ${key}: sub-playbooks nest too deep`);
    }
    const loaded = await this.#effects.loadPlaybook(step.playbook_id!);
    if (!loaded) {
      this.#record(key, 'failed', this.#actor, {
        detail: `playbook ${step.playbook_id} is not stored for this tenant`,
      });
      return this.#moveTo(
        cursor,
        step.on_failure,
        `step ${key}: playbook ${step.playbook_id} not found`,
      );
    }
    const scope = `${key}/`;
    const parentVariables = this.#variables(cursor.scope, step);
    const given: Record<string, ConditionValue> = {};
    for (const [name, value] of Object.entries(parentVariables))
      if (
        name.startsWith('__incident_') ||
        name === '__affected_host__' ||
        name === '__origin_address__' ||
        (step.in_args ?? []).includes(name)
      )
        given[name] = value;
    this.#documents.set(scope, loaded.playbook);
    this.#position.scopes[scope] = {
      playbookId: loaded.playbook.id,
      version: loaded.version,
      variables: initialVariables(loaded.playbook, given),
    };
    Object.assign(this.#position.steps, pendingRecords(scope, loaded.playbook));
    this.#record(key, 'running', this.#actor, {
      detail: `${loaded.playbook.name} v${loaded.version}`,
    });
    this.#removeCursor(cursor);
    const join = this.#addJoin({
      scope: cursor.scope,
      stepId: cursor.stepId,
      parent: cursor.join,
      pending: 1,
      iterations: 1,
      childScope: scope,
    });
    this.#addCursor(scope, loaded.playbook.workflow_start, join);
  }

  async #action(cursor: Mutable<RunCursor>, step: CacaoStep, key: string): Promise<void> {
    const cordon = this.#cordon(cursor);
    const variables = this.#variables(cursor.scope, step);
    const substitute = (text: string): string =>
      text.replace(VARIABLE_IN_TEXT, (name) => String(variables[name] ?? ''));
    switch (cordon.kind) {
      case 'manual': {
        const taskId = this.#effects.newId();
        this.#tasks.push({ id: taskId, phase: cordon.phase, title: cordon.title });
        this.#record(key, 'waiting', this.#actor, {
          taskId,
          detail: `task for ${cordon.ownerRole} (${cordon.phase})`,
        });
        cursor.entered = true;
        cursor.waiting = true;
        return;
      }
      case 'approval':
        this.#record(key, 'waiting', this.#actor, { detail: cordon.question });
        cursor.entered = true;
        cursor.waiting = true;
        return;
      case 'search': {
        const query = cordon.query.replace(/__[a-zA-Z_][a-zA-Z0-9_-]{0,199}?__/g, (name) =>
          quoted(variables[name] ?? null),
        );
        this.#record(key, 'running', this.#actor, { detail: query });
        try {
          const from =
            cordon.windowHours === null
              ? undefined
              : this.#run.startedAt - cordon.windowHours * 3_600_000;
          const result = await this.#effects.search({ query, from });
          if (cursor.timesOutAt !== undefined && this.#effects.now() > cursor.timesOutAt)
            return this.#timeOut(cursor);
          const hits = result.hits.slice(0, 20);
          if (cordon.outputs.count)
            this.#setVariable(cursor.scope, cordon.outputs.count, result.count);
          if (cordon.outputs.hits)
            this.#setVariable(cursor.scope, cordon.outputs.hits, hits.join(','));
          this.#finish(cursor, true, this.#actor, `${result.count} events`, {
            count: result.count,
            hits,
          });
        } catch (error) {
          this.#finish(
            cursor,
            false,
            this.#actor,
            `search failed: ${(error as Error).message}`,
            {},
          );
        }
        return;
      }
      case 'agent-action': {
        const marker = `playbook run ${this.#run.id} step ${key} #${this.#position.steps[key]!.iteration + (cursor.entered ? 0 : 1)}`;
        // A host or parameter from a variable without a value would name no target or the wrong
        // one (an empty host, a block of ""): the step fails before anything is queued.
        const unset = [cordon.host, ...Object.values(cordon.action)]
          .flatMap((v) => (typeof v === 'string' ? (v.match(VARIABLE_IN_TEXT) ?? []) : []))
          .filter(
            (name) =>
              variables[name] === undefined || variables[name] === null || variables[name] === '',
          );
        if (unset.length > 0)
          return this.#finish(
            cursor,
            false,
            this.#actor,
            `not queued: ${[...new Set(unset)].join(', ')} has no value`,
            {},
          );
        let queued = cursor.entered ? await this.#effects.findAction(marker) : undefined;
        if (!queued) {
          if (!cursor.entered) {
            this.#record(key, 'running', this.#actor, { detail: marker });
            cursor.entered = true;
            await this.#save();
          }
          const action: Record<string, unknown> = {};
          for (const [name, value] of Object.entries(cordon.action))
            action[name] = typeof value === 'string' ? substitute(value) : value;
          try {
            queued = await this.#effects.requestAction({
              host: substitute(cordon.host),
              action,
              requiresApproval: cordon.requiresApproval,
              marker,
            });
          } catch (error) {
            return this.#finish(
              cursor,
              false,
              this.#actor,
              `not queued: ${(error as Error).message}`,
              {},
            );
          }
        }
        const outcome = actionOutcome(queued.state);
        if (outcome !== 'pending')
          return this.#finish(
            cursor,
            outcome === 'success',
            this.#actor,
            `agent action ${queued.state}`,
            { actionId: queued.actionId, actionState: queued.state },
          );
        this.#record(key, 'waiting', this.#actor, {
          actionId: queued.actionId,
          outputs: { actionId: queued.actionId, actionState: queued.state },
          detail: `agent action ${queued.state}`,
        });
        cursor.waiting = true;
        return;
      }
    }
  }

  /** On resume: re-checks waiting agent actions (their result may have come while down). */
  async refreshWaitingActions(): Promise<void> {
    for (const cursor of [...this.#position.cursors]) {
      const record = this.#position.steps[cursor.scope + cursor.stepId];
      if (!cursor.waiting || record?.actionId === undefined) continue;
      const state = await this.#effects.actionState(record.actionId);
      if (state !== undefined) this.actionChanged(record.actionId, state);
    }
  }
}

/**
 * When the run next has something to do by itself: the earliest end of a delay or timeout of a
 * waiting step (undefined when it only waits on people and agents).
 */
export function runWakeAt(position: RunPosition): number | undefined {
  let at: number | undefined;
  for (const cursor of position.cursors) {
    if (!cursor.waiting) continue;
    const due = [cursor.timesOutAt, cursor.entered ? undefined : cursor.waitingUntil].filter(
      (t): t is number => t !== undefined,
    );
    for (const t of due) if (at === undefined || t < at) at = t;
  }
  return at;
}

/** A request about a step that is not in the state it asks for (a 409 at the edge). */
export class RunStepError extends Error {
  override readonly name = 'RunStepError';
}
