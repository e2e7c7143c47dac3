/**
 * What the *eradicated* guard counts as the incident's eradication steps: its tasks in phase
 * `eradicated` and the agent actions of the incident that remove something (persistence,
 * files). A step is complete when done (a task `done`, an action `applied`) or waived with a
 * reason (a task `waived`, an action with a waiver); anything else is listed as unmet.
 */
import type { ActionState } from '../containment/containment-action.ts';
import type { IncidentTask } from '../incidents/incident-task.ts';

/** Agent action kinds that eradicate (remove what was found) rather than contain. */
export const ERADICATION_ACTION_KINDS: readonly string[] = [
  'remove-persistence',
  'quarantine-file',
];

export function isEradicationAction(kind: string): boolean {
  return ERADICATION_ACTION_KINDS.includes(kind);
}

export interface EradicationActionStep {
  readonly id: string;
  readonly kind: string;
  readonly state: ActionState;
  readonly waived: boolean;
}

export type EradicationStepState = 'done' | 'waived' | 'pending' | 'failed';

export interface EradicationStep {
  readonly kind: 'task' | 'action';
  readonly id: string;
  readonly title: string;
  readonly state: EradicationStepState;
}

function actionState(step: EradicationActionStep): EradicationStepState {
  if (step.state === 'applied') return 'done';
  if (step.waived) return 'waived';
  switch (step.state) {
    case 'requested':
    case 'approved':
    case 'sent':
      return 'pending';
    case 'failed':
    case 'rolled-back':
    case 'reverted':
      return 'failed';
  }
}

export function eradicationSteps(
  tasks: readonly IncidentTask[],
  actions: readonly EradicationActionStep[],
): EradicationStep[] {
  return [
    ...tasks
      .filter((task) => task.phase === 'eradicated')
      .map((task): EradicationStep => ({
        kind: 'task',
        id: task.id,
        title: task.title,
        state:
          task.status === 'done' || task.status === 'waived'
            ? task.status
            : task.status === 'failed'
              ? 'failed'
              : 'pending',
      })),
    ...actions
      .filter((action) => isEradicationAction(action.kind))
      .map((action): EradicationStep => ({
        kind: 'action',
        id: action.id,
        title: action.kind,
        state: actionState(action),
      })),
  ];
}

/** The guard's conditions: one line per kind of shortfall, with counts. */
export function eradicationUnmet(
  tasks: readonly IncidentTask[],
  actions: readonly EradicationActionStep[],
): string[] {
  const steps = eradicationSteps(tasks, actions);
  if (steps.length === 0) return ['no eradication tasks recorded'];
  const unmet: string[] = [];
  const count = (kind: EradicationStep['kind'], state: EradicationStepState) =>
    steps.filter((s) => s.kind === kind && s.state === state).length;
  const openTasks = count('task', 'pending') + count('task', 'failed');
  const tasksTotal = steps.filter((s) => s.kind === 'task').length;
  if (openTasks > 0) unmet.push(`${openTasks} of ${tasksTotal} eradication tasks not done`);
  if (count('action', 'pending') > 0)
    unmet.push(`${count('action', 'pending')} eradication actions not yet applied`);
  if (count('action', 'failed') > 0)
    unmet.push(`${count('action', 'failed')} eradication actions failed and not waived`);
  return unmet;
}
