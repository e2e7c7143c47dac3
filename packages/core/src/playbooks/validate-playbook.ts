/**
 * Cordon's own check of a CACAO 2.0 playbook, written from the specification so that the
 * server needs no schema files at run time: the document's required properties, every
 * workflow step (known type, its required properties, references that point at steps that
 * exist), a workflow that is reachable from its start, ends in end steps and has no cycle
 * (loops are while-condition steps), commands Cordon runs, agent actions it knows, conditions
 * that parse and variables that are declared. Every problem found is returned, each naming its
 * step and reason.
 */
import { parseCommandAction, WireFormatError } from '@cordon/protocol';
import {
  ConditionSyntaxError,
  VARIABLE_NAME,
  conditionVariables,
  parseCondition,
} from './condition-expression.ts';
import { cordonStepVariables, readCordonStep } from './cordon-step.ts';
import type { CacaoPlaybook, CacaoStep, StepType } from './playbook-document.ts';
import { STEP_TYPES } from './playbook-document.ts';
import type { PlaybookProblem } from './playbook-problem.ts';
import { valueExceedsLimits } from './parse-playbook-text.ts';
import { parseQuery } from '../search/query-parser.ts';
import { isCordonError } from '../errors/cordon-error.ts';

const UUID =
  '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[1-5][0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}';
export const IDENTIFIER = new RegExp(`^[a-z][a-z0-9-]+[a-z0-9]--${UUID}$`);
const TIMESTAMP =
  /^[0-9]{4}-(0[1-9]|1[012])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):([0-5][0-9]):([0-5][0-9]|60)(\.[0-9]+)?Z$/;
export const MAX_WORKFLOW_STEPS = 500;

const DAY_MS = 86_400_000;
/**
 * Bounds of a step's CACAO `delay` and `timeout` (whole milliseconds, 0 allowed as the spec
 * says). A week either way: long enough for a re-hunt a week on, or an approval over a long
 * weekend; beyond that a wait is a schedule, not a step.
 */
export const STEP_TIMING_LIMITS = { maxDelayMs: 7 * DAY_MS, maxTimeoutMs: 7 * DAY_MS } as const;

/** Variables every run has, set from the incident (a playbook may declare them too). */
export const BUILTIN_VARIABLES = [
  '__incident_id__',
  '__incident_severity__',
  '__incident_category__',
  '__affected_host__',
  '__origin_address__',
] as const;

export type PlaybookValidation =
  | { readonly ok: true; readonly playbook: CacaoPlaybook }
  | { readonly ok: false; readonly problems: readonly PlaybookProblem[] };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const POINTERS = ['on_completion', 'on_success', 'on_failure', 'on_true', 'on_false'] as const;

/** The steps a step may go to next, with the property that names each. */
function successors(step: CacaoStep): [string, string][] {
  const next: [string, string][] = [];
  for (const key of POINTERS) {
    const target = step[key];
    if (typeof target === 'string') next.push([key, target]);
  }
  for (const [i, target] of (step.next_steps ?? []).entries())
    next.push([`next_steps[${i}]`, target]);
  for (const [value, target] of Object.entries(step.cases ?? {}))
    if (typeof target === 'string') next.push([`cases.${value}`, target]);
  return next;
}

export function validatePlaybook(value: unknown): PlaybookValidation {
  const problems: PlaybookProblem[] = [];
  const add = (stepId: string | null, code: PlaybookProblem['code'], message: string): void => {
    if (problems.length < 200) problems.push({ stepId, code, message });
  };
  if (!isRecord(value))
    return {
      ok: false,
      problems: [{ stepId: null, code: 'not_a_document', message: 'a playbook is a JSON object' }],
    };
  const exceeded = valueExceedsLimits(value);
  if (exceeded)
    return { ok: false, problems: [{ stepId: null, code: 'too_large', message: exceeded }] };

  if (value.type !== 'playbook')
    add(
      null,
      value.type === undefined ? 'missing_property' : 'bad_value',
      'type must be "playbook"',
    );
  if (value.spec_version !== 'cacao-2.0')
    add(
      null,
      value.spec_version === undefined ? 'missing_property' : 'bad_value',
      'spec_version must be "cacao-2.0"',
    );
  if (typeof value.id !== 'string')
    add(null, 'missing_property', 'the playbook needs an id (playbook--<uuid>)');
  else if (!IDENTIFIER.test(value.id) || !value.id.startsWith('playbook--'))
    add(null, 'bad_value', `id ${JSON.stringify(value.id)} is not playbook--<uuid>`);
  if (typeof value.name !== 'string' || value.name.trim() === '')
    add(null, 'missing_property', 'the playbook needs a name');
  for (const key of ['created', 'modified'] as const) {
    if (value[key] === undefined)
      add(null, 'missing_property', `the playbook needs ${key} (a UTC timestamp)`);
    else if (typeof value[key] !== 'string' || !TIMESTAMP.test(value[key]))
      add(null, 'bad_value', `${key} is not a UTC timestamp`);
  }

  const declared = new Set<string>(BUILTIN_VARIABLES);
  const checkVariables = (stepId: string | null, variables: unknown, into: Set<string>): void => {
    if (variables === undefined) return;
    if (!isRecord(variables)) return add(stepId, 'bad_value', 'variables are a dictionary');
    for (const [name, variable] of Object.entries(variables)) {
      if (!VARIABLE_NAME.test(name))
        add(
          stepId,
          'bad_variable_reference',
          `variable name ${JSON.stringify(name)} is not __name__`,
        );
      else if (!isRecord(variable) || typeof variable.type !== 'string')
        add(stepId, 'missing_property', `variable ${name} needs a type`);
      else if (
        variable.value !== undefined &&
        variable.value !== null &&
        typeof variable.value !== 'string'
      )
        add(stepId, 'bad_value', `variable ${name}: a value is written as a string`);
      else into.add(name);
    }
  };
  checkVariables(null, value.playbook_variables, declared);

  const workflow = value.workflow;
  if (!isRecord(workflow)) {
    add(null, 'missing_property', 'the playbook needs a workflow');
    return { ok: false, problems };
  }
  const ids = Object.keys(workflow);
  if (ids.length > MAX_WORKFLOW_STEPS) {
    add(null, 'too_large', `a workflow has at most ${MAX_WORKFLOW_STEPS} steps`);
    return { ok: false, problems };
  }
  const agents = isRecord(value.agent_definitions) ? value.agent_definitions : {};
  const targets = isRecord(value.target_definitions) ? value.target_definitions : {};

  const steps = new Map<string, CacaoStep>();
  for (const [id, raw] of Object.entries(workflow)) {
    if (!isRecord(raw)) {
      add(id, 'bad_value', 'a workflow step is an object');
      continue;
    }
    const type = raw.type;
    if (type === undefined) {
      add(id, 'missing_property', 'the step needs a type');
      continue;
    }
    if (typeof type !== 'string' || !(STEP_TYPES as readonly string[]).includes(type)) {
      add(
        id,
        'unknown_step_type',
        `unknown step type ${JSON.stringify(type)} (one of ${STEP_TYPES.join(', ')})`,
      );
      continue;
    }
    if (!IDENTIFIER.test(id) || !id.startsWith(`${type}--`))
      add(id, 'bad_value', `a ${type} step's id is ${type}--<uuid>`);
    const step = raw as unknown as CacaoStep;
    steps.set(id, step);
    const stepDeclared = new Set(declared);
    checkVariables(id, raw.step_variables, stepDeclared);
    const refer = (names: readonly string[], where: string): void => {
      for (const name of names)
        if (!stepDeclared.has(name))
          add(id, 'bad_variable_reference', `${where} uses ${name}, which is not declared`);
    };
    for (const key of POINTERS)
      if (raw[key] !== undefined && typeof raw[key] !== 'string')
        add(id, 'bad_value', `${key} is a step id`);
    for (const [key, max] of [
      ['delay', STEP_TIMING_LIMITS.maxDelayMs],
      ['timeout', STEP_TIMING_LIMITS.maxTimeoutMs],
    ] as const) {
      const ms = raw[key];
      if (ms === undefined) continue;
      if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > max)
        add(
          id,
          'bad_value',
          `${key} is a whole number of milliseconds from 0 to ${max} (${max / DAY_MS} days), not ${JSON.stringify(ms)}`,
        );
    }
    if (raw.timeout !== undefined && type !== 'action')
      add(id, 'bad_value', `timeout is honoured on action steps only, not on a ${type} step`);
    if (
      raw.on_completion !== undefined &&
      (raw.on_success !== undefined || raw.on_failure !== undefined)
    )
      add(id, 'bad_value', 'on_completion excludes on_success and on_failure');
    for (const key of ['in_args', 'out_args'] as const) {
      const list = raw[key];
      if (list === undefined) continue;
      if (!Array.isArray(list) || !list.every((v) => typeof v === 'string'))
        add(id, 'bad_value', `${key} is a list of variable names`);
      else refer(list, key);
    }
    const condition = (key: 'condition' | 'switch'): void => {
      const text = raw[key];
      if (typeof text !== 'string')
        return add(id, 'missing_property', `a ${type} step needs ${key}`);
      try {
        refer(conditionVariables(parseCondition(text)), key);
      } catch (error) {
        if (!(error instanceof ConditionSyntaxError)) throw error;
        add(id, 'bad_condition', `${key}: ${error.message}`);
      }
    };
    switch (type as StepType) {
      case 'start':
        if (raw.on_success !== undefined || raw.on_failure !== undefined)
          add(id, 'bad_value', 'a start step goes on with on_completion only');
        break;
      case 'end':
        if (successors(step).length > 0) add(id, 'bad_value', 'an end step has no next step');
        break;
      case 'action': {
        if (typeof raw.agent !== 'string')
          add(id, 'missing_property', 'an action step needs agent');
        else if (!Object.hasOwn(agents, raw.agent))
          add(id, 'dangling_reference', `agent ${raw.agent} is not in agent_definitions`);
        if (raw.targets !== undefined) {
          if (!Array.isArray(raw.targets)) add(id, 'bad_value', 'targets is a list');
          else
            for (const target of raw.targets)
              if (typeof target !== 'string' || !Object.hasOwn(targets, target))
                add(
                  id,
                  'dangling_reference',
                  `target ${String(target)} is not in target_definitions`,
                );
        }
        if (!Array.isArray(raw.commands) || raw.commands.length === 0) {
          add(id, 'missing_property', 'an action step needs commands');
          break;
        }
        const read = readCordonStep(id, step);
        if (!read.ok) {
          problems.push(read.problem);
          break;
        }
        refer(cordonStepVariables(read.step), 'the step');
        if (read.step.kind === 'search') {
          try {
            parseQuery(read.step.query.replace(/__[a-zA-Z_][a-zA-Z0-9_-]{0,199}?__/g, '"x"'));
          } catch (error) {
            if (!isCordonError(error)) throw error;
            add(id, 'bad_value', `query: ${error.message}`);
          }
        }
        if (read.step.kind === 'agent-action') {
          const params = read.step.action;
          const literal = Object.values(params).every(
            (v) => typeof v !== 'string' || !/__[a-zA-Z_]/.test(v),
          );
          if (literal) {
            try {
              parseCommandAction(params);
            } catch (error) {
              if (!(error instanceof WireFormatError)) throw error;
              add(id, 'bad_value', `action: ${error.message}`);
            }
          }
        }
        break;
      }
      case 'playbook-action':
        if (typeof raw.playbook_id !== 'string')
          add(id, 'missing_property', 'a playbook-action step needs playbook_id');
        else if (!IDENTIFIER.test(raw.playbook_id) || !raw.playbook_id.startsWith('playbook--'))
          add(id, 'bad_value', 'playbook_id is playbook--<uuid>');
        break;
      case 'parallel':
        if (
          !Array.isArray(raw.next_steps) ||
          raw.next_steps.length < 2 ||
          !raw.next_steps.every((s) => typeof s === 'string')
        )
          add(
            id,
            raw.next_steps === undefined ? 'missing_property' : 'bad_value',
            'a parallel step needs next_steps (two or more step ids)',
          );
        break;
      case 'if-condition':
      case 'while-condition':
        condition('condition');
        if (typeof raw.on_true !== 'string')
          add(id, 'missing_property', `a ${type} step needs on_true`);
        if (type === 'while-condition' && raw.on_false !== undefined)
          add(id, 'bad_value', 'a while-condition step has no on_false');
        break;
      case 'switch-condition':
        condition('switch');
        if (!isRecord(raw.cases) || Object.keys(raw.cases).length === 0)
          add(id, 'missing_property', 'a switch-condition step needs cases');
        break;
    }
    if (type !== 'end' && raw.on_completion === undefined && raw.on_success === undefined)
      add(
        id,
        'no_end',
        'the step has no next step (on_completion or on_success); a path ends in an end step',
      );
  }

  // References and the graph: reachable from the start, no cycles.
  for (const [id, step] of steps)
    for (const [key, target] of successors(step))
      if (!Object.hasOwn(workflow, target))
        add(id, 'dangling_reference', `${key} points at ${target}, which is not in the workflow`);
  const start = value.workflow_start;
  if (typeof start !== 'string') add(null, 'missing_property', 'the playbook needs workflow_start');
  else if (!steps.has(start))
    add(
      null,
      'dangling_reference',
      `workflow_start points at ${start}, which is not in the workflow`,
    );
  else if (steps.get(start)!.type !== 'start')
    add(start, 'bad_value', 'workflow_start must be a start step');
  const exception = value.workflow_exception;
  if (exception !== undefined && (typeof exception !== 'string' || !steps.has(exception)))
    add(
      null,
      'dangling_reference',
      `workflow_exception points at ${JSON.stringify(exception)}, which is not in the workflow`,
    );
  if (typeof start === 'string' && steps.has(start)) {
    // Iterative depth-first walk with colours: grey on the stack (a grey successor is a cycle).
    const colour = new Map<string, 'grey' | 'black'>();
    const roots = [
      start,
      ...(typeof exception === 'string' && steps.has(exception) ? [exception] : []),
    ];
    for (const root of roots) {
      if (colour.has(root)) continue;
      const stack: { id: string; next: string[] }[] = [];
      const enter = (id: string): void => {
        colour.set(id, 'grey');
        stack.push({
          id,
          next: successors(steps.get(id)!)
            .map(([, t]) => t)
            .filter((t) => steps.has(t)),
        });
      };
      enter(root);
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!;
        const next = top.next.pop();
        if (next === undefined) {
          colour.set(top.id, 'black');
          stack.pop();
        } else if (colour.get(next) === 'grey') {
          add(
            next,
            'cycle',
            `the step is part of a cycle (through ${top.id}); loops are written with a while-condition step`,
          );
        } else if (!colour.has(next)) enter(next);
      }
    }
    for (const id of steps.keys())
      if (!colour.has(id))
        add(id, 'unreachable_step', 'the step cannot be reached from workflow_start');
  }
  return problems.length === 0
    ? { ok: true, playbook: value as unknown as CacaoPlaybook }
    : { ok: false, problems };
}
