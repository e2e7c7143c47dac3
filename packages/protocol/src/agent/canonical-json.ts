/**
 * The one canonical JSON encoder for everything Cordon signs or hashes: agent commands,
 * results, hellos and release codes, and the journal's entry hashes and checkpoints (core
 * re-exports this function). Object keys sorted by UTF-16 code units, no whitespace,
 * `undefined` members dropped and `undefined` array items written `null` (as `JSON.stringify`
 * does), only finite numbers, in ECMAScript form. The same value always encodes to the same
 * bytes, so a signature or a stored hash never depends on how a peer ordered its keys.
 *
 * Nesting is capped at `CANONICAL_JSON_MAX_DEPTH` (the top-level value is depth 0): deeper
 * values, sparse arrays, non-finite numbers and non-JSON types throw `CanonicalJsonError`;
 * nothing is ever encoded some other way. The cap is the journal's historical 64 (the agent
 * copy had 32): every journal entry hashed before keeps its encoding, and 64 recursive calls
 * are far from any stack limit.
 */
export const CANONICAL_JSON_MAX_DEPTH = 64;

/** A value canonical JSON does not encode. A `TypeError`, as callers have always caught. */
export class CanonicalJsonError extends TypeError {
  override readonly name = 'CanonicalJsonError';
}

export function canonicalJson(value: unknown): string {
  return encode(value, 0);
}

function encode(value: unknown, depth: number): string {
  if (depth > CANONICAL_JSON_MAX_DEPTH) {
    throw new CanonicalJsonError(
      `canonical JSON: value nested more than ${CANONICAL_JSON_MAX_DEPTH} levels deep`,
    );
  }
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value))
        throw new CanonicalJsonError('canonical JSON: non-finite number');
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value)
        ? encodeArray(value as readonly unknown[], depth)
        : encodeObject(value as Readonly<Record<string, unknown>>, depth);
    default:
      throw new CanonicalJsonError(`canonical JSON: cannot encode a ${typeof value}`);
  }
}

function encodeArray(items: readonly unknown[], depth: number): string {
  const parts: string[] = [];
  for (let index = 0; index < items.length; index += 1) {
    // A hole used to come out as `[1,,3]`, which is not JSON: refuse it instead.
    if (!(index in items)) throw new CanonicalJsonError('canonical JSON: sparse array');
    const item = items[index];
    parts.push(encode(item === undefined ? null : item, depth + 1));
  }
  return `[${parts.join(',')}]`;
}

function encodeObject(record: Readonly<Record<string, unknown>>, depth: number): string {
  const keys = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort();
  return `{${keys.map((key) => `${JSON.stringify(key)}:${encode(record[key], depth + 1)}`).join(',')}}`;
}

/** The UTF-8 bytes that get signed: a domain-separation label, a newline, canonical JSON. */
export function signingBytes(label: string, value: unknown): Uint8Array {
  return new TextEncoder().encode(`${label}\n${canonicalJson(value)}`);
}
