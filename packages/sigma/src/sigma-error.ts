/**
 * The one error type of @cordon/sigma. `code` is a closed union so callers can branch on it;
 * every message is written for a rule author (what is wrong, where, what to do).
 */
export type SigmaErrorCode =
  | 'yaml' // the text is not valid YAML
  | 'schema' // a required attribute is missing or has the wrong shape
  | 'detection' // the detection section cannot be compiled
  | 'condition' // the condition expression does not parse or names unknown identifiers
  | 'modifier' // an unknown modifier or a modifier combination that makes no sense
  | 'regex' // a regular expression the linear-time engine cannot run
  | 'placeholder' // `expand` placeholders without configured values
  | 'correlation' // a correlation rule that cannot be used
  | 'filter' // a filter rule that cannot be used
  | 'limit'; // the rule asks for more work than its RuleLimits allow (aliases, size, states)

export class SigmaError extends Error {
  override readonly name = 'SigmaError';
  readonly code: SigmaErrorCode;

  constructor(code: SigmaErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}
