/**
 * A rule's `detection` section and condition(s) → one test on the event, plus what the index
 * needs (literals of which at least one must occur) and a way to explain a match (which
 * search identifiers and fields matched).
 */
import type { ConditionNode } from '../condition/condition-node.ts';
import { parseCondition } from '../condition/parse-condition.ts';
import type { MatchContext } from '../event/match-context.ts';
import { isYamlMap } from '../rule/validate-document.ts';
import { SigmaError } from '../sigma-error.ts';
import type { YamlValue } from '../yaml/parse-yaml-documents.ts';
import type { CompileOptions, FieldCondition, RequiredLiteral } from './compile-field.ts';
import { chargeValues, compileFieldCondition } from './compile-field.ts';
import { selectivityScore } from '../engine/literal-selectivity.ts';
import type { SigmaStringPart } from './sigma-string.ts';
import { ANY_RUN, normalizeSigmaString } from './sigma-string.ts';
import { compileTextTest } from './string-matcher.ts';

type Test = (ctx: MatchContext) => boolean;

/**
 * Literals the index can use: every group must be satisfied for the test to hold, and a group
 * is satisfied when one of its literals occurs in its field. Groups are ordered best first.
 */
export type RequiredGroups = readonly (readonly RequiredLiteral[])[];

/** Groups kept per test: enough to reject most candidates, few enough to keep scans short. */
const MAX_GROUPS = 4;

interface Compiled {
  readonly test: Test;
  readonly required: RequiredGroups;
  /** Values one of which the key field (EventID) has in every match; undefined: any. */
  readonly keyValues?: ReadonlySet<string> | undefined;
  /** The one field slot the test reads (undefined: more than one, or the whole event). */
  readonly onlySlot?: number | undefined;
}

/** The slot every part reads alone, if they all read the same one. */
function sharedSlot(parts: readonly Compiled[]): number | undefined {
  const slot = parts[0]?.onlySlot;
  return parts.every((p) => p.onlySlot === slot) ? slot : undefined;
}

/** AND: every part's constraint holds, so their intersection (an empty one says nothing). */
function andKeys(parts: readonly Compiled[]): ReadonlySet<string> | undefined {
  let out: Set<string> | undefined;
  for (const p of parts) {
    if (p.keyValues === undefined) continue;
    out =
      out === undefined
        ? new Set(p.keyValues)
        : new Set([...out].filter((v) => p.keyValues!.has(v)));
  }
  return out !== undefined && out.size > 0 ? out : undefined;
}

/** OR: one part holds, so the union, known only when every part constrains the key. */
function orKeys(parts: readonly Compiled[]): ReadonlySet<string> | undefined {
  const out = new Set<string>();
  for (const p of parts) {
    if (p.keyValues === undefined) return undefined;
    for (const v of p.keyValues) out.add(v);
  }
  return out.size > 0 ? out : undefined;
}

export interface SearchIdentifier {
  readonly name: string;
  readonly test: Test;
  /** Field conditions, for explanations. */
  readonly conditions: readonly FieldCondition[];
}

export interface CompiledDetection {
  readonly test: Test;
  /** All of these groups hold in every event the detection matches (empty: none known). */
  readonly required: RequiredGroups;
  /** The key field (CompileOptions.keyField) has one of these in every match; undefined: any. */
  readonly keyValues?: ReadonlySet<string> | undefined;
  /**
   * The one field slot the test reads: then whether it holds depends on that field's value
   * alone (the index may remember it per value). Undefined when it reads more.
   */
  readonly onlySlot?: number | undefined;
  readonly identifiers: readonly SearchIdentifier[];
}

export interface MatchExplanation {
  readonly selections: readonly string[];
  readonly fields: readonly string[];
}

function score(group: readonly RequiredLiteral[]): number {
  return selectivityScore(group.map((r) => r.literal));
}

function groupKey(group: readonly RequiredLiteral[]): string {
  return group
    .map((r) => `${r.slot}:${r.literal}`)
    .sort()
    .join('\u0000');
}

/** Best groups first, duplicates dropped, at most MAX_GROUPS. */
function bestGroups(groups: readonly (readonly RequiredLiteral[])[]): RequiredGroups {
  const unique = new Map<string, readonly RequiredLiteral[]>();
  for (const g of groups) if (g.length > 0) unique.set(groupKey(g), g);
  return [...unique.values()]
    .map((g) => ({ g, s: score(g) }))
    .sort((a, b) => b.s - a.s)
    .slice(0, MAX_GROUPS)
    .map((x) => x.g);
}

/** A field condition's literals (one group, or none). */
export function fieldGroups(condition: FieldCondition): RequiredGroups {
  if (condition.requiredGroups && condition.requiredGroups.length > 0) {
    return bestGroups(condition.requiredGroups);
  }
  return condition.required && condition.required.length > 0 ? [condition.required] : [];
}

function andOf(parts: readonly Compiled[]): Compiled {
  const required = bestGroups(parts.flatMap((p) => p.required));
  const keyValues = andKeys(parts);
  const onlySlot = sharedSlot(parts);
  const tests = parts.map((p) => p.test);
  if (tests.length === 1) return { test: tests[0]!, required, keyValues, onlySlot };
  if (tests.length === 2) {
    const [a, b] = tests as [Test, Test];
    return { test: (ctx) => a(ctx) && b(ctx), required, keyValues, onlySlot };
  }
  return {
    test: (ctx) => {
      for (const t of tests) if (!t(ctx)) return false;
      return true;
    },
    required,
    keyValues,
    onlySlot,
  };
}

/**
 * Literals of an OR: whichever part holds supplies one of its groups, so taking the i-th
 * group of every part and uniting them gives a group that must hold, for each i.
 */
function orRequired(parts: readonly Compiled[]): RequiredGroups {
  let count = MAX_GROUPS;
  for (const p of parts) count = Math.min(count, p.required.length);
  const out: RequiredLiteral[][] = [];
  for (let i = 0; i < count; i++) out.push(parts.flatMap((p) => p.required[i]!));
  return bestGroups(out);
}

function orOf(parts: readonly Compiled[]): Compiled {
  const required = orRequired(parts);
  const keyValues = orKeys(parts);
  const onlySlot = sharedSlot(parts);
  const tests = parts.map((p) => p.test);
  if (tests.length === 1) return { test: tests[0]!, required, keyValues, onlySlot };
  return {
    test: (ctx) => {
      for (const t of tests) if (t(ctx)) return true;
      return false;
    },
    required,
    keyValues,
    onlySlot,
  };
}

function asCompiled(condition: FieldCondition): Compiled {
  return {
    test: condition.test,
    required: fieldGroups(condition),
    keyValues: condition.keyEquals ? new Set(condition.keyEquals) : undefined,
    onlySlot: condition.readsOnly,
  };
}

function compileMap(
  map: Readonly<Record<string, YamlValue>>,
  options: CompileOptions,
  conditions: FieldCondition[],
): Compiled {
  const entries = Object.entries(map);
  if (entries.length === 0) throw new SigmaError('detection', 'a search identifier map is empty');
  const parts = entries.map(([key, value]) => {
    const c = compileFieldCondition(key, value, options);
    conditions.push(c);
    return asCompiled(c);
  });
  return andOf(parts);
}

function compileIdentifier(
  name: string,
  value: YamlValue,
  options: CompileOptions,
): SearchIdentifier & Compiled {
  const conditions: FieldCondition[] = [];
  let compiled: Compiled;
  try {
    if (isYamlMap(value)) compiled = compileMap(value, options, conditions);
    else if (Array.isArray(value)) {
      if (value.length === 0) throw new SigmaError('detection', 'is an empty list');
      const keywords = value.filter((v) => !isYamlMap(v) && !Array.isArray(v));
      const parts: Compiled[] = value
        .filter(isYamlMap)
        .map((m) => compileMap(m, options, conditions));
      if (value.some(Array.isArray)) throw new SigmaError('detection', 'nests a list in a list');
      if (keywords.length > 0) {
        const c = compileFieldCondition('', keywords, options);
        conditions.push(c);
        parts.push(asCompiled(c));
      }
      compiled = orOf(parts);
    } else if (typeof value === 'string' || typeof value === 'number') {
      const c = compileFieldCondition('', value, options);
      conditions.push(c);
      compiled = asCompiled(c);
    } else {
      throw new SigmaError('detection', 'must be a map, a list, or a keyword');
    }
  } catch (error) {
    if (error instanceof SigmaError) {
      throw new SigmaError(error.code, `search identifier '${name}': ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  return {
    name,
    conditions,
    test: compiled.test,
    required: compiled.required,
    keyValues: compiled.keyValues,
    onlySlot: compiled.onlySlot,
  };
}

/**
 * `selection_*` → a test on identifier names. Not a native RegExp: `a*a*a*…b` would
 * backtrack polynomially in the number of stars; the glob matcher is linear per chunk.
 */
function globTest(pattern: string): (name: string) => boolean {
  const parts: SigmaStringPart[] = [];
  pattern.split('*').forEach((literal, i) => {
    if (i > 0) parts.push(ANY_RUN);
    parts.push(literal);
  });
  return compileTextTest(normalizeSigmaString(parts));
}

export function compileDetection(
  detection: Readonly<Record<string, YamlValue>>,
  conditionTexts: readonly string[],
  options: CompileOptions,
): CompiledDetection {
  const identifiers = new Map<string, SearchIdentifier & Compiled>();
  // Values per identifier: what a condition naming it costs again (its literals are united
  // into every OR above it), so `1 of them or 1 of them or …` cannot multiply a long list.
  const weights = new Map<string, number>();
  const tally = options.tally ?? { values: 0, regexes: 0 };
  const counted: CompileOptions = { ...options, tally };
  for (const [name, value] of Object.entries(detection)) {
    const before = tally.values;
    identifiers.set(name, compileIdentifier(name, value, counted));
    weights.set(name, Math.max(1, tally.values - before));
  }
  const names = [...identifiers.keys()];
  const reference = (name: string, source: string): SearchIdentifier & Compiled => {
    chargeValues(counted, weights.get(name) ?? 1, `condition '${source}'`);
    return identifiers.get(name)!;
  };

  const resolve = (node: ConditionNode, source: string): Compiled => {
    switch (node.kind) {
      case 'identifier': {
        if (!identifiers.has(node.name)) {
          throw new SigmaError(
            'condition',
            `condition '${source}' names '${node.name}', which the detection does not define`,
          );
        }
        return reference(node.name, source);
      }
      case 'and':
        return andOf(node.items.map((n) => resolve(n, source)));
      case 'or':
        return orOf(node.items.map((n) => resolve(n, source)));
      case 'not': {
        const inner = resolve(node.item, source);
        const test = inner.test;
        return { test: (ctx) => !test(ctx), required: [], onlySlot: inner.onlySlot };
      }
      case 'of': {
        let matched: string[];
        if (node.pattern === 'them') matched = names.filter((n) => !n.startsWith('_'));
        else {
          const test = globTest(node.pattern);
          matched = names.filter(
            (n) => test(n) && (!n.startsWith('_') || node.pattern.startsWith('_')),
          );
        }
        if (matched.length === 0) {
          throw new SigmaError(
            'condition',
            `condition '${source}': '${node.pattern}' matches no search identifier`,
          );
        }
        const parts = matched.map((n) => reference(n, source));
        if (node.count === 'all') return andOf(parts);
        if (node.count === 1) return orOf(parts);
        const need = node.count;
        const tests = parts.map((p) => p.test);
        return {
          test: (ctx) => {
            let hits = 0;
            for (const t of tests) if (t(ctx) && ++hits >= need) return true;
            return false;
          },
          // `need` of them hold, so at least one does.
          required: orRequired(parts),
          keyValues: orKeys(parts),
          onlySlot: sharedSlot(parts),
        };
      }
    }
  };

  const compiled = orOf(conditionTexts.map((text) => resolve(parseCondition(text), text)));
  return { ...compiled, identifiers: [...identifiers.values()] };
}

/** Which search identifiers (and their fields) hold for the event in `ctx`. */
export function explainMatch(detection: CompiledDetection, ctx: MatchContext): MatchExplanation {
  const selections: string[] = [];
  const fields = new Set<string>();
  for (const identifier of detection.identifiers) {
    if (!identifier.test(ctx)) continue;
    selections.push(identifier.name);
    for (const c of identifier.conditions) if (c.field && c.test(ctx)) fields.add(c.field);
  }
  return { selections, fields: [...fields] };
}
