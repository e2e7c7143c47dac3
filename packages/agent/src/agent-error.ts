/**
 * The agent's one error class. `code` is a closed union: `invalid-parameter` is a user error
 * (the command asked for something unsafe or impossible), `system-failure` an operational one
 * (a tool failed, a file was missing), `verification-failed` means a containment step was
 * applied but could not be proven and was rolled back.
 */
export type AgentErrorCode =
  'invalid-parameter' | 'invalid-config' | 'system-failure' | 'verification-failed' | 'not-found';

export class AgentError extends Error {
  override readonly name = 'AgentError';
  readonly code: AgentErrorCode;

  constructor(code: AgentErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
