/**
 * Field access for one event during matching. Rules name fields; the engine interns every
 * name into a slot once at compile time, and the context caches each slot's value and its
 * lower-cased string form for the event being matched, so a field used by many rules is
 * looked up and lower-cased once per event. Fields are found as own properties of a flat
 * event first, then as dotted paths into nested objects (`process.command_line`).
 */
import { RegexWorkBudget } from '../regex/regex-work-budget.ts';

export type SigmaEvent = Readonly<Record<string, unknown>>;

/** Any character outside ASCII. */
// eslint-disable-next-line no-control-regex -- the ASCII range starts at NUL
export const NON_ASCII = /[^\x00-\x7f]/;

export class FieldTable {
  private readonly slots = new Map<string, number>();
  readonly names: string[] = [];
  readonly paths: (readonly string[] | undefined)[] = [];

  slotOf(name: string): number {
    let slot = this.slots.get(name);
    if (slot === undefined) {
      slot = this.names.length;
      this.slots.set(name, slot);
      this.names.push(name);
      this.paths.push(name.includes('.') ? name.split('.') : undefined);
    }
    return slot;
  }

  get size(): number {
    return this.names.length;
  }
}

/** Scalars as Sigma sees them: strings, and numbers and booleans by their text. */
export function scalarText(value: unknown): string | undefined {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      return undefined;
  }
}

function lookupPath(event: SigmaEvent, path: readonly string[]): unknown {
  let node: unknown = event;
  for (const key of path) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

export class MatchContext {
  readonly fields: FieldTable;
  event: SigmaEvent = {};
  /** Regex steps the event and the rule being matched have left (the engine sets them). */
  readonly regexBudget = new RegexWorkBudget();
  private generation = 1;
  private valueGen: number[] = [];
  private values: unknown[] = [];
  private lowerGen: number[] = [];
  private lowers: (string | undefined)[] = [];
  /** Keyword texts of the current event, in arrays reused from event to event. */
  private readonly keywordTexts: string[] = [];
  private readonly keywordLowerTexts: string[] = [];
  private keywordGen = 0;
  private keywordLowerGen = 0;
  /** Per slot: the field name is also a property of Object.prototype (`constructor` …). */
  private readonly inPrototype: boolean[] = [];

  constructor(fields: FieldTable) {
    this.fields = fields;
  }

  reset(event: SigmaEvent): void {
    this.event = event;
    this.generation++;
  }

  /** keywordValues(), lower-cased, computed once per event. */
  keywordLowerValues(): readonly string[] {
    if (this.keywordLowerGen === this.generation) return this.keywordLowerTexts;
    const texts = this.keywordValues();
    const lower = this.keywordLowerTexts;
    lower.length = texts.length;
    for (let i = 0; i < texts.length; i++) lower[i] = texts[i]!.toLowerCase();
    this.keywordLowerGen = this.generation;
    return lower;
  }

  /** The raw value of a field (undefined when absent). */
  value(slot: number): unknown {
    if (this.valueGen[slot] === this.generation) return this.values[slot];
    const name = this.fields.names[slot]!;
    const event = this.event;
    // One property read in the common case; own-property checks only where they can differ.
    let value: unknown;
    let inPrototype = this.inPrototype[slot];
    if (inPrototype === undefined) this.inPrototype[slot] = inPrototype = name in Object.prototype;
    if (inPrototype) value = Object.hasOwn(event, name) ? event[name] : undefined;
    else value = event[name];
    if (value === undefined) {
      const path = this.fields.paths[slot];
      if (path && !Object.hasOwn(event, name)) value = lookupPath(event, path);
    }
    this.valueGen[slot] = this.generation;
    this.values[slot] = value;
    return value;
  }

  /** Lower-cased text of a scalar field; undefined for absent, null and structured values. */
  lower(slot: number): string | undefined {
    if (this.lowerGen[slot] === this.generation) return this.lowers[slot];
    const text = scalarText(this.value(slot));
    const lowered = text === undefined ? undefined : text.toLowerCase();
    this.lowerGen[slot] = this.generation;
    this.lowers[slot] = lowered;
    return lowered;
  }

  /** Every scalar value of the event as text (for keyword searches), collected once. */
  keywordValues(): readonly string[] {
    const out = this.keywordTexts;
    if (this.keywordGen === this.generation) return out;
    out.length = 0;
    collectTexts(this.event, 0, out);
    this.keywordGen = this.generation;
    return out;
  }
}

/**
 * Collects into `out` the texts of the event's top-level fields not named in `skip` (nested
 * values included): the rest of the event, for keyword literals, when the named fields are
 * scanned anyway. Only texts that could hold one of the literals: strings shorter than
 * `minLength` are left out, so are strings holding none of `anchors` (characters that
 * lower-casing neither makes nor removes, one from each literal), and numbers and booleans
 * unless `scalars` (their text is digits, signs, `true` …, which the literals may not match).
 */
export function keywordTextsOutside(
  event: SigmaEvent,
  skip: ReadonlySet<string>,
  minLength: number,
  scalars: boolean,
  anchors: readonly string[] | undefined,
  out: string[],
): string[] {
  out.length = 0;
  for (const key in event) {
    const value = event[key];
    if (typeof value === 'string') {
      if (value.length >= minLength && hasAnchor(value, anchors) && !skip.has(key)) out.push(value);
    } else if (typeof value === 'object' && value !== null) {
      if (!skip.has(key)) collectTexts(value, 1, out);
    } else if (scalars && value !== undefined && !skip.has(key)) {
      const text = scalarText(value);
      if (text !== undefined) out.push(text);
    }
  }
  return out;
}

/** Whether `text` holds one of `anchors` (any text, when there are none to look for). */
function hasAnchor(text: string, anchors: readonly string[] | undefined): boolean {
  if (anchors === undefined) return true;
  for (let i = 0; i < anchors.length; i++) if (text.includes(anchors[i]!)) return true;
  return false;
}

/** Collects into `out` every scalar text inside `node` (nested arrays and objects). */
export function textsInside(node: unknown, out: string[]): string[] {
  out.length = 0;
  collectTexts(node, 1, out);
  return out;
}

function collectTexts(node: unknown, depth: number, out: string[]): void {
  if (depth > 16) return;
  if (typeof node === 'string') out.push(node);
  else if (typeof node !== 'object' || node === null) {
    const text = scalarText(node);
    if (text !== undefined) out.push(text);
  } else if (Array.isArray(node)) {
    for (const item of node) collectTexts(item, depth + 1, out);
  } else {
    const record = node as Record<string, unknown>;
    for (const key in record) {
      const value = record[key];
      if (typeof value === 'string') out.push(value);
      else collectTexts(value, depth + 1, out);
    }
  }
}
