/**
 * The detection engine: compiles detection rules once (applying filters and the log source
 * mapping), indexes them, and matches events.
 *
 * Index: every compiled branch sits in a bucket keyed by the mapping's two key fields
 * (Windows: Channel and EventID; `*` where a branch leaves one open — unless its detection
 * itself needs EventID to be one of a few values, which then key it) or, for rules no mapping
 * entry covers, by the log source assigned at ingestion. An event visits at most four keyed
 * buckets plus its ingestion buckets. Inside a bucket, branches that require literals are
 * reached through a literal scan of the fields those literals belong to; only the
 * branches whose literals occur (plus the few that require none) are evaluated (rule-bucket.ts).
 */
import type { CompileTally, FieldCondition } from '../detection/compile-field.ts';
import { compileFieldCondition } from '../detection/compile-field.ts';
import type { MatchExplanation } from '../detection/compile-detection.ts';
import { compileDetection, explainMatch } from '../detection/compile-detection.ts';
import type { SigmaEvent } from '../event/match-context.ts';
import { FieldTable, MatchContext, scalarText } from '../event/match-context.ts';
import type { LogSourceMapping } from '../logsource/logsource-mapping.ts';
import { entriesForRule } from '../logsource/logsource-mapping.ts';
import { windowsLogSourceMapping } from '../logsource/windows-mapping.ts';
import type {
  DetectionRule,
  FilterRule,
  LogSource,
  RejectedRule,
  SigmaLevel,
} from '../rule/sigma-rule.ts';
import type { RuleLimits } from '../rule/rule-limits.ts';
import { ruleLimits } from '../rule/rule-limits.ts';
import { SigmaError } from '../sigma-error.ts';
import type { RuleBranch } from './rule-bucket.ts';
import { RuleBucket } from './rule-bucket.ts';
import { ScanMemoBudget } from './scan-memo.ts';

export interface SigmaEngineOptions {
  /** Log source mapping; defaults to the Windows mapping. */
  readonly mapping?: LogSourceMapping;
  /** Values for `expand` placeholders (e.g. per tenant), by name without `%`. */
  readonly placeholders?: Readonly<Record<string, readonly string[]>>;
  /** Filters (meta-filter spec) to apply to the rules they name. */
  readonly filters?: readonly FilterRule[];
  /**
   * Skip rules whose required literals are absent from the event (default true). False
   * evaluates every rule of the event's log source: slower, for checking the index.
   */
  readonly prefilter?: boolean;
  /**
   * Caps on regex size, compiled values and regex work per rule and per event
   * (DEFAULT_RULE_LIMITS for what is not given; TENANT_RULE_LIMITS for tenants' rules).
   */
  readonly limits?: Partial<RuleLimits>;
}

export interface RuleSummary {
  readonly id: string | undefined;
  readonly name: string | undefined;
  readonly title: string;
  readonly level: SigmaLevel | undefined;
  readonly tags: readonly string[];
  readonly file: string;
  /**
   * Set for rules with regexes: they search a field value's first `regexInputChars`
   * characters only (RuleLimits.maxRegexInputChars).
   */
  readonly regexInputChars?: number;
}

export interface SigmaMatch extends MatchExplanation {
  readonly rule: RuleSummary;
}

const ANY = '*';
const SEP = '\u0001';
const SELECTION_LIMIT = 10_000;
const NONE_MATCHED: readonly SigmaMatch[] = Object.freeze([]);

function ignoreMatch(): void {}

function isKeyValue(value: unknown): boolean {
  return value === undefined || typeof value === 'string' || typeof value === 'number';
}

function lowerKey(value: unknown): string | undefined {
  const text = scalarText(value);
  return text === undefined ? undefined : text.toLowerCase();
}

function tagKey(source: LogSource): string {
  return `tag${SEP}${source.product ?? ''}${SEP}${source.category ?? ''}${SEP}${source.service ?? ''}`;
}

export class SigmaEngine {
  readonly rules: readonly RuleSummary[];
  /** Rules that could not be compiled (bad modifiers, regexes, placeholders …). */
  readonly rejected: readonly RejectedRule[];
  private readonly fields = new FieldTable();
  private readonly buckets = new Map<string, RuleBucket>();
  /** Keyed buckets as first key value → second key value → bucket (no string building per event). */
  private readonly keyed = new Map<string, Map<string, RuleBucket>>();
  private readonly keyFields: readonly [string, string];
  private readonly keySlots: readonly [number, number];
  private readonly ctx: MatchContext;
  private readonly seen: Int32Array;
  private generation = 0;
  private readonly candidates: number[] = [];
  private readonly rulesByRef = new Map<string, number>();
  private readonly prefilter: boolean;
  private readonly keyedSelection = new Map<unknown, Map<unknown, readonly RuleBucket[]>>();
  private readonly tagSelection = new Map<string, readonly RuleBucket[]>();
  private selectionCount = 0;
  /** Characters of field values whose scan results the buckets remember (8 MB). */
  private readonly memoBudget = new ScanMemoBudget(4_000_000);
  private readonly limits: RuleLimits;
  /**
   * Rule evaluations cut off because their regexes spent the steps a rule (or the event) may
   * take; each counted one did not match.
   */
  regexBudgetExhausted = 0;

  /** Regex tests stopped for want of steps (one rule evaluation may stop several). */
  get regexTestsCutOff(): number {
    return this.ctx.regexBudget.cutOffs;
  }

  constructor(rules: readonly DetectionRule[], options: SigmaEngineOptions = {}) {
    const mapping = options.mapping ?? windowsLogSourceMapping;
    this.limits = ruleLimits(options.limits);
    this.prefilter = options.prefilter ?? true;
    this.keyFields = mapping.keyFields;
    this.keySlots = [
      this.fields.slotOf(mapping.keyFields[0]),
      this.fields.slotOf(mapping.keyFields[1]),
    ];
    const placeholders = options.placeholders ?? {};
    const summaries: RuleSummary[] = [];
    const rejected: RejectedRule[] = [];
    const filtersByRef = new Map<string, FilterRule[]>();
    for (const filter of options.filters ?? []) {
      for (const ref of filter.rules) {
        const list = filtersByRef.get(ref) ?? [];
        list.push(filter);
        filtersByRef.set(ref, list);
      }
    }
    for (const rule of rules) {
      const ruleIndex = summaries.length;
      try {
        const { branches, hasRegex } = this.compileRule(rule, ruleIndex, mapping, placeholders, [
          ...(rule.id ? (filtersByRef.get(rule.id) ?? []) : []),
          ...(rule.name ? (filtersByRef.get(rule.name) ?? []) : []),
        ]);
        for (const { key, branch } of branches) {
          let bucket = this.buckets.get(key);
          if (!bucket) this.buckets.set(key, (bucket = new RuleBucket(this.memoBudget)));
          bucket.add(branch);
        }
        summaries.push({
          id: rule.id,
          name: rule.name,
          title: rule.title,
          level: rule.level,
          tags: rule.tags,
          file: rule.file,
          ...(hasRegex ? { regexInputChars: this.limits.maxRegexInputChars } : {}),
        });
        if (rule.id) this.rulesByRef.set(rule.id, ruleIndex);
        if (rule.name) this.rulesByRef.set(rule.name, ruleIndex);
      } catch (error) {
        if (!(error instanceof SigmaError)) throw error;
        rejected.push({ file: rule.file, id: rule.id, title: rule.title, reason: error.message });
      }
    }
    this.rules = summaries;
    this.rejected = rejected;
    for (const [key, bucket] of this.buckets) {
      bucket.seal(this.prefilter, this.fields);
      const sep = key.indexOf(SEP);
      if (key.startsWith(`tag${SEP}`)) continue;
      const [a, b] = [key.slice(0, sep), key.slice(sep + 1)];
      let inner = this.keyed.get(a);
      if (!inner) this.keyed.set(a, (inner = new Map<string, RuleBucket>()));
      inner.set(b, bucket);
    }
    this.ctx = new MatchContext(this.fields);
    this.seen = new Int32Array(summaries.length);
  }

  private compileRule(
    rule: DetectionRule,
    ruleIndex: number,
    mapping: LogSourceMapping,
    placeholders: Readonly<Record<string, readonly string[]>>,
    filters: readonly FilterRule[],
  ): { branches: { key: string; branch: RuleBranch }[]; hasRegex: boolean } {
    const entries = entriesForRule(mapping, rule.logsource);
    const out: { key: string; branch: RuleBranch }[] = [];
    const tally: CompileTally = { values: 0, regexes: 0 };
    const compileFor = (fieldMap: Readonly<Record<string, string>>) => {
      tally.values = 0; // each log source branch is a compilation of its own
      // With the index on, equality on the second key field (EventID) is reported, so that a
      // rule its log source leaves open on it (`service: security`) can be keyed by it.
      const options = {
        fields: this.fields,
        fieldMap,
        placeholders,
        limits: this.limits,
        tally,
        ...(this.prefilter ? { keyField: this.keyFields[1] } : {}),
      };
      const detection = compileDetection(rule.detection, rule.conditions, options);
      const compiledFilters = filters.map((f) => {
        try {
          return compileDetection(f.detection, [f.condition], options);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new SigmaError('filter', `filter '${f.title}' (${f.file}): ${message}`, {
            cause: error,
          });
        }
      });
      return { detection, compiledFilters, options };
    };
    if (entries.length === 0) {
      const { detection, compiledFilters } = compileFor({});
      out.push({
        key: tagKey(rule.logsource),
        branch: { rule: ruleIndex, detection, residual: [], filters: compiledFilters },
      });
      return { branches: out, hasRegex: tally.regexes > 0 };
    }
    for (const entry of entries) {
      const { detection, compiledFilters, options } = compileFor(entry.fieldmappings ?? {});
      const residual: FieldCondition[] = [];
      const keyValues: [string[], string[]] = [[ANY], [ANY]];
      for (const [field, value] of Object.entries(entry.conditions)) {
        const list = (Array.isArray(value) ? value : [value]) as (string | number)[];
        const k = this.keyFields.indexOf(field);
        if (k >= 0) keyValues[k] = list.map((v) => String(v).toLowerCase());
        else residual.push(compileFieldCondition(field, list, options));
      }
      // The log source leaves EventID open but the detection needs one of a few values: the
      // branch waits in those values' buckets only (a Security rule on 4624 is not visited,
      // nor its fields scanned, for every other Security event).
      if (keyValues[1].length === 1 && keyValues[1][0] === ANY && detection.keyValues) {
        keyValues[1] = [...detection.keyValues];
      }
      for (const a of keyValues[0]) {
        for (const b of keyValues[1]) {
          out.push({
            key: a + SEP + b,
            branch: { rule: ruleIndex, detection, residual, filters: compiledFilters },
          });
        }
      }
    }
    return { branches: out, hasRegex: tally.regexes > 0 };
  }

  /** Number of compiled rules. */
  get ruleCount(): number {
    return this.rules.length;
  }

  /** Looks a rule up by id or name (for correlations). */
  ruleIndexOf(ref: string): number | undefined {
    return this.rulesByRef.get(ref);
  }

  /**
   * Matches one event. `source` is the log source assigned at ingestion (needed for rules the
   * mapping does not cover); events of mapped sources (Windows channels) need none.
   * Calls `onMatch(ruleIndex)` per matching rule, at most once per rule.
   */
  matchEach(
    event: SigmaEvent,
    source: LogSource | undefined,
    onMatch: (ruleIndex: number) => void,
  ): void {
    const ctx = this.ctx;
    ctx.reset(event);
    ctx.regexBudget.startEvent(this.limits.maxRegexWorkPerEvent, this.limits.maxRegexWorkPerRule);
    this.generation++;
    const keyed = this.keyedBuckets(ctx.value(this.keySlots[0]), ctx.value(this.keySlots[1]));
    for (let i = 0; i < keyed.length; i++) this.runBucket(keyed[i], onMatch);
    if (source) {
      const tagged = this.taggedBuckets(source);
      for (let i = 0; i < tagged.length; i++) this.runBucket(tagged[i], onMatch);
    }
  }

  /**
   * The buckets an event with these key field values meets, looked up once per pair of
   * values and remembered (events repeat a handful of channels and event ids).
   */
  private keyedBuckets(rawA: unknown, rawB: unknown): readonly RuleBucket[] {
    const cacheable = isKeyValue(rawA) && isKeyValue(rawB);
    if (cacheable) {
      const found = this.keyedSelection.get(rawA)?.get(rawB);
      if (found) return found;
    }
    const a = lowerKey(rawA);
    const b = lowerKey(rawB);
    const list: RuleBucket[] = [];
    const add = (bucket: RuleBucket | undefined): void => {
      if (bucket) list.push(bucket);
    };
    if (a !== undefined) {
      const inner = this.keyed.get(a);
      if (inner) {
        if (b !== undefined) add(inner.get(b));
        add(inner.get(ANY));
      }
    }
    const open = this.keyed.get(ANY);
    if (open) {
      if (b !== undefined) add(open.get(b));
      add(open.get(ANY));
    }
    if (cacheable) {
      this.countSelection();
      let inner = this.keyedSelection.get(rawA);
      if (!inner)
        this.keyedSelection.set(rawA, (inner = new Map<unknown, readonly RuleBucket[]>()));
      inner.set(rawB, list);
    }
    return list;
  }

  /** The buckets of rules no mapping covers, for a log source assigned at ingestion (remembered). */
  private taggedBuckets(source: LogSource): readonly RuleBucket[] {
    const { product, category, service } = source;
    const key = `${product ?? ''}${SEP}${category ?? ''}${SEP}${service ?? ''}`;
    const found = this.tagSelection.get(key);
    if (found) return found;
    const list: RuleBucket[] = [];
    for (const p of product ? [product, undefined] : [undefined]) {
      for (const c of category ? [category, undefined] : [undefined]) {
        for (const s of service ? [service, undefined] : [undefined]) {
          if (p === undefined && c === undefined && s === undefined) continue;
          const bucket = this.buckets.get(tagKey({ product: p, category: c, service: s }));
          if (bucket) list.push(bucket);
        }
      }
    }
    this.countSelection();
    this.tagSelection.set(key, list);
    return list;
  }

  /** Bounds the remembered selections (key values come from events: attacker-controlled). */
  private countSelection(): void {
    if (++this.selectionCount > SELECTION_LIMIT) {
      this.keyedSelection.clear();
      this.tagSelection.clear();
      this.selectionCount = 1;
    }
  }

  /**
   * Matches one event and describes every match (rule, selections and fields that matched).
   * Allocates nothing for an event that matches no rule (the common case).
   */
  match(event: SigmaEvent, source?: LogSource): readonly SigmaMatch[] {
    this.matchOut = undefined;
    this.matchEachExplained(event, source, this.collectMatch);
    const out = this.matchOut;
    this.matchOut = undefined;
    return out ?? NONE_MATCHED;
  }

  /** The matches `match` collects, made at the first one. */
  private matchOut: SigmaMatch[] | undefined;
  private readonly collectMatch = (ruleIndex: number, explanation: MatchExplanation): void => {
    (this.matchOut ??= []).push({ rule: this.rules[ruleIndex]!, ...explanation });
  };

  private explainNext = false;
  private explainSink: ((ruleIndex: number, explanation: MatchExplanation) => void) | undefined;

  /** Like matchEach, with each match's explanation (computed only for matches). */
  matchEachExplained(
    event: SigmaEvent,
    source: LogSource | undefined,
    onMatch: (ruleIndex: number, explanation: MatchExplanation) => void,
  ): void {
    this.explainNext = true;
    this.explainSink = onMatch;
    try {
      this.matchEach(event, source, ignoreMatch);
    } finally {
      this.explainNext = false;
      this.explainSink = undefined;
    }
  }

  private runBucket(bucket: RuleBucket | undefined, onMatch: (ruleIndex: number) => void): void {
    if (!bucket) return;
    const candidates = this.candidates;
    bucket.collect(this.ctx, candidates);
    const ctx = this.ctx;
    for (let c = 0; c < candidates.length; c++) {
      const branch = bucket.branches[candidates[c]!]!;
      if (this.seen[branch.rule] === this.generation) continue;
      const budget = ctx.regexBudget;
      const cutOffs = budget.cutOffs;
      budget.startRule();
      const held = this.branchHolds(branch);
      if (budget.cutOffs !== cutOffs) {
        // A cut-off regex answered false somewhere, maybe under a `not`: no verdict, no match.
        this.regexBudgetExhausted++;
        continue;
      }
      if (!held) continue;
      this.seen[branch.rule] = this.generation;
      if (this.explainNext) {
        budget.startRule();
        this.explainSink!(branch.rule, explainMatch(branch.detection, ctx));
      }
      onMatch(branch.rule);
    }
  }

  /** The branch's detection holds, its log source's residual conditions too, and no filter. */
  private branchHolds(branch: RuleBranch): boolean {
    const ctx = this.ctx;
    {
      if (!branch.detection.test(ctx)) return false;
      for (const r of branch.residual) if (!r.test(ctx)) return false;
      for (const f of branch.filters) if (f.test(ctx)) return false;
      return true;
    }
  }

  /** Approximate bytes held by the literal indexes. */
  get indexBytes(): number {
    let total = 0;
    for (const b of this.buckets.values()) total += b.indexBytes;
    return total;
  }
}
