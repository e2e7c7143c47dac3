/**
 * One `field|modifier|…: value(s)` entry of a search identifier → a test on the event. The
 * modifiers are applied in the order written (rules spec, "Value Modifiers"): transformations
 * (`expand`, `windash`, encodings, `contains` / `startswith` / `endswith`) reshape the values,
 * then the type modifiers (`re`, `cidr`, `exists`, comparisons, time parts, `fieldref`) decide
 * how they are compared. Values are OR-ed unless `all` is given. Matching is case-insensitive
 * unless `cased` (regexes are case-sensitive unless `i`).
 */
import type { MatchContext } from '../event/match-context.ts';
import { scalarText } from '../event/match-context.ts';
import type { FieldTable } from '../event/match-context.ts';
import { compileRegex } from '../regex/linear-regex.ts';
import type { RuleLimits } from '../rule/rule-limits.ts';
import { DEFAULT_RULE_LIMITS } from '../rule/rule-limits.ts';
import { SigmaError } from '../sigma-error.ts';
import type { YamlValue } from '../yaml/parse-yaml-documents.ts';
import { compileCidr } from './cidr.ts';
import {
  base64,
  base64Offsets,
  normalizeDashes,
  utf16beBytes,
  utf16leBytes,
  utf8Bytes,
} from './encodings.ts';
import type { SigmaString } from './sigma-string.ts';
import {
  ANY_RUN,
  literalSigmaString,
  mapLiterals,
  normalizeSigmaString,
  parseSigmaString,
  plainText,
} from './sigma-string.ts';
import type { TextTest } from './string-matcher.ts';
import { compileAnyTextTest, longestLiteral } from './string-matcher.ts';

/** The slot of required literals that keyword searches need in any value of the event. */
export const KEYWORD_SLOT = -1;

/** A literal that must occur (lower-cased) in a field's value for a condition to hold. */
export interface RequiredLiteral {
  readonly slot: number;
  readonly literal: string;
}

export interface FieldCondition {
  /** The field as written in the rule, for match explanations ('' for keywords). */
  readonly field: string;
  readonly test: (ctx: MatchContext) => boolean;
  /** One of these must occur for the condition to hold; undefined when no literal is implied. */
  readonly required: readonly RequiredLiteral[] | undefined;
  /** With `all`: one group per value, every one of them required. */
  readonly requiredGroups?: readonly (readonly RequiredLiteral[])[];
  /**
   * On the options' `keyField`, compared for plain equality: the values (lower-cased text) one
   * of which the field must have for the condition to hold.
   */
  readonly keyEquals?: readonly string[];
  /** The one field slot the test reads; undefined when it reads more (keywords, fieldref). */
  readonly readsOnly?: number | undefined;
}

export interface CompileOptions {
  readonly fields: FieldTable;
  /** Field renames of the log source branch being compiled (rule name → event name). */
  readonly fieldMap: Readonly<Record<string, string>>;
  /** Values of `expand` placeholders, by name without percent signs. */
  readonly placeholders: Readonly<Record<string, readonly string[]>>;
  /** A field the engine keys its index by (EventID): equality on it is reported (`keyEquals`). */
  readonly keyField?: string;
  /** Caps on regex size and on the values a rule compiles to (DEFAULT_RULE_LIMITS if absent). */
  readonly limits?: RuleLimits;
  /** What the rule compiled to so far (shared by its field conditions, filters included). */
  readonly tally?: CompileTally;
}

export interface CompileTally {
  /** Values, checked against `limits.maxRuleValues` before each value list is built. */
  values: number;
  regexes: number;
}

/** Counts `n` more values against the rule's cap; throws before the caller builds them. */
export function chargeValues(options: CompileOptions, n: number, what: string): void {
  const max = (options.limits ?? DEFAULT_RULE_LIMITS).maxRuleValues;
  const tally = options.tally;
  const total = (tally?.values ?? 0) + n;
  if (total > max) {
    throw new SigmaError(
      'limit',
      `${what}: the rule compiles to more than ${max} values (expand, base64offset and conditions naming many selections multiply them)`,
    );
  }
  if (tally) tally.values = total;
}

const MODIFIERS = new Set([
  'contains',
  'startswith',
  'endswith',
  'all',
  're',
  'i',
  'm',
  's',
  'base64',
  'base64offset',
  'utf16le',
  'utf16be',
  'utf16',
  'wide',
  'windash',
  'cidr',
  'exists',
  'cased',
  'neq',
  'lt',
  'lte',
  'gt',
  'gte',
  'minute',
  'hour',
  'day',
  'week',
  'month',
  'year',
  'expand',
  'fieldref',
]);
const TIME_PARTS = new Set(['minute', 'hour', 'day', 'week', 'month', 'year']);
const COMPARISONS = new Set(['lt', 'lte', 'gt', 'gte']);

function modifierError(message: string): never {
  throw new SigmaError('modifier', message);
}

/** Values under transformation: per written value, its alternatives (OR-ed). */
interface StringValue {
  readonly alternatives: SigmaString[];
  /** Encoded to bytes (utf16*): base64 must encode these bytes rather than UTF-8. */
  readonly bytes: boolean;
}

function expandPlaceholders(raw: string, options: CompileOptions, key: string): string[] {
  const placeholders = options.placeholders;
  // `\%` is a literal percent; `%name%` a placeholder.
  const pieces: (string | string[])[] = [];
  let literal = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '\\' && raw[i + 1] === '%') {
      literal += '%';
      i++;
    } else if (ch === '%') {
      const end = raw.indexOf('%', i + 1);
      if (end < 0) {
        literal += ch;
        continue;
      }
      const name = raw.slice(i + 1, end);
      const values = placeholders[name];
      if (!values || values.length === 0) {
        throw new SigmaError('placeholder', `placeholder %${name}% has no values configured`);
      }
      pieces.push(literal, [...values]);
      literal = '';
      i = end;
    } else literal += ch;
  }
  pieces.push(literal);
  // Each placeholder multiplies the values: count the product before building it.
  let product = 1;
  for (const piece of pieces) {
    if (typeof piece !== 'string') product = Math.min(product * piece.length, Number.MAX_VALUE);
  }
  chargeValues(options, product, `'${key}'`);
  let results = [''];
  for (const piece of pieces) {
    if (typeof piece === 'string') results = results.map((r) => r + piece);
    else results = results.flatMap((r) => piece.map((v) => r + v));
  }
  return results;
}

function valueList(value: YamlValue): YamlValue[] {
  return Array.isArray(value) ? value : [value];
}

function isoWeek(date: Date): number {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  const day = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - day);
  const yearStart = Date.UTC(d.getUTCFullYear(), 0, 1);
  return Math.ceil(((d.getTime() - yearStart) / 86_400_000 + 1) / 7);
}

/** Parses event timestamps: ISO 8601, "YYYY-MM-DD hh:mm:ss[.fff]" (UTC), epoch ms/s numbers. */
export function parseEventTime(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value < 1e11 ? value * 1000 : value);
  if (typeof value !== 'string') return undefined;
  let text = value.trim();
  if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/.test(text)) {
    text = text.replace(' ', 'T');
    if (!/(Z|[+-]\d{2}:?\d{2})$/.test(text)) text += 'Z';
  }
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

function timePart(part: string, date: Date): number {
  switch (part) {
    case 'minute':
      return date.getUTCMinutes();
    case 'hour':
      return date.getUTCHours();
    case 'day':
      return date.getUTCDate();
    case 'week':
      return isoWeek(date);
    case 'month':
      return date.getUTCMonth() + 1;
    default:
      return date.getUTCFullYear();
  }
}

/** Applies `test` to a field value: scalars directly, arrays element by element. */
function anyScalar(value: unknown, test: (text: string) => boolean): boolean {
  if (Array.isArray(value)) {
    for (const item of value) {
      const text = scalarText(item);
      if (text !== undefined && test(text)) return true;
    }
    return false;
  }
  const text = scalarText(value);
  return text !== undefined && test(text);
}

export function compileFieldCondition(
  key: string,
  value: YamlValue,
  options: CompileOptions,
): FieldCondition {
  const parsed = parseFieldKey(key, options);
  const condition = compileFieldTest(parsed, value, options);
  const keyEquals = keyFieldValues(key, value, options);
  // Keywords read every value, fieldref a second field; anything else only its own field.
  const readsOnly =
    parsed.keyword || parsed.modifiers.includes('fieldref') ? undefined : parsed.slot;
  return { ...condition, readsOnly, ...(keyEquals ? { keyEquals } : {}) };
}

interface FieldKey {
  readonly key: string;
  /** The field as written in the rule. */
  readonly rawField: string;
  readonly modifiers: readonly string[];
  /** No field name: a keyword search. */
  readonly keyword: boolean;
  readonly slot: number;
}

/** `field|modifier|…` → the field's slot (after the log source's renames) and the modifiers. */
function parseFieldKey(key: string, options: CompileOptions): FieldKey {
  const [rawField = '', ...modifiers] = key.split('|');
  for (const m of modifiers) {
    if (!MODIFIERS.has(m)) modifierError(`unknown modifier '${m}' in '${key}'`);
  }
  const field = options.fieldMap[rawField] ?? rawField;
  const keyword = field === '';
  return {
    key,
    rawField,
    modifiers,
    keyword,
    slot: keyword ? KEYWORD_SLOT : options.fields.slotOf(field),
  };
}

/**
 * `EventID: 4624` or `EventID: [4728, 632]` (the key field, no modifier, plain values): the
 * values as the engine's index spells them. Anything else (modifiers, wildcards, escapes,
 * null) says nothing.
 */
function keyFieldValues(
  key: string,
  value: YamlValue,
  options: CompileOptions,
): readonly string[] | undefined {
  if (options.keyField === undefined || key.includes('|')) return undefined;
  if ((options.fieldMap[key] ?? key) !== options.keyField) return undefined;
  const values = Array.isArray(value) ? value : [value];
  if (values.length === 0) return undefined;
  const out: string[] = [];
  for (const v of values) {
    if (typeof v === 'number' && Number.isFinite(v)) out.push(String(v));
    else if (typeof v === 'string' && v !== '' && !/[*?\\]/.test(v)) out.push(v.toLowerCase());
    else return undefined;
  }
  return out;
}

function compileFieldTest(
  { key, rawField, modifiers, keyword, slot }: FieldKey,
  value: YamlValue,
  options: CompileOptions,
): FieldCondition {
  const has = (m: string) => modifiers.includes(m);
  const values = valueList(value);
  if (values.length === 0) modifierError(`'${key}' has an empty value list`);
  chargeValues(options, values.length, `'${key}'`);
  const limits = options.limits ?? DEFAULT_RULE_LIMITS;
  const all = has('all');
  if (all && values.length < 2 && !keyword) {
    // accepted (pySigma warns too); behaves like a single value
  }
  const negate = has('neq');

  const combine = (tests: ((ctx: MatchContext) => boolean)[]): ((ctx: MatchContext) => boolean) => {
    let test: (ctx: MatchContext) => boolean;
    if (tests.length === 1) test = tests[0]!;
    else if (all) test = (ctx) => tests.every((t) => t(ctx));
    else test = (ctx) => tests.some((t) => t(ctx));
    if (!negate) return test;
    return (ctx) => ctx.value(slot) !== undefined && ctx.value(slot) !== null && !test(ctx);
  };

  if (has('exists')) {
    const v = values[0];
    if (values.length !== 1 || typeof v !== 'boolean')
      modifierError(`'${key}' needs true or false`);
    if (keyword) modifierError(`'${key}': exists needs a field name`);
    return {
      field: rawField,
      required: undefined,
      test: (ctx) => (ctx.value(slot) !== undefined) === v,
    };
  }

  if (
    keyword &&
    (has('re') || has('cidr') || has('fieldref') || COMPARISONS.has(modifiers[0] ?? ''))
  ) {
    modifierError(`'${key}': keyword searches take string values only`);
  }

  if (has('fieldref')) {
    const tests = values.map((v) => {
      if (typeof v !== 'string') modifierError(`'${key}': fieldref values must be field names`);
      const other = options.fields.slotOf(options.fieldMap[v] ?? v);
      const cased = has('cased');
      const relation = has('contains')
        ? (a: string, b: string) => a.includes(b)
        : has('startswith')
          ? (a: string, b: string) => a.startsWith(b)
          : has('endswith')
            ? (a: string, b: string) => a.endsWith(b)
            : (a: string, b: string) => a === b;
      if (!cased) {
        // Both sides lower-cased once per event, in the context's cache.
        return (ctx: MatchContext) => {
          const a = ctx.lower(slot);
          const b = ctx.lower(other);
          return a !== undefined && b !== undefined && relation(a, b);
        };
      }
      return (ctx: MatchContext) => {
        const a = scalarText(ctx.value(slot));
        const b = scalarText(ctx.value(other));
        return a !== undefined && b !== undefined && relation(a, b);
      };
    });
    return { field: rawField, required: undefined, test: combine(tests) };
  }

  if (has('re')) {
    const flags = { ignoreCase: has('i'), multiline: has('m'), dotAll: has('s') };
    const literals: string[] = [];
    const tests = values.map((v) => {
      if (typeof v !== 'string' && typeof v !== 'number')
        modifierError(`'${key}': re needs a string`);
      const regex = compileRegex(String(v), flags, {
        maxStates: limits.maxRegexStates,
        maxInputChars: limits.maxRegexInputChars,
      });
      if (options.tally) options.tally.regexes++;
      const literal = regex.requiredLiteral;
      literals.push(literal);
      return (ctx: MatchContext) => {
        const lowered = ctx.lower(slot);
        if (lowered !== undefined) {
          // the literal pre-check skips the automaton on text that cannot match
          return (
            (!literal || lowered.includes(literal)) &&
            regex.test(scalarText(ctx.value(slot))!, ctx.regexBudget)
          );
        }
        return anyScalar(ctx.value(slot), (t) => regex.test(t, ctx.regexBudget));
      };
    });
    let required: RequiredLiteral[] | undefined;
    if (!negate) {
      const usable = literals.filter((l) => l.length >= 3);
      if (all && usable.length > 0) {
        required = [{ slot, literal: usable.sort((a, b) => b.length - a.length)[0]! }];
      } else if (!all && usable.length === literals.length) {
        required = usable.map((literal) => ({ slot, literal }));
      }
    }
    return { field: rawField, required, test: combine(tests) };
  }

  if (has('cidr')) {
    const tests = values.map((v) => {
      if (typeof v !== 'string') modifierError(`'${key}': cidr needs a network such as 10.0.0.0/8`);
      const ipTest = compileCidr(v);
      return (ctx: MatchContext) => anyScalar(ctx.value(slot), ipTest);
    });
    return { field: rawField, required: undefined, test: combine(tests) };
  }

  const timeModifier = modifiers.find((m) => TIME_PARTS.has(m));
  const comparison = modifiers.find((m) => COMPARISONS.has(m));
  if (timeModifier || comparison) {
    const tests = values.map((v) => {
      const n = typeof v === 'number' ? v : Number(v);
      if (v === null || typeof v === 'boolean' || Number.isNaN(n)) {
        modifierError(`'${key}' needs a number (got ${JSON.stringify(v)})`);
      }
      const compare = (x: number): boolean => {
        switch (comparison) {
          case 'lt':
            return x < n;
          case 'lte':
            return x <= n;
          case 'gt':
            return x > n;
          case 'gte':
            return x >= n;
          default:
            return x === n;
        }
      };
      return (ctx: MatchContext) => {
        const raw = ctx.value(slot);
        const items = Array.isArray(raw) ? (raw as unknown[]) : [raw];
        for (const item of items) {
          let x: number | undefined;
          if (timeModifier) {
            const date = parseEventTime(item);
            x = date ? timePart(timeModifier, date) : undefined;
          } else {
            const text = scalarText(item);
            x = text === undefined || text.trim() === '' ? undefined : Number(text);
          }
          if (x !== undefined && !Number.isNaN(x) && compare(x)) return true;
        }
        return false;
      };
    });
    return { field: rawField, required: undefined, test: combine(tests) };
  }

  // String values: null and the string transformations.
  const nullTests: ((ctx: MatchContext) => boolean)[] = [];
  const stringValues: StringValue[] = [];
  for (const v of values) {
    if (v === null) {
      if (keyword) modifierError(`'${key}': null needs a field name`);
      nullTests.push((ctx) => {
        const x = ctx.value(slot);
        return x === undefined || x === null;
      });
      continue;
    }
    if (typeof v === 'object') modifierError(`'${key}' has a nested value; use a list of strings`);
    const text = String(v);
    const raws = has('expand') ? expandPlaceholders(text, options, key) : [text];
    stringValues.push({ alternatives: raws.map(parseSigmaString), bytes: false });
  }
  let windash = false;
  let cased = has('cased');
  let current = stringValues;
  for (const m of modifiers) {
    switch (m) {
      case 'windash':
        windash = true;
        break;
      case 'utf16le':
      case 'wide':
      case 'utf16be':
      case 'utf16':
        current = current.map((sv) => ({
          bytes: true,
          alternatives: sv.alternatives.map((alt) => {
            const text = plainText(alt);
            if (text === undefined) modifierError(`'${key}': ${m} cannot encode wildcards`);
            return literalSigmaString(
              m === 'utf16be'
                ? utf16beBytes(text)
                : m === 'utf16'
                  ? '\xff\xfe' + utf16leBytes(text)
                  : utf16leBytes(text),
            );
          }),
        }));
        break;
      case 'base64':
      case 'base64offset':
        if (m === 'base64offset') {
          // three renderings of each value
          chargeValues(
            options,
            2 * current.reduce((n, sv) => n + sv.alternatives.length, 0),
            `'${key}'`,
          );
        }
        cased = true; // base64 text is case-sensitive by construction
        current = current.map((sv) => ({
          bytes: false,
          alternatives: sv.alternatives.flatMap((alt) => {
            const text = plainText(alt);
            if (text === undefined) modifierError(`'${key}': ${m} cannot encode wildcards`);
            const bytes = sv.bytes ? text : utf8Bytes(text);
            return (m === 'base64' ? [base64(bytes)] : base64Offsets(bytes)).map(
              literalSigmaString,
            );
          }),
        }));
        break;
      case 'contains':
      case 'startswith':
      case 'endswith':
        current = current.map((sv) => ({
          bytes: sv.bytes,
          alternatives: sv.alternatives.map((alt) =>
            normalizeSigmaString(
              m === 'contains'
                ? [ANY_RUN, ...alt, ANY_RUN]
                : m === 'startswith'
                  ? [...alt, ANY_RUN]
                  : [ANY_RUN, ...alt],
            ),
          ),
        }));
        break;
      default:
        break;
    }
  }
  if (keyword && !has('contains') && !has('startswith') && !has('endswith')) {
    // Keywords search the whole event: a plain keyword matches where it occurs in any value.
    current = current.map((sv) => ({
      bytes: sv.bytes,
      alternatives: sv.alternatives.map((alt) => normalizeSigmaString([ANY_RUN, ...alt, ANY_RUN])),
    }));
  }
  const fold = (text: string): string => {
    let out = cased ? text : text.toLowerCase();
    if (windash) out = normalizeDashes(out);
    return out;
  };
  const foldedAlternatives = (sv: StringValue): SigmaString[] =>
    sv.alternatives.map((alt) => normalizeSigmaString(mapLiterals(alt, fold)));
  // Values are OR-ed unless `all`: then one test over every value's alternatives does.
  const textTests: TextTest[] = all
    ? current.map((sv) => compileAnyTextTest(foldedAlternatives(sv)))
    : current.length > 0
      ? [compileAnyTextTest(current.flatMap(foldedAlternatives))]
      : [];
  const fast = !cased && !windash && !keyword;
  const valueTests = textTests.map((textTest) => {
    if (keyword && !cased && !windash) {
      return (ctx: MatchContext) => {
        for (const t of ctx.keywordLowerValues()) if (textTest(t)) return true;
        return false;
      };
    }
    if (keyword) {
      return (ctx: MatchContext) => {
        for (const t of ctx.keywordValues()) if (textTest(fold(t))) return true;
        return false;
      };
    }
    if (fast) {
      return (ctx: MatchContext) => {
        const lowered = ctx.lower(slot);
        if (lowered !== undefined) return textTest(lowered);
        const raw = ctx.value(slot);
        return Array.isArray(raw) && anyScalar(raw, (t) => textTest(t.toLowerCase()));
      };
    }
    return (ctx: MatchContext) => anyScalar(ctx.value(slot), (t) => textTest(fold(t)));
  });
  const test = combine([...nullTests, ...valueTests]);

  // Literals for the engine's index: each OR-ed alternative must supply one (for keywords, in
  // some value of the event: slot KEYWORD_SLOT).
  let required: RequiredLiteral[] | undefined;
  let requiredGroups: RequiredLiteral[][] | undefined;
  if (!negate && nullTests.length === 0 && current.length > 0) {
    const perValue = current.map((sv) =>
      sv.alternatives.map((alt) => {
        const lit = longestLiteral(mapLiterals(alt, (t) => t.toLowerCase()));
        return windash
          ? (lit.split(/[-/\u2013\u2014\u2015]/).sort((a, b) => b.length - a.length)[0] ?? '')
          : lit;
      }),
    );
    if (all) {
      // AND across values: the value with the longest shortest-literal is enough, and each
      // value is a group of its own for the index to combine.
      let best: string[] | undefined;
      for (const lits of perValue) {
        const score = Math.min(...lits.map((l) => l.length));
        if (score >= 3 && (!best || score > Math.min(...best.map((l) => l.length)))) best = lits;
      }
      required = best?.map((literal) => ({ slot, literal }));
      requiredGroups = perValue
        .filter((lits) => lits.every((l) => l.length >= 3))
        .map((lits) => lits.map((literal) => ({ slot, literal })));
    } else {
      const lits = perValue.flat();
      if (lits.every((l) => l.length >= 3)) required = lits.map((literal) => ({ slot, literal }));
    }
  }
  return { field: rawField, test, required, ...(requiredGroups ? { requiredGroups } : {}) };
}
