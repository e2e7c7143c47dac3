/** A query that does not parse: a user error whose message and details say where. */
import { CordonError } from '../errors/cordon-error.ts';

export function querySyntaxError(message: string, position: number): CordonError {
  return new CordonError('invalid_input', message, { details: { position } });
}
