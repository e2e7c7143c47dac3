/**
 * Canonical JSON for signed agent messages: object keys sorted by UTF-16 code units, no
 * whitespace, `undefined` members dropped, only finite numbers. Signer and verifier encode the
 * same value to the same bytes, so a signature never depends on how a peer ordered its keys.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, 0);
}

const MAX_DEPTH = 32;

function encode(value: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw new TypeError('canonical JSON: value nested too deeply');
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON: non-finite number');
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        const items = value.map((item: unknown) => encode(item ?? null, depth + 1));
        return `[${items.join(',')}]`;
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((key) => record[key] !== undefined)
        .sort();
      return `{${keys.map((key) => `${JSON.stringify(key)}:${encode(record[key], depth + 1)}`).join(',')}}`;
    }
    default:
      throw new TypeError(`canonical JSON: cannot encode a ${typeof value}`);
  }
}

/** The UTF-8 bytes that get signed: a domain-separation label, a newline, canonical JSON. */
export function signingBytes(label: string, value: unknown): Uint8Array {
  return new TextEncoder().encode(`${label}\n${canonicalJson(value)}`);
}
