/**
 * The one error type of the domain. Its `code` is a closed union that the HTTP edge maps to a
 * status once; its `kind` separates user errors (bad input: say what is wrong), operational
 * errors (a peer or resource is unavailable) and bugs, each logged at its own level.
 */
export type CordonErrorCode =
  | 'invalid_input'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'guard_failed'
  | 'rate_limited'
  | 'payload_too_large'
  | 'integrity_failure'
  | 'unavailable'
  | 'internal';

export type CordonErrorKind = 'user' | 'operational' | 'bug';

const kindOf: { readonly [C in CordonErrorCode]: CordonErrorKind } = {
  invalid_input: 'user',
  unauthenticated: 'user',
  forbidden: 'user',
  not_found: 'user',
  conflict: 'user',
  guard_failed: 'user',
  rate_limited: 'user',
  payload_too_large: 'user',
  integrity_failure: 'operational',
  unavailable: 'operational',
  internal: 'bug',
};

export interface CordonErrorOptions {
  readonly cause?: unknown;
  /** Machine-readable facts for the client, e.g. the guard conditions that failed. */
  readonly details?: Readonly<Record<string, unknown>>;
}

export class CordonError extends Error {
  override readonly name = 'CordonError';
  readonly code: CordonErrorCode;
  readonly kind: CordonErrorKind;
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(code: CordonErrorCode, message: string, options: CordonErrorOptions = {}) {
    // A user error carries no stack: it is answered and logged by its code and message, never
    // by where it was thrown, and capturing the frames was a tenth of what refusing a request
    // over its tenant's share cost (bench:hostile). Operational errors and bugs keep theirs.
    const stackTraceLimit = Error.stackTraceLimit;
    if (kindOf[code] === 'user') Error.stackTraceLimit = 0;
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    Error.stackTraceLimit = stackTraceLimit;
    this.code = code;
    this.kind = kindOf[code];
    this.details = options.details;
  }
}

export function isCordonError(error: unknown): error is CordonError {
  return error instanceof CordonError;
}

export const notFound = (what: string): CordonError =>
  new CordonError('not_found', `${what} not found`);
export const invalidInput = (message: string, details?: Record<string, unknown>): CordonError =>
  new CordonError('invalid_input', message, details ? { details } : {});
