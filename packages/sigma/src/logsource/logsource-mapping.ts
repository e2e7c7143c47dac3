/**
 * How a rule's `logsource` becomes a condition on events. A mapping lists entries: a log
 * source (product / category / service) and the event field values that identify it, plus
 * field renames for that source. A rule takes every entry whose category and service equal
 * its own and whose product, when given, equals its product; each entry is one branch (the
 * rule matches events of any branch). Rules no entry covers match events whose log source was
 * assigned at ingestion (see SigmaEngine.match).
 *
 * `keyFields` names the two event fields the engine indexes rules by (Windows: Channel and
 * EventID); values are compared as case-insensitive text.
 */
import type { LogSource } from '../rule/sigma-rule.ts';
import { SigmaError } from '../sigma-error.ts';

export type MappingValue = string | number;

export interface LogSourceMappingEntry {
  readonly logsource: LogSource;
  readonly conditions: Readonly<Record<string, MappingValue | readonly MappingValue[]>>;
  readonly fieldmappings?: Readonly<Record<string, string>>;
}

export interface LogSourceMapping {
  readonly keyFields: readonly [string, string];
  readonly entries: readonly LogSourceMappingEntry[];
}

export function entriesForRule(
  mapping: LogSourceMapping,
  logsource: LogSource,
): LogSourceMappingEntry[] {
  return mapping.entries.filter(
    (e) =>
      e.logsource.category === logsource.category &&
      e.logsource.service === logsource.service &&
      (e.logsource.product === undefined || e.logsource.product === logsource.product),
  );
}

function mappingError(message: string): never {
  throw new SigmaError('schema', `log source mapping: ${message}`);
}

/** Validates a mapping read from a user's YAML/JSON file (already parsed). */
export function parseLogSourceMapping(value: unknown): LogSourceMapping {
  if (typeof value !== 'object' || value === null)
    mappingError('must be a map with keyFields and entries');
  const v = value as Record<string, unknown>;
  const keyFields = v['keyFields'];
  if (
    !Array.isArray(keyFields) ||
    keyFields.length !== 2 ||
    !keyFields.every((k) => typeof k === 'string')
  ) {
    mappingError("'keyFields' must list two field names, e.g. [Channel, EventID]");
  }
  const entries = v['entries'];
  if (!Array.isArray(entries)) mappingError("'entries' must be a list");
  const parsed = entries.map((raw: unknown, i): LogSourceMappingEntry => {
    if (typeof raw !== 'object' || raw === null) mappingError(`entry ${i + 1} must be a map`);
    const e = raw as Record<string, unknown>;
    const ls = e['logsource'];
    if (typeof ls !== 'object' || ls === null) mappingError(`entry ${i + 1} needs 'logsource'`);
    const logsource: { product?: string; category?: string; service?: string } = {};
    for (const key of ['product', 'category', 'service'] as const) {
      const x = (ls as Record<string, unknown>)[key];
      if (x !== undefined && typeof x !== 'string')
        mappingError(`entry ${i + 1}: logsource.${key} must be text`);
      if (typeof x === 'string') logsource[key] = x.toLowerCase();
    }
    const conditions = e['conditions'];
    if (typeof conditions !== 'object' || conditions === null || Array.isArray(conditions)) {
      mappingError(`entry ${i + 1} needs 'conditions' (field: value or list)`);
    }
    for (const [field, c] of Object.entries(conditions)) {
      const list: unknown[] = Array.isArray(c) ? c : [c];
      if (!list.every((x) => typeof x === 'string' || typeof x === 'number')) {
        mappingError(
          `entry ${i + 1}: condition '${field}' must be text, a number or a list of them`,
        );
      }
    }
    const fm = e['fieldmappings'];
    if (fm !== undefined && (typeof fm !== 'object' || fm === null)) {
      mappingError(`entry ${i + 1}: 'fieldmappings' must map rule fields to event fields`);
    }
    return {
      logsource,
      conditions: conditions as LogSourceMappingEntry['conditions'],
      ...(fm ? { fieldmappings: fm as Record<string, string> } : {}),
    };
  });
  return { keyFields: [keyFields[0] as string, keyFields[1] as string], entries: parsed };
}
