/**
 * The server's word on a refused policy, placed at the field it names: schema errors read
 * `body.<path> <message>` (e.g. `body.autoIsolationLimit.windowMinutes must be >= 1`,
 * `body.rules.2.response is not one of the allowed values`).
 */
import { ApiError } from '../api/api-error.ts';

export interface PolicyProblem {
  /** Dotted path under the body (`rules.2.response`), when the server named one. */
  readonly path: string | undefined;
  readonly message: string;
}

export function policyProblem(error: unknown): PolicyProblem | undefined {
  if (!(error instanceof ApiError)) return undefined;
  const named = /^body\.(\S+) (.+)$/.exec(error.message);
  return named
    ? { path: named[1], message: named[2]! }
    : { path: undefined, message: error.message };
}

/** The message for a field when the problem is at it (or inside it). */
export function problemAt(problem: PolicyProblem | undefined, path: string): string | undefined {
  if (!problem?.path) return undefined;
  return problem.path === path || problem.path.startsWith(`${path}.`) ? problem.message : undefined;
}
