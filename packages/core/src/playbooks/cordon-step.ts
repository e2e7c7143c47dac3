/**
 * What a Cordon action step does, read from its command type and its Cordon step extension:
 * a manual task (the phase it belongs to and the role that owns it), an agent action (queued
 * through the action queue, with or without an incident lead's approval), a search (count and
 * hits into variables) or an approval (an incident lead approves or declines). Parameters that
 * name a variable (`"__affected_host__"`) are filled in when the step runs.
 */
import { COMMAND_ACTION_KINDS } from '@cordon/protocol';
import type { CommandActionKind } from '@cordon/protocol';
import { isRole } from '../access/role.ts';
import type { Role } from '../access/role.ts';
import { isPhase } from '../incidents/incident.ts';
import type { Phase } from '../incidents/incident.ts';
import { VARIABLE_NAME } from './condition-expression.ts';
import type { CacaoStep, CordonStepKind } from './playbook-document.ts';
import { COMMAND_TYPES, CORDON_EXTENSION_ID } from './playbook-document.ts';
import type { PlaybookProblem } from './playbook-problem.ts';

/** Agent actions a playbook may not ask for: liveness, the server's own key, undoing a quarantine. */
const NOT_FOR_PLAYBOOKS: readonly CommandActionKind[] = [
  'ping',
  'rotate-server-key',
  'restore-file',
];

/** Every agent action a playbook step may queue (new agent actions join automatically). */
export const PLAYBOOK_AGENT_ACTIONS: readonly CommandActionKind[] = COMMAND_ACTION_KINDS.filter(
  (kind) => !NOT_FOR_PLAYBOOKS.includes(kind),
);

const WORKING_PHASES: readonly Phase[] = [
  'identified',
  'contained',
  'analysed',
  'eradicated',
  'recovered',
  'verified',
];

export type CordonStep =
  | {
      readonly kind: 'manual';
      readonly phase: Phase;
      readonly ownerRole: Role;
      readonly title: string;
    }
  | {
      readonly kind: 'agent-action';
      /** Agent id, host name or address — or a variable naming one. */
      readonly host: string;
      /** `{ kind, ...parameters }` as the protocol's command grammar; string values may be variables. */
      readonly action: Readonly<Record<string, unknown>>;
      readonly requiresApproval: boolean;
    }
  | {
      readonly kind: 'search';
      /** The search language; `__name__` inside is replaced by the variable's value, quoted. */
      readonly query: string;
      /** How far back from the run's start the search looks; null: all retained events. */
      readonly windowHours: number | null;
      readonly outputs: { readonly count?: string; readonly hits?: string };
    }
  | {
      readonly kind: 'approval';
      readonly question: string;
      readonly outputs: { readonly decision?: string };
    };

export type CordonStepRead =
  | { readonly ok: true; readonly step: CordonStep }
  | { readonly ok: false; readonly problem: PlaybookProblem };

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** The variables named by `text`: the whole string when it is one, else those inside it. */
export function variablesIn(text: string): string[] {
  if (VARIABLE_NAME.test(text)) return [text];
  return [...text.matchAll(/__[a-zA-Z_][a-zA-Z0-9_-]{0,199}?__/g)].map((m) => m[0]);
}

/** Reads the Cordon meaning of an action step (the validator has checked the shape before). */
export function readCordonStep(stepId: string, step: CacaoStep): CordonStepRead {
  const problem = (code: PlaybookProblem['code'], message: string): CordonStepRead => ({
    ok: false,
    problem: { stepId, code, message },
  });
  const commands = step.commands ?? [];
  if (commands.length === 0) return problem('missing_property', 'an action step needs commands');
  const kinds = new Set<CordonStepKind>();
  for (const command of commands) {
    const type = isRecord(command) ? command.type : undefined;
    if (typeof type !== 'string' || !Object.hasOwn(COMMAND_TYPES, type))
      return problem(
        'unknown_command_type',
        `unknown command type ${JSON.stringify(type)} (Cordon runs ${Object.keys(COMMAND_TYPES).join(', ')})`,
      );
    kinds.add(COMMAND_TYPES[type as keyof typeof COMMAND_TYPES]);
  }
  if (kinds.size > 1)
    return problem('bad_value', 'the commands of one step are all of one kind (split the step)');
  const kind = [...kinds][0]!;
  const ext = step.step_extensions?.[CORDON_EXTENSION_ID];
  if (!isRecord(ext))
    return problem(
      'missing_property',
      `a ${kind} step needs step_extensions["${CORDON_EXTENSION_ID}"] with its parameters`,
    );
  if (ext.kind !== undefined && ext.kind !== kind)
    return problem(
      'bad_value',
      `the step extension says ${JSON.stringify(ext.kind)}, the command ${kind}`,
    );
  const title = step.name ?? commands[0]?.description ?? stepId;
  const outputs = (allowed: readonly string[]): Record<string, string> | CordonStepRead => {
    if (ext.outputs === undefined) return {};
    if (!isRecord(ext.outputs))
      return problem('bad_value', 'outputs maps output names to variables');
    const result: Record<string, string> = {};
    for (const [name, variable] of Object.entries(ext.outputs)) {
      if (!allowed.includes(name))
        return problem(
          'bad_value',
          `unknown output ${name} (a ${kind} step gives ${allowed.join(', ')})`,
        );
      if (typeof variable !== 'string' || !VARIABLE_NAME.test(variable))
        return problem('bad_variable_reference', `output ${name} must name a variable (__name__)`);
      result[name] = variable;
    }
    return result;
  };
  switch (kind) {
    case 'manual': {
      if (ext.phase === undefined)
        return problem('missing_property', 'a manual step needs its phase');
      if (
        typeof ext.phase !== 'string' ||
        !isPhase(ext.phase) ||
        !WORKING_PHASES.includes(ext.phase)
      )
        return problem('bad_value', `phase is one of ${WORKING_PHASES.join(', ')}`);
      if (ext.owner_role === undefined)
        return problem('missing_property', 'a manual step needs its owner_role');
      if (
        typeof ext.owner_role !== 'string' ||
        !isRole(ext.owner_role) ||
        ext.owner_role === 'ingest'
      )
        return problem('bad_value', `owner_role ${JSON.stringify(ext.owner_role)} is not a role`);
      return { ok: true, step: { kind, phase: ext.phase, ownerRole: ext.owner_role, title } };
    }
    case 'agent-action': {
      if (typeof ext.host !== 'string' || ext.host.length === 0 || ext.host.length > 255)
        return problem(
          'missing_property',
          'an agent action needs host (agent id, host name, address or variable)',
        );
      if (!isRecord(ext.action) || typeof ext.action.kind !== 'string')
        return problem('missing_property', 'an agent action needs action.kind');
      if (!(PLAYBOOK_AGENT_ACTIONS as readonly string[]).includes(ext.action.kind))
        return problem(
          'unknown_agent_action',
          `unknown agent action ${JSON.stringify(ext.action.kind)} (one of ${PLAYBOOK_AGENT_ACTIONS.join(', ')})`,
        );
      if (ext.requires_approval !== undefined && typeof ext.requires_approval !== 'boolean')
        return problem('bad_value', 'requires_approval is true or false');
      return {
        ok: true,
        step: {
          kind,
          host: ext.host,
          action: ext.action,
          requiresApproval: ext.requires_approval === true,
        },
      };
    }
    case 'search': {
      if (typeof ext.query !== 'string')
        return problem('missing_property', 'a search step needs query');
      const windowHours = ext.window_hours ?? null;
      if (
        windowHours !== null &&
        (typeof windowHours !== 'number' ||
          !Number.isInteger(windowHours) ||
          windowHours < 1 ||
          windowHours > 24 * 366)
      )
        return problem('bad_value', 'window_hours is a whole number of hours (1 to 8784)');
      const read = outputs(['count', 'hits']);
      if ('ok' in read) return read as CordonStepRead;
      return { ok: true, step: { kind, query: ext.query, windowHours, outputs: read } };
    }
    case 'approval': {
      const read = outputs(['decision']);
      if ('ok' in read) return read as CordonStepRead;
      const question = typeof ext.question === 'string' ? ext.question : title;
      return { ok: true, step: { kind, question, outputs: read } };
    }
  }
}

/** Every variable a Cordon step reads or writes (for the validator's reference check). */
export function cordonStepVariables(step: CordonStep): string[] {
  switch (step.kind) {
    case 'manual':
      return [];
    case 'agent-action':
      return [
        ...variablesIn(step.host),
        ...Object.values(step.action).flatMap((v) => (typeof v === 'string' ? variablesIn(v) : [])),
      ];
    case 'search':
      return [...variablesIn(step.query), ...Object.values(step.outputs)];
    case 'approval':
      return Object.values(step.outputs);
  }
}
