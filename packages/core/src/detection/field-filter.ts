/**
 * The matcher behind exclusions and suppressions: an optional rule (by id or name) and field
 * conditions on the event. Every named field must match one of its values; values compare
 * case-insensitively, `*` stands for any run of characters. Deliberately simpler than Sigma
 * (analysts write these under pressure, in a form) and linear: no regular expressions.
 */
import { invalidInput } from '../errors/cordon-error.ts';

export interface FieldFilter {
  /** Sigma rule id or name; null for any rule. */
  readonly ruleId: string | null;
  /** Field name (original or ECS, e.g. `source.ip`, `TargetUserName`) → accepted values. */
  readonly fields: Readonly<Record<string, readonly string[]>>;
}

/** How a filter reads the event: the field's value, or undefined when absent. */
export type FieldLookup = (field: string) => unknown;

export const FIELD_FILTER_LIMITS = { fields: 16, values: 64, valueLength: 512 } as const;

export function validateFieldFilter(filter: FieldFilter): void {
  const fields = Object.entries(filter.fields);
  if (filter.ruleId === null && fields.length === 0)
    throw invalidInput('name a rule, at least one field condition, or both');
  if (fields.length > FIELD_FILTER_LIMITS.fields)
    throw invalidInput(`at most ${FIELD_FILTER_LIMITS.fields} field conditions`);
  for (const [field, values] of fields) {
    if (field.trim() === '') throw invalidInput('a field condition needs a field name');
    if (values.length === 0 || values.length > FIELD_FILTER_LIMITS.values)
      throw invalidInput(`field ${field}: give between 1 and ${FIELD_FILTER_LIMITS.values} values`);
    for (const value of values) {
      if (value.length === 0 || value.length > FIELD_FILTER_LIMITS.valueLength)
        throw invalidInput(
          `field ${field}: values are 1 to ${FIELD_FILTER_LIMITS.valueLength} characters`,
        );
    }
  }
}

/** True when the filter covers a detection of `ruleRefs` (id and name) on the event. */
export function fieldFilterMatches(
  filter: FieldFilter,
  ruleRefs: readonly (string | undefined)[],
  lookup: FieldLookup,
): boolean {
  if (filter.ruleId !== null && !ruleRefs.includes(filter.ruleId)) return false;
  for (const [field, accepted] of Object.entries(filter.fields)) {
    const actual = lookup(field);
    const texts = (Array.isArray(actual) ? actual : [actual])
      .map(scalarText)
      .filter((t): t is string => t !== undefined);
    if (!texts.some((text) => accepted.some((pattern) => wildcardMatch(pattern, text))))
      return false;
  }
  return true;
}

function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

/** Case-insensitive match with `*` wildcards, greedy-free: O(pattern × text) at worst. */
export function wildcardMatch(pattern: string, text: string): boolean {
  const p = pattern.toLowerCase();
  const t = text.toLowerCase();
  if (!p.includes('*')) return p === t;
  const parts = p.split('*');
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (!t.startsWith(first) || t.length < first.length + last.length) return false;
  let at = first.length;
  const end = t.length - last.length;
  for (let i = 1; i < parts.length - 1; i++) {
    const part = parts[i]!;
    const found = t.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return t.endsWith(last);
}
