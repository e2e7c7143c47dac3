/**
 * Compiles a parsed search query (core's `QueryNode`) to a parameterised SQL condition for
 * SQLite or PostgreSQL. Values are always bound parameters; the only text spliced into SQL is
 * column names from the fixed table below and constant SQL.
 *
 * Matching rules (documented for users in the README):
 * - exact values are case-sensitive and use the indexed columns where the field has one;
 * - wildcard patterns (`*`, `?`) and free text are case-insensitive (LIKE / ILIKE), scans;
 * - IP fields take an address or a CIDR block (IPv4 or IPv6), compared as 32-digit hex;
 * - `@timestamp` / `event.ingested` take RFC 3339 times or epoch ms; a bare date matches its day;
 * - other fields are read from the stored JSON; arrays match when any element matches, and
 *   numbers compare as numbers whether stored as JSON numbers or numeric strings;
 * - `not x` also matches events where x's field is absent (as in KQL).
 *
 * SQLite refuses an expression deeper than 1000, and reads `a OR b OR c …` as a chain as deep
 * as it is long: chains of `and` / `or` are flattened and written as balanced trees, so 1000
 * ORed values nest 10 deep, and a tree nested deeper than the parser allows is refused.
 */
import type { IndexedEventField, QueryNode, QueryValue, RangeOperator } from '@cordon/core';
import {
  CordonError,
  MAX_QUERY_DEPTH,
  cidrToHexRange,
  ipToHex,
  resolveEventField,
  unaddressableCharacter,
} from '@cordon/core';
import type { RawBuilder } from 'kysely';
import { sql } from 'kysely';
import type { DialectName } from '../database/open-database.ts';

type Condition = RawBuilder<unknown>;

export const INDEXED_COLUMNS: { readonly [F in IndexedEventField]: string } = {
  '@timestamp': 'ts',
  'event.ingested': 'ingested_at',
  'host.name': 'host',
  'user.name': 'user_name',
  'source.ip': 'source_ip',
  'destination.ip': 'destination_ip',
  'event.code': 'event_code',
  'event.category': 'category',
  'event.dataset': 'dataset',
  'provenance.kind': 'provenance_kind',
};

const DAY_MS = 86_400_000;

/**
 * Indexes of their own (tenant, column, time), in the order a search prefers them when a query
 * constrains several: an address or a user narrows more than a host, and an exact value more
 * than a CIDR block; an event code comes last, as a handful of codes cover most events.
 */
const INDEX_PREFERENCE: readonly { field: IndexedEventField; index: string; range: boolean }[] = [
  { field: 'source.ip', index: 'events_source_ip', range: false },
  { field: 'destination.ip', index: 'events_destination_ip', range: false },
  { field: 'user.name', index: 'events_user_name', range: false },
  { field: 'host.name', index: 'events_host', range: false },
  { field: 'source.ip', index: 'events_source_ip', range: true },
  { field: 'destination.ip', index: 'events_destination_ip', range: true },
  { field: 'event.code', index: 'events_event_code', range: false },
];

export interface IndexChoice {
  readonly index: string;
  /** True when the index is read over a range (a CIDR block), not one value. */
  readonly range: boolean;
}

/**
 * The column index a SQLite search should read, when the query has a conjunct it can serve:
 * an exact value on an indexed column, or an address range. SQLite's own choice rests on
 * statistics that sample a few rows and cannot tell a rare CIDR block or user from a common
 * one; this choice rests on what the fields mean.
 */
export function chooseIndex(node: QueryNode): IndexChoice | undefined {
  const conjuncts = node.kind === 'and' ? node.children : [node];
  let best: number | undefined;
  for (const candidate of conjuncts) {
    // `user:a or user:b` is `user_name IN (a, b)` to SQLite: one index serves it.
    const conjunct = candidate.kind === 'or' ? sameFieldValues(candidate.children) : candidate;
    if (conjunct === undefined) continue;
    if (conjunct.kind !== 'match' && conjunct.kind !== 'range') continue;
    const ref = resolveEventField(conjunct.field);
    if (ref.kind !== 'indexed') continue;
    const ip = ref.field === 'source.ip' || ref.field === 'destination.ip';
    let range: boolean;
    if (conjunct.kind === 'match') {
      if (conjunct.value.pattern) continue;
      range = ip && cidrToHexRange(conjunct.value.text) !== undefined;
    } else {
      if (!ip) continue;
      range = true;
    }
    const rank = INDEX_PREFERENCE.findIndex((p) => p.field === ref.field && p.range === range);
    if (rank >= 0 && (best === undefined || rank < best)) best = rank;
  }
  if (best === undefined) return undefined;
  const { index, range } = INDEX_PREFERENCE[best]!;
  return { index, range };
}

const NUMBER = /^-?\d+(\.\d+)?$/;

const queryError = (message: string, position: number): CordonError =>
  new CordonError('invalid_input', message, { details: { position } });

/** A LIKE pattern (escape character `\`) for a value; `contains` wraps it in `%`. */
export function likePattern(value: QueryValue, contains: boolean): string {
  const escape = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
  const body = value.pattern
    ? value.pattern
        .map((p) => (typeof p === 'string' ? escape(p) : p.wildcard === '*' ? '%' : '_'))
        .join('')
    : escape(value.text);
  return contains ? `%${body}%` : body;
}

function parseTime(text: string, field: string, position: number): number {
  const ms = /^\d{1,16}$/.test(text) ? Number(text) : Date.parse(text);
  if (Number.isNaN(ms)) {
    throw queryError(
      `'${text}' is not a time for ${field} at ${position} (use RFC 3339 or epoch ms)`,
      position,
    );
  }
  return ms;
}

const comparison = (operator: RangeOperator): RawBuilder<unknown> => sql.raw(operator);

export class QueryCompiler {
  readonly #dialect: DialectName;

  constructor(dialect: DialectName) {
    this.#dialect = dialect;
  }

  compile(node: QueryNode, depth = 0): Condition {
    // Trees come from the parser (bounded by MAX_QUERY_DEPTH) or from code: bound both.
    if (depth > MAX_COMPILED_DEPTH) {
      throw queryError(`query nested too deeply (more than ${MAX_COMPILED_DEPTH} levels)`, 1);
    }
    switch (node.kind) {
      case 'and':
      case 'or':
        return balanced(
          flatten(node.kind, node.children).map((c) => this.compile(c, depth + 1)),
          node.kind === 'and' ? sql` AND ` : sql` OR `,
        );
      case 'not':
        return sql`(NOT COALESCE(${this.compile(node.child, depth + 1)}, FALSE))`;
      case 'text':
        return this.#freeText(node.value);
      case 'exists':
      case 'match':
      case 'range': {
        const ref = resolveEventField(node.field);
        if (ref.kind === 'indexed') return this.#indexed(node, ref.field);
        return this.#json(node, ref.paths);
      }
    }
  }

  /** The value of a field for `terms`: a column, or the JSON text at its path(s). */
  fieldValue(field: string): { readonly expression: Condition; readonly ip: boolean } {
    const ref = resolveEventField(field);
    if (ref.kind === 'indexed') {
      return {
        expression: sql.ref(INDEXED_COLUMNS[ref.field]),
        ip: ref.field === 'source.ip' || ref.field === 'destination.ip',
      };
    }
    checkPaths(ref.paths, field, 0);
    const one = (path: readonly string[]) =>
      this.#dialect === 'sqlite'
        ? sql`json_extract(events.doc, ${sqlitePath(path)})`
        : sql`(events.doc #>> ${[...path]}::text[])`;
    const expression =
      ref.paths.length === 1 ? one(ref.paths[0]!) : sql`COALESCE(${sql.join(ref.paths.map(one))})`;
    return { expression, ip: false };
  }

  #like(): RawBuilder<unknown> {
    return sql.raw(this.#dialect === 'sqlite' ? 'LIKE' : 'ILIKE');
  }

  #freeText(value: QueryValue): Condition {
    const pattern = likePattern(value, true);
    const like = this.#like();
    if (this.#dialect === 'sqlite') {
      return sql`(json_extract(events.doc, '$.message') ${like} ${pattern} ESCAPE '\\' OR json_extract(events.doc, '$.event.original') ${like} ${pattern} ESCAPE '\\')`;
    }
    return sql`(events.doc->>'message' ${like} ${pattern} ESCAPE '\\' OR events.doc->'event'->>'original' ${like} ${pattern} ESCAPE '\\')`;
  }

  #indexed(
    node: Extract<QueryNode, { kind: 'match' | 'range' | 'exists' }>,
    field: IndexedEventField,
  ): Condition {
    const column = sql.ref(INDEXED_COLUMNS[field]);
    if (node.kind === 'exists') return sql`(${column} IS NOT NULL)`;
    switch (field) {
      case '@timestamp':
      case 'event.ingested': {
        if (node.kind === 'match' && node.value.pattern) {
          throw queryError(
            `wildcards do not apply to ${node.field} at ${node.position}`,
            node.position,
          );
        }
        const text = node.kind === 'match' ? node.value.text : node.value;
        const ms = parseTime(text, node.field, node.position);
        if (node.kind === 'range') return sql`(${column} ${comparison(node.operator)} ${ms})`;
        if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
          return sql`(${column} >= ${ms} AND ${column} < ${ms + DAY_MS})`;
        }
        return sql`(${column} = ${ms})`;
      }
      case 'source.ip':
      case 'destination.ip': {
        if (node.kind === 'match' && node.value.pattern) {
          return this.#json(node, [field.split('.')]);
        }
        const text = node.kind === 'match' ? node.value.text : node.value;
        if (node.kind === 'match') {
          const range = cidrToHexRange(text);
          if (range) return sql`(${column} >= ${range.low} AND ${column} <= ${range.high})`;
        }
        const hex = ipToHex(text);
        if (hex === undefined) {
          throw queryError(
            `'${text}' is not an IP address${node.kind === 'match' ? ' or CIDR block' : ''} for ${node.field} at ${node.position}`,
            node.position,
          );
        }
        if (node.kind === 'range') return sql`(${column} ${comparison(node.operator)} ${hex})`;
        return sql`(${column} = ${hex})`;
      }
      case 'event.code': {
        if (node.kind === 'range') {
          if (!/^-?\d{1,15}$/.test(node.value)) {
            throw queryError(
              `a range on event.code needs an integer, not '${node.value}', at ${node.position}`,
              node.position,
            );
          }
          return sql`(code_num ${comparison(node.operator)} ${Number(node.value)})`;
        }
        return this.#textColumn(column, node.value);
      }
      case 'event.category': {
        if (node.kind === 'range')
          return sql`(${column} ${comparison(node.operator)} ${node.value})`;
        // Several categories are stored comma-joined: match one of them.
        const one = likePattern(node.value, false);
        const like = this.#like();
        if (!node.value.pattern) {
          return sql`(${column} = ${node.value.text} OR (',' || ${column} || ',') ${like} ${`%,${one},%`} ESCAPE '\\')`;
        }
        return sql`((',' || ${column} || ',') ${like} ${`%,${one},%`} ESCAPE '\\')`;
      }
      case 'host.name':
      case 'user.name':
      case 'event.dataset':
      case 'provenance.kind':
        if (node.kind === 'range')
          return sql`(${column} ${comparison(node.operator)} ${node.value})`;
        return this.#textColumn(column, node.value);
    }
  }

  #textColumn(column: RawBuilder<unknown>, value: QueryValue): Condition {
    if (value.pattern)
      return sql`(${column} ${this.#like()} ${likePattern(value, false)} ESCAPE '\\')`;
    return sql`(${column} = ${value.text})`;
  }

  #json(
    node: Extract<QueryNode, { kind: 'match' | 'range' | 'exists' }>,
    paths: readonly (readonly string[])[],
  ): Condition {
    checkPaths(paths, node.field, node.position);
    const each = paths.map((path) =>
      this.#dialect === 'sqlite' ? this.#sqliteJson(node, path) : this.#postgresJson(node, path),
    );
    return each.length === 1 ? each[0]! : sql`(${sql.join(each, sql` OR `)})`;
  }

  #sqliteJson(
    node: Extract<QueryNode, { kind: 'match' | 'range' | 'exists' }>,
    path: readonly string[],
  ): Condition {
    const jsonPath = sqlitePath(path);
    if (node.kind === 'exists') {
      return sql`(COALESCE(json_type(events.doc, ${jsonPath}), 'null') <> 'null')`;
    }
    let predicate: Condition;
    if (node.kind === 'match') {
      const { text } = node.value;
      if (node.value.pattern) {
        predicate = sql`j.value LIKE ${likePattern(node.value, false)} ESCAPE '\\'`;
      } else if (NUMBER.test(text)) {
        predicate = sql`j.value IN (${Number(text)}, ${text})`;
      } else if (text === 'true' || text === 'false') {
        predicate = sql`(j.type = ${text} OR j.value = ${text})`;
      } else {
        predicate = sql`j.value = ${text}`;
      }
    } else if (NUMBER.test(node.value)) {
      const op = comparison(node.operator);
      const n = Number(node.value);
      predicate = sql`(CASE WHEN j.type IN ('integer', 'real') THEN j.value WHEN j.type = 'text' AND trim(j.value) GLOB '*[0-9]*' AND trim(j.value) NOT GLOB '*[^0-9.-]*' THEN CAST(trim(j.value) AS REAL) END) ${op} ${n}`;
    } else {
      predicate = sql`(j.type = 'text' AND j.value ${comparison(node.operator)} ${node.value})`;
    }
    return sql`EXISTS (SELECT 1 FROM json_each(events.doc, ${jsonPath}) AS j WHERE ${predicate})`;
  }

  #postgresJson(
    node: Extract<QueryNode, { kind: 'match' | 'range' | 'exists' }>,
    path: readonly string[],
  ): Condition {
    const at = sql`(events.doc #> ${[...path]}::text[])`;
    if (node.kind === 'exists') return sql`(COALESCE(jsonb_typeof(${at}), 'null') <> 'null')`;
    let predicate: Condition;
    if (node.kind === 'match') {
      predicate = node.value.pattern
        ? sql`j.value ILIKE ${likePattern(node.value, false)} ESCAPE '\\'`
        : sql`j.value = ${node.value.text}`;
    } else if (NUMBER.test(node.value)) {
      predicate = sql`(CASE WHEN j.value ~ '^\\s*-?[0-9]+(\\.[0-9]+)?\\s*$' THEN trim(j.value)::numeric END) ${comparison(node.operator)} ${node.value}::numeric`;
    } else {
      predicate = sql`j.value ${comparison(node.operator)} ${node.value}`;
    }
    return sql`EXISTS (SELECT 1 FROM jsonb_array_elements_text(CASE jsonb_typeof(${at}) WHEN 'array' THEN ${at} ELSE jsonb_build_array(${at}) END) AS j(value) WHERE ${predicate})`;
  }
}

/** Deeper than the parser lets a query go (MAX_QUERY_DEPTH, and/or levels between). */
const MAX_COMPILED_DEPTH = 3 * MAX_QUERY_DEPTH;

/** `a or (b or c)` is `a or b or c`: one list per run of the same operator. */
function flatten(kind: 'and' | 'or', children: readonly QueryNode[]): QueryNode[] {
  const flat: QueryNode[] = [];
  const pending = [...children].reverse();
  for (let child = pending.pop(); child !== undefined; child = pending.pop()) {
    if (child.kind === kind) pending.push(...[...child.children].reverse());
    else flat.push(child);
  }
  return flat;
}

/** `(a OP b OP c OP d)` as `((a OP b) OP (c OP d))`: depth log2(n) instead of n. */
function balanced(conditions: readonly Condition[], operator: RawBuilder<unknown>): Condition {
  if (conditions.length <= 4) return sql`(${sql.join(conditions, operator)})`;
  const middle = Math.ceil(conditions.length / 2);
  return sql`(${balanced(conditions.slice(0, middle), operator)}${operator}${balanced(conditions.slice(middle), operator)})`;
}

/** The first alternative when all are exact values of one field, else undefined. */
function sameFieldValues(alternatives: readonly QueryNode[]): QueryNode | undefined {
  const first = alternatives[0];
  if (first?.kind !== 'match') return undefined;
  const same = alternatives.every(
    (a) =>
      a.kind === 'match' &&
      a.field === first.field &&
      a.value.pattern === undefined &&
      cidrToHexRange(a.value.text) === undefined,
  );
  return same ? first : undefined;
}

/** SQLite JSON path with every key quoted, so that dots inside a key stay in the key. */
function sqlitePath(path: readonly string[]): string {
  return '$' + path.map((key) => `."${key}"`).join('');
}

function checkPaths(paths: readonly (readonly string[])[], field: string, position: number): void {
  for (const path of paths) {
    if (path.some((key) => key === '' || unaddressableCharacter(key) !== undefined)) {
      throw queryError(`invalid field name '${field}' at ${position}`, position);
    }
  }
}
