/**
 * A stored event as rows of (field, value): nested ECS objects become dotted names, which are
 * the names the search language takes (`host.name`, `fields.EventID`), so any value can be
 * pivoted on as it is shown.
 */

export interface EventField {
  readonly field: string;
  readonly value: string | number | boolean | null;
}

/** Bounds on what one event may cost to show (an attacker writes the events). */
const MAX_FIELDS = 500;
const MAX_DEPTH = 8;

export function flattenEvent(event: Readonly<Record<string, unknown>>): EventField[] {
  const out: EventField[] = [];
  const walk = (value: unknown, path: string, depth: number): void => {
    if (out.length >= MAX_FIELDS) return;
    if (value === null || typeof value !== 'object') {
      out.push({ field: path, value: scalar(value) });
      return;
    }
    if (depth >= MAX_DEPTH) {
      out.push({ field: path, value: JSON.stringify(value).slice(0, 1000) });
      return;
    }
    if (Array.isArray(value)) {
      if (value.every((v) => v === null || typeof v !== 'object')) {
        for (const item of value) out.push({ field: path, value: scalar(item) });
      } else {
        value.forEach((item, i) => walk(item, `${path}.${i}`, depth + 1));
      }
      return;
    }
    for (const [key, child] of Object.entries(value)) {
      walk(child, path ? `${path}.${key}` : key, depth + 1);
    }
  };
  walk(event, '', 0);
  return out;
}

function scalar(value: unknown): EventField['value'] {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return value;
  return typeof value === 'bigint' ? value.toString() : JSON.stringify(value);
}

/** The value at a dotted field, for a table cell (first of an array; '' when absent). */
export function fieldValue(event: Readonly<Record<string, unknown>>, field: string): string {
  let node: unknown = event;
  const parts = field.split('.');
  for (let i = 0; i < parts.length; i += 1) {
    if (node === null || typeof node !== 'object') return '';
    const record = node as Record<string, unknown>;
    // Source fields may hold dots in their own names (Zeek's `id.orig_h`): try the rest whole.
    const rest = parts.slice(i).join('.');
    if (rest in record) {
      node = record[rest];
      break;
    }
    node = record[parts[i]!];
  }
  if (Array.isArray(node)) node = node[0];
  if (node === null || node === undefined) return '';
  return typeof node === 'string' ? node : JSON.stringify(node);
}

/** `field:"value"` in the search language (quoted, with `\` and `"` escaped). */
export function clauseFor(field: string, value: EventField['value']): string {
  if (value === null) return `not ${field}:*`;
  const text = String(value).replace(/[\\"]/g, (c) => `\\${c}`);
  return `${field}:"${text}"`;
}

/** The query narrowed by one more clause (`and`), keeping an `or` query's meaning. */
export function narrowQuery(query: string, clause: string): string {
  const trimmed = query.trim();
  if (trimmed === '') return clause;
  return /\bor\b/i.test(trimmed) ? `(${trimmed}) and ${clause}` : `${trimmed} and ${clause}`;
}
