/**
 * Where the server says a query went wrong: a syntax error is `invalid_input` with the 1-based
 * column in `details.position`, which the screen marks under the query.
 */
import { ApiError } from '../api/api-error.ts';

export interface QueryProblem {
  readonly message: string;
  /** 1-based column, when the server named one. */
  readonly column: number | undefined;
}

export function queryProblem(error: unknown): QueryProblem | undefined {
  if (!(error instanceof ApiError) || error.code !== 'invalid_input') return undefined;
  const position = error.details?.['position'];
  return {
    message: error.message,
    column: typeof position === 'number' && Number.isInteger(position) ? position : undefined,
  };
}
