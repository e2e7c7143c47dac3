/**
 * The parts of a CACAO 2.0 playbook that Cordon reads, and the Cordon extension that says what
 * an action step does here. CACAO leaves command types open and lets a playbook declare
 * extensions (`extension_definitions`, then `step_extensions` / `playbook_extensions` keyed by
 * the extension's id); the official schema keeps a command to `type`, `description`, `version`,
 * `playbook_activity` and `external_references`, so the command names the kind (`manual` or one
 * of the `x-cordon-*` types) and the step's Cordon extension carries its parameters. The
 * document is kept as written (plain JSON), and read through these types after validation.
 */
export const CORDON_EXTENSION_ID = 'extension-definition--5f0c6a1e-8d2b-4c1a-9e77-3b1f0d4c2a10';

/** The extension definition a playbook that uses Cordon steps declares. */
export const CORDON_EXTENSION_DEFINITION = {
  type: 'extension-definition',
  name: 'cordon-response-steps',
  description:
    'Cordon step parameters: manual tasks (phase, owner role), agent actions, searches and approvals.',
  created_by: 'identity--9d1c2b7e-3a4f-4e5d-8c6b-7a8f9e0d1c2b',
  schema: 'urn:cordon:playbook-extension:1',
  version: '1.0.0',
} as const;

export const STEP_TYPES = [
  'start',
  'end',
  'action',
  'playbook-action',
  'parallel',
  'if-condition',
  'while-condition',
  'switch-condition',
] as const;
export type StepType = (typeof STEP_TYPES)[number];

/** Command types Cordon runs; `manual` is CACAO's own, the others are Cordon's extension. */
export const COMMAND_TYPES = {
  manual: 'manual',
  'x-cordon-agent-action': 'agent-action',
  'x-cordon-search': 'search',
  'x-cordon-approval': 'approval',
} as const;
export type CommandType = keyof typeof COMMAND_TYPES;
export type CordonStepKind = (typeof COMMAND_TYPES)[CommandType];

export interface CacaoVariable {
  readonly type: string;
  readonly description?: string;
  readonly value?: string | null;
  readonly constant?: boolean;
  readonly external?: boolean;
}

export interface CacaoCommand {
  readonly type: string;
  readonly description?: string;
}

export interface CacaoStep {
  readonly type: StepType;
  readonly name?: string;
  readonly description?: string;
  readonly on_completion?: string;
  readonly on_success?: string;
  readonly on_failure?: string;
  readonly on_true?: string;
  readonly on_false?: string;
  readonly next_steps?: readonly string[];
  readonly condition?: string;
  readonly switch?: string;
  readonly cases?: Readonly<Record<string, string>>;
  readonly commands?: readonly CacaoCommand[];
  readonly agent?: string;
  readonly targets?: readonly string[];
  readonly in_args?: readonly string[];
  readonly out_args?: readonly string[];
  readonly playbook_id?: string;
  readonly step_variables?: Readonly<Record<string, CacaoVariable>>;
  readonly step_extensions?: Readonly<Record<string, unknown>>;
  /** Milliseconds to wait before the step starts (bounded by `STEP_TIMING_LIMITS`). */
  readonly delay?: number;
  /** Milliseconds the step may take before it fails with ACTION_TIMEOUT (action steps). */
  readonly timeout?: number;
}

export interface CacaoPlaybook {
  readonly type: 'playbook';
  readonly spec_version: 'cacao-2.0';
  readonly id: string;
  readonly name: string;
  readonly description?: string;
  readonly created: string;
  readonly modified: string;
  readonly workflow_start: string;
  /** The step a branch goes to when one of its steps fails with no `on_failure` of its own. */
  readonly workflow_exception?: string;
  readonly workflow: Readonly<Record<string, CacaoStep>>;
  readonly playbook_variables?: Readonly<Record<string, CacaoVariable>>;
  readonly agent_definitions?: Readonly<Record<string, unknown>>;
  readonly target_definitions?: Readonly<Record<string, unknown>>;
  readonly extension_definitions?: Readonly<Record<string, unknown>>;
  readonly playbook_extensions?: Readonly<Record<string, unknown>>;
  readonly labels?: readonly string[];
}

/** What the playbook's Cordon extension says about when it applies (selection). */
export interface PlaybookApplicability {
  readonly categories: readonly string[];
  readonly techniques: readonly string[];
}

export function playbookApplicability(playbook: CacaoPlaybook): PlaybookApplicability {
  const ext = playbook.playbook_extensions?.[CORDON_EXTENSION_ID] as
    { categories?: unknown; techniques?: unknown } | undefined;
  const strings = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return { categories: strings(ext?.categories), techniques: strings(ext?.techniques) };
}
