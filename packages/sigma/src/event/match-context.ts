/**
 * Field access for one event during matching. Rules name fields; the engine interns every
 * name into a slot once at compile time, and the context caches each slot's value and its
 * lower-cased string form for the event being matched, so a field used by many rules is
 * looked up and lower-cased once per event. Fields are found as own properties of a flat
 * event first, then as dotted paths into nested objects (`process.command_line`).
 */
export type SigmaEvent = Readonly<Record<string, unknown>>;

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
  private generation = 1;
  private valueGen: number[] = [];
  private values: unknown[] = [];
  private lowerGen: number[] = [];
  private lowers: (string | undefined)[] = [];
  private keywordTexts: string[] | undefined;
  private keywordLowerTexts: string[] | undefined;

  constructor(fields: FieldTable) {
    this.fields = fields;
  }

  reset(event: SigmaEvent): void {
    this.event = event;
    this.generation++;
    this.keywordTexts = undefined;
    this.keywordLowerTexts = undefined;
  }

  /** keywordValues(), lower-cased, computed once per event. */
  keywordLowerValues(): readonly string[] {
    this.keywordLowerTexts ??= this.keywordValues().map((t) => t.toLowerCase());
    return this.keywordLowerTexts;
  }

  /** The raw value of a field (undefined when absent). */
  value(slot: number): unknown {
    if (this.valueGen[slot] === this.generation) return this.values[slot];
    const name = this.fields.names[slot]!;
    let value: unknown;
    if (Object.hasOwn(this.event, name)) value = this.event[name];
    else {
      const path = this.fields.paths[slot];
      value = path ? lookupPath(this.event, path) : undefined;
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
    if (this.keywordTexts) return this.keywordTexts;
    const out: string[] = [];
    const visit = (node: unknown, depth: number): void => {
      if (depth > 16) return;
      const text = scalarText(node);
      if (text !== undefined) out.push(text);
      else if (Array.isArray(node)) for (const item of node) visit(item, depth + 1);
      else if (typeof node === 'object' && node !== null) {
        for (const key in node) visit((node as Record<string, unknown>)[key], depth + 1);
      }
    };
    visit(this.event, 0);
    this.keywordTexts = out;
    return out;
  }
}
