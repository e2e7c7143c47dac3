/**
 * Why a playbook is refused: each problem names the step (or null for the document) and a code
 * from a closed list, so a client can point at the step and a test can check the reason.
 */
import { CordonError } from '../errors/cordon-error.ts';

export const PLAYBOOK_PROBLEM_CODES = [
  'not_a_document',
  'too_large',
  'missing_property',
  'bad_value',
  'unknown_step_type',
  'dangling_reference',
  'unreachable_step',
  'cycle',
  'no_end',
  'unknown_command_type',
  'unknown_agent_action',
  'bad_variable_reference',
  'bad_condition',
] as const;
export type PlaybookProblemCode = (typeof PLAYBOOK_PROBLEM_CODES)[number];

export interface PlaybookProblem {
  /** The workflow step id, or null for the playbook itself. */
  readonly stepId: string | null;
  readonly code: PlaybookProblemCode;
  readonly message: string;
}

/** The `invalid_input` error a refused playbook becomes at the edge (problems in details). */
export function playbookRefused(problems: readonly PlaybookProblem[]): CordonError {
  const first = problems[0];
  const where = first?.stepId ? `step ${first.stepId}: ` : '';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new CordonError(
    'invalid_input',
    `playbook refused: ${where}${first?.message ?? 'invalid'}${more}`,
    { details: { problems } },
  );
}
