/** An API failure as the server reports it: a stable `code`, a message, optional details. */
import type { ErrorCodeValue } from './api-types.ts';

export type ApiErrorCode = ErrorCodeValue | 'network';

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly status: number;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(options: {
    code: ApiErrorCode;
    status: number;
    message: string;
    details?: Readonly<Record<string, unknown>> | undefined;
  }) {
    super(options.message);
    this.name = 'ApiError';
    this.code = options.code;
    this.status = options.status;
    this.details = options.details;
  }
}

/** The unmet guard conditions of a `guard_failed` error. */
export function unmetConditions(error: unknown): readonly string[] {
  if (!(error instanceof ApiError) || error.code !== 'guard_failed') return [];
  const unmet = error.details?.['unmet'];
  return Array.isArray(unmet) ? unmet.filter((u): u is string => typeof u === 'string') : [];
}
