/**
 * What the contract routes send: domain records with their epoch-millisecond instants (every
 * field named `…At`, and `from`/`to`) written as RFC 3339 strings, as the rest of the API does.
 */
import { invalidInput } from '@cordon/core';

const INSTANT_KEY = /(At|^from|^to)$/;

export function withIsoTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withIsoTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      INSTANT_KEY.test(key) && typeof field === 'number'
        ? new Date(field).toISOString()
        : withIsoTimes(field),
    ]),
  );
}

/** An RFC 3339 string from a request (already format-checked) as epoch ms. */
export function instantOf(text: string, what: string): number {
  const at = Date.parse(text);
  if (!Number.isFinite(at)) throw invalidInput(`${what} is not a time`);
  return at;
}
