/**
 * Checks one YAML document against the Sigma JSON schemas (detection rule, correlation rule,
 * filter) and turns it into a typed document. The checks follow the schemas' `required`,
 * types, enums and patterns; each failure is phrased for the rule author.
 */
import { SigmaError } from '../sigma-error.ts';
import type { YamlValue } from '../yaml/parse-yaml-documents.ts';
import type {
  ConditionOperator,
  CorrelationRule,
  CorrelationType,
  DetectionRule,
  FilterRule,
  LogSource,
  RuleMeta,
  SigmaDocument,
  SigmaLevel,
} from './sigma-rule.ts';
import { CORRELATION_TYPES, SIGMA_LEVELS } from './sigma-rule.ts';

type YamlMap = { readonly [key: string]: YamlValue };

const STATUSES = ['stable', 'test', 'experimental', 'deprecated', 'unsupported'];
// Sigma 1.x wrote dates as YYYY/MM/DD; both spellings are accepted.
const DATE = /^\d{4}[-/](0[1-9]|1[012])[-/](0[1-9]|[12][0-9]|3[01])$/;
const TAG = /^[a-z0-9_-]+\.[a-z0-9._-]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TIMESPAN = /^(\d+)([smhdwMy])$/;
const OPERATORS: readonly ConditionOperator[] = ['gt', 'gte', 'lt', 'lte', 'eq', 'neq'];

export function isYamlMap(value: YamlValue | undefined): value is YamlMap {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function schemaError(message: string): never {
  throw new SigmaError('schema', message);
}

function optionalString(doc: YamlMap, key: string, maxLength = Infinity): string | undefined {
  const value = doc[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' && typeof value !== 'number')
    schemaError(`'${key}' must be a string`);
  const text = String(value);
  if (text.length > maxLength) schemaError(`'${key}' is longer than ${maxLength} characters`);
  return text;
}

function stringList(doc: YamlMap, key: string): string[] {
  const value = doc[key];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) schemaError(`'${key}' must be a list`);
  return value.map((v) => {
    if (typeof v !== 'string' && typeof v !== 'number')
      schemaError(`'${key}' must be a list of strings`);
    return String(v);
  });
}

function meta(doc: YamlMap, file: string): RuleMeta {
  const title = optionalString(doc, 'title', 256);
  if (title === undefined) schemaError("missing required attribute 'title'");
  const id = optionalString(doc, 'id');
  if (id !== undefined && !UUID.test(id)) schemaError(`'id' ${JSON.stringify(id)} is not a UUID`);
  const status = optionalString(doc, 'status');
  if (status !== undefined && !STATUSES.includes(status)) {
    schemaError(`'status' must be one of ${STATUSES.join(', ')} (got ${JSON.stringify(status)})`);
  }
  const level = optionalString(doc, 'level');
  if (level !== undefined && !SIGMA_LEVELS.includes(level as SigmaLevel)) {
    schemaError(`'level' must be one of ${SIGMA_LEVELS.join(', ')} (got ${JSON.stringify(level)})`);
  }
  for (const key of ['date', 'modified']) {
    const date = optionalString(doc, key);
    if (date !== undefined && !DATE.test(date))
      schemaError(`'${key}' must be a date YYYY-MM-DD (got ${JSON.stringify(date)})`);
  }
  const tags = stringList(doc, 'tags');
  for (const tag of tags) {
    if (!TAG.test(tag))
      schemaError(`tag ${JSON.stringify(tag)} must be lowercase 'namespace.name'`);
  }
  stringList(doc, 'references');
  stringList(doc, 'falsepositives');
  return {
    file,
    id,
    name: optionalString(doc, 'name', 256),
    title,
    level: level as SigmaLevel | undefined,
    status,
    tags,
  };
}

function logsource(doc: YamlMap): LogSource {
  const value = doc['logsource'];
  if (value === undefined) schemaError("missing required attribute 'logsource'");
  if (!isYamlMap(value)) schemaError("'logsource' must be a map");
  const source: { product?: string; category?: string; service?: string } = {};
  for (const key of ['product', 'category', 'service'] as const) {
    const v = optionalString(value, key);
    if (v !== undefined) source[key] = v.toLowerCase();
  }
  if (!source.product && !source.category && !source.service) {
    schemaError("'logsource' needs at least one of product, category, service");
  }
  return source;
}

function detectionSection(value: YamlValue | undefined, what: string): Record<string, YamlValue> {
  if (value === undefined) schemaError(`missing required attribute '${what}'`);
  if (!isYamlMap(value)) schemaError(`'${what}' must be a map of search identifiers`);
  return { ...value };
}

function conditions(value: YamlValue | undefined, what: string): string[] {
  if (value === undefined || value === null) schemaError(`'${what}' has no 'condition'`);
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) schemaError(`'${what}' has an empty 'condition' list`);
  return list.map((c) => {
    if (typeof c !== 'string')
      schemaError(`'${what}.condition' must be a string or list of strings`);
    return c;
  });
}

export function parseTimespan(text: string): number {
  const m = TIMESPAN.exec(text);
  if (!m)
    schemaError(
      `'timespan' must be a number followed by s, m, h or d (got ${JSON.stringify(text)})`,
    );
  const units: Record<string, number> = {
    s: 1000,
    m: 60_000,
    h: 3_600_000,
    d: 86_400_000,
    w: 7 * 86_400_000,
    M: 30 * 86_400_000,
    y: 365 * 86_400_000,
  };
  return Number(m[1]) * units[m[2]!]!;
}

function detectionRule(doc: YamlMap, file: string): DetectionRule {
  const base = meta(doc, file);
  const source = logsource(doc);
  const detection = detectionSection(doc['detection'], 'detection');
  const condition = conditions(detection['condition'], 'detection');
  delete detection['condition'];
  delete detection['timeframe'];
  if (Object.keys(detection).length === 0) schemaError("'detection' defines no search identifiers");
  return { ...base, kind: 'detection', logsource: source, detection, conditions: condition };
}

function correlationRule(doc: YamlMap, file: string): CorrelationRule {
  const base = meta(doc, file);
  const section = doc['correlation'];
  if (!isYamlMap(section)) schemaError("'correlation' must be a map");
  const type = optionalString(section, 'type');
  if (!type || !CORRELATION_TYPES.includes(type as CorrelationType)) {
    schemaError(`'correlation.type' must be one of ${CORRELATION_TYPES.join(', ')}`);
  }
  const rules = stringList(section, 'rules');
  if (rules.length === 0) schemaError("'correlation.rules' must list at least one rule");
  const groupBy = stringList(section, 'group-by');
  const timespanText = optionalString(section, 'timespan') ?? optionalString(section, 'timeframe');
  if (timespanText === undefined) schemaError("missing required attribute 'correlation.timespan'");
  const timespanMs = parseTimespan(timespanText);
  const condition = new Map<ConditionOperator, number>();
  let field: string | undefined;
  let percentile: number | undefined;
  const cond = section['condition'];
  const temporal = type === 'temporal' || type === 'temporal_ordered';
  if (cond !== undefined && cond !== null) {
    if (!isYamlMap(cond)) schemaError("'correlation.condition' must be a map such as {gte: 10}");
    for (const [key, value] of Object.entries(cond)) {
      if (key === 'field') {
        const f = Array.isArray(value) ? value[0] : value;
        if (typeof f !== 'string')
          schemaError("'correlation.condition.field' must be a field name");
        field = f;
      } else if (key === 'percentile') {
        percentile = Number(value);
      } else if (OPERATORS.includes(key as ConditionOperator)) {
        const n = Number(value);
        if (!Number.isFinite(n)) schemaError(`'correlation.condition.${key}' must be a number`);
        condition.set(key as ConditionOperator, n);
      } else {
        schemaError(`'correlation.condition' has unknown key '${key}'`);
      }
    }
  } else if (!temporal) {
    schemaError(`'correlation.condition' is required for ${type}`);
  }
  if (!temporal && condition.size === 0)
    schemaError("'correlation.condition' needs a comparison such as gte");
  if (type !== 'event_count' && !temporal && field === undefined) {
    schemaError(`'correlation.condition.field' is required for ${type}`);
  }
  const aliases = new Map<string, Map<string, string>>();
  const aliasSection = section['aliases'];
  if (aliasSection !== undefined && aliasSection !== null) {
    if (!isYamlMap(aliasSection)) schemaError("'correlation.aliases' must be a map");
    for (const [alias, perRule] of Object.entries(aliasSection)) {
      if (!isYamlMap(perRule)) schemaError(`alias '${alias}' must map rule names to field names`);
      aliases.set(
        alias,
        new Map(
          Object.entries(perRule).map(([r, f]) => [
            r,
            typeof f === 'string' ? f : JSON.stringify(f),
          ]),
        ),
      );
    }
  }
  const generate = section['generate'] ?? doc['generate'];
  if (generate !== undefined && typeof generate !== 'boolean')
    schemaError("'generate' must be true or false");
  return {
    ...base,
    kind: 'correlation',
    type: type as CorrelationType,
    rules,
    groupBy,
    timespanMs,
    condition,
    field,
    percentile,
    aliases,
    generate: generate === true,
  };
}

function filterRule(doc: YamlMap, file: string): FilterRule {
  const base = meta(doc, file);
  const source = logsource(doc);
  const section = doc['filter'];
  if (!isYamlMap(section))
    schemaError("'filter' must be a map with 'rules', selections and 'condition'");
  const rulesValue = section['rules'];
  const rules = typeof rulesValue === 'string' ? [rulesValue] : stringList(section, 'rules');
  if (rules.length === 0) schemaError("'filter.rules' must name at least one rule");
  const detection = detectionSection(section, 'filter');
  const condition = conditions(detection['condition'], 'filter');
  delete detection['condition'];
  delete detection['rules'];
  return {
    ...base,
    kind: 'filter',
    logsource: source,
    rules,
    detection,
    condition: condition.join(' or '),
  };
}

/** Classifies and validates one document; throws SigmaError('schema') with the reason. */
export function validateDocument(value: YamlValue, file: string): SigmaDocument {
  if (!isYamlMap(value)) schemaError('a Sigma document must be a YAML map');
  if (value['correlation'] !== undefined) return correlationRule(value, file);
  if (value['filter'] !== undefined) return filterRule(value, file);
  return detectionRule(value, file);
}
