/**
 * What the contract routes send: domain records with their epoch-millisecond instants (every
 * field named `…At`, and `from`/`to`) written as RFC 3339 strings, as the rest of the API does.
 */
import { invalidInput } from '@cordon/core';

const INSTANT_KEY = /(At|^from|^to)$/;

type InstantKey = `${string}At` | 'from' | 'to';

/** The type `withIsoTimes` gives back: instants as strings, arrays mutable like a schema's. */
export type IsoTimes<T> = T extends readonly (infer U)[]
  ? IsoTimes<U>[]
  : T extends object
    ? {
        -readonly [K in keyof T]: K extends InstantKey
          ? T[K] extends number
            ? string
            : T[K] extends number | null
              ? string | null
              : IsoTimes<T[K]>
          : IsoTimes<T[K]>;
      }
    : T;

export function withIsoTimes<T>(value: T): IsoTimes<T> {
  return isoTimes(value) as IsoTimes<T>;
}

function isoTimes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(isoTimes);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      INSTANT_KEY.test(key) && typeof field === 'number'
        ? new Date(field).toISOString()
        : isoTimes(field),
    ]),
  );
}

/** An RFC 3339 string from a request (already format-checked) as epoch ms. */
export function instantOf(text: string, what: string): number {
  const at = Date.parse(text);
  if (!Number.isFinite(at)) throw invalidInput(`${what} is not a time`);
  return at;
}
