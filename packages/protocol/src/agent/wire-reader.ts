/**
 * Small checked readers for untrusted JSON. Parsers throw `WireFormatError` from deep inside and
 * catch it once at their entry point, which keeps each parser a flat list of field reads.
 */
export class WireFormatError extends Error {
  override readonly name = 'WireFormatError';
}

export type WireRecord = Readonly<Record<string, unknown>>;

export function asRecord(value: unknown, what: string): WireRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new WireFormatError(`${what} must be an object`);
  }
  return value as WireRecord;
}

export function readString(
  record: WireRecord,
  key: string,
  options: { readonly max?: number; readonly pattern?: RegExp } = {},
): string {
  const value = record[key];
  if (typeof value !== 'string') throw new WireFormatError(`${key} must be a string`);
  if (value.length === 0 || value.length > (options.max ?? 256)) {
    throw new WireFormatError(`${key} must be 1..${options.max ?? 256} characters`);
  }
  if (options.pattern !== undefined && !options.pattern.test(value)) {
    throw new WireFormatError(`${key} has an invalid format`);
  }
  return value;
}

export function readOptionalString(
  record: WireRecord,
  key: string,
  options: { readonly max?: number; readonly pattern?: RegExp } = {},
): string | undefined {
  return record[key] === undefined ? undefined : readString(record, key, options);
}

export function readInteger(
  record: WireRecord,
  key: string,
  range: { readonly min: number; readonly max: number },
): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new WireFormatError(`${key} must be an integer`);
  }
  if (value < range.min || value > range.max) {
    throw new WireFormatError(`${key} must be within ${range.min}..${range.max}`);
  }
  return value;
}

export function readArray(record: WireRecord, key: string, maxLength: number): readonly unknown[] {
  const value = record[key];
  if (!Array.isArray(value)) throw new WireFormatError(`${key} must be an array`);
  if (value.length > maxLength)
    throw new WireFormatError(`${key} has more than ${maxLength} items`);
  return value as unknown[];
}

/** Identifiers (tenant, agent, command, nonce): URL-safe characters only. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;
