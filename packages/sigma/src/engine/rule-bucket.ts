/**
 * The compiled rule branches of one log source key, and the index that picks which of them an
 * event must meet. Each branch needs up to a few groups of literals (all groups, one literal of
 * each, in its field; see compile-detection): one gram index over every literal of the bucket
 * scans the fields those literals belong to, and a branch becomes a candidate once each of its
 * groups has a hit. A branch with no literal whose detection reads a single field is a group of
 * its own, credited when its test holds for that field's value; the rest are always
 * candidates. What each value credits is remembered per field (scan-memo.ts), so a repeated
 * value costs a lookup. Per-event state is stamped arrays, so collecting candidates allocates
 * nothing.
 */
import type { CompiledDetection } from '../detection/compile-detection.ts';
import type { FieldCondition, RequiredLiteral } from '../detection/compile-field.ts';
import { KEYWORD_SLOT } from '../detection/compile-field.ts';
import type { FieldTable, MatchContext } from '../event/match-context.ts';
import { keywordTextsOutside, scalarText, textsInside } from '../event/match-context.ts';
import { charRarity, GramIndex, LiteralHits } from './gram-index.ts';
import { indexWindow } from './literal-selectivity.ts';
import type { ScanMemoBudget } from './scan-memo.ts';
import { ScanMemo } from './scan-memo.ts';

export interface RuleBranch {
  readonly rule: number;
  readonly detection: CompiledDetection;
  /** Log source conditions the bucket key does not cover (e.g. a provider name). */
  readonly residual: readonly FieldCondition[];
  readonly filters: readonly CompiledDetection[];
}

/** A branch with no literal whose detection reads one field: a group of its own, held when the test is. */
interface Predicate {
  readonly group: number;
  readonly test: (ctx: MatchContext) => boolean;
}

const STAMP_LIMIT = 0x3fffffff;
const NO_PREDICATES: readonly Predicate[] = [];
const NO_HITS = new Int32Array(0);

/**
 * The best group is always indexed; further groups only when none of their literals is text
 * found in most events, which would cost a hit per event and reject nothing.
 */
function indexedGroups(groups: readonly (readonly RequiredLiteral[])[]): typeof groups {
  return groups.filter((group, i) => i === 0 || group.every((r) => !indexWindow(r.literal).common));
}

export class RuleBucket {
  readonly branches: RuleBranch[] = [];
  private always = new Int32Array(0);
  private index: GramIndex | undefined;
  /** Fields to scan, and per literal id the (slot, group id) pairs it satisfies, flattened. */
  private slots = new Int32Array(0);
  private literalTargets: Int32Array[] = [];
  private groupBranch = new Int32Array(0);
  private branchNeed = new Uint8Array(0);
  /** Stamps: a group counts once per event, a literal once per field. */
  private groupStamp = new Int32Array(0);
  private branchStamp = new Int32Array(0);
  private branchCount = new Uint8Array(0);
  private literalRound = new Int32Array(0);
  private stamp = 0;
  private round = 0;
  private readonly hits = new LiteralHits();
  private readonly memoBudget: ScanMemoBudget;
  /** Per scanned field (same order as `slots`): the groups each text value credits. */
  private slotMemos: ScanMemo[] = [];
  /**
   * Per scanned field: the groups credited by literals alone (no predicate), remembered by
   * number or by text, for numbers and the items of lists.
   */
  private itemMemos: ScanMemo[] = [];
  /** Per scanned field (same order as `slots`): the predicates on its value. */
  private predicates: (readonly Predicate[])[] = [];
  /** The groups each text of the rest of the event credits through keyword literals. */
  private keywordMemo: ScanMemo;
  /**
   * Keyword literals may occur in any value: fields the bucket scans report them with their
   * own literals, and the rest of the event is scanned for them separately.
   */
  private keywordScan = false;
  /** Branches with keyword literals, their groups (first, end) and which groups have keywords. */
  private keywordBranches = new Int32Array(0);
  private groupFirst = new Int32Array(0);
  private groupHasKeyword = new Uint8Array(0);
  private scannedNames: ReadonlySet<string> = new Set();
  private readonly otherTexts: string[] = [];
  /** The shortest keyword literal: shorter texts cannot hold one. */
  private keywordMinLength = 0;
  /** Whether a keyword literal could occur in a number's or boolean's text. */
  private keywordScalars = true;
  /**
   * One character of each keyword literal that lower-casing neither makes nor removes (ASCII,
   * not a letter), the rarest: a text holding none of them cannot hold a keyword literal.
   * Undefined when some literal has no such character.
   */
  private keywordAnchors: readonly string[] | undefined;

  constructor(memoBudget: ScanMemoBudget) {
    this.memoBudget = memoBudget;
    this.keywordMemo = new ScanMemo(memoBudget);
  }

  add(branch: RuleBranch): void {
    this.branches.push(branch);
  }

  /** Builds the index once every branch is added; `prefilter: false` makes all candidates. */
  seal(prefilter: boolean, fields: FieldTable): void {
    const literalIds = new Map<string, number>();
    const targets: number[][] = [];
    const slots = new Set<number>();
    const always: number[] = [];
    const groupBranch: number[] = [];
    const need: number[] = [];
    const groupFirst: number[] = [];
    const groupHasKeyword: number[] = [];
    const keywordBranches: number[] = [];
    const predicatesBySlot = new Map<number, Predicate[]>();
    this.branches.forEach((branch, b) => {
      const groups = prefilter ? indexedGroups(branch.detection.required) : [];
      const onlySlot = prefilter ? branch.detection.onlySlot : undefined;
      groupFirst.push(groupBranch.length);
      if (groups.length === 0 && onlySlot !== undefined) {
        // No literal, but the test reads one field: it is remembered per value like a scan.
        need.push(1);
        const list = predicatesBySlot.get(onlySlot) ?? [];
        list.push({ group: groupBranch.length, test: branch.detection.test });
        predicatesBySlot.set(onlySlot, list);
        groupBranch.push(b);
        groupHasKeyword.push(0);
        slots.add(onlySlot);
        return;
      }
      need.push(groups.length);
      if (groups.length === 0) always.push(b);
      if (groups.some((group) => group.some((r) => r.slot === KEYWORD_SLOT))) {
        keywordBranches.push(b);
      }
      for (const group of groups) {
        const g = groupBranch.length;
        groupBranch.push(b);
        groupHasKeyword.push(group.some((r) => r.slot === KEYWORD_SLOT) ? 1 : 0);
        for (const { slot, literal } of group) {
          let id = literalIds.get(literal);
          if (id === undefined) {
            id = literalIds.size;
            literalIds.set(literal, id);
            targets.push([]);
          }
          targets[id]!.push(slot, g);
          slots.add(slot);
        }
      }
    });
    this.always = Int32Array.from(always);
    this.index = literalIds.size > 0 ? new GramIndex([...literalIds.keys()]) : undefined;
    this.literalTargets = targets.map((t) => Int32Array.from(t));
    this.keywordScan = slots.delete(KEYWORD_SLOT);
    const keywordLiterals = [...literalIds.keys()].filter((_, id) =>
      targets[id]!.some((v, k) => k % 2 === 0 && v === KEYWORD_SLOT),
    );
    this.keywordMinLength = Math.min(...keywordLiterals.map((l) => l.length));
    // Texts of numbers and booleans: digits, sign, point, exponent, Infinity, NaN, true, false.
    this.keywordScalars = keywordLiterals.some((l) => /^[-+.0-9a-z]*$/.test(l));
    this.keywordAnchors = keywordAnchors(keywordLiterals);
    this.slots = Int32Array.from(slots);
    this.slotMemos = [...slots].map(() => new ScanMemo(this.memoBudget));
    this.itemMemos = [...slots].map(() => new ScanMemo(this.memoBudget));
    this.predicates = [...slots].map((slot) => predicatesBySlot.get(slot) ?? NO_PREDICATES);
    this.scannedNames = new Set([...slots].map((slot) => fields.names[slot]!));
    this.groupBranch = Int32Array.from(groupBranch);
    groupFirst.push(groupBranch.length);
    this.groupFirst = Int32Array.from(groupFirst);
    this.groupHasKeyword = Uint8Array.from(groupHasKeyword);
    this.keywordBranches = Int32Array.from(keywordBranches);
    this.branchNeed = Uint8Array.from(need);
    this.groupStamp = new Int32Array(groupBranch.length);
    this.branchStamp = new Int32Array(this.branches.length);
    this.branchCount = new Uint8Array(this.branches.length);
    this.literalRound = new Int32Array(literalIds.size);
  }

  /** Fills `out` with the branches (indexes into `branches`) the event in `ctx` must meet, in order. */
  collect(ctx: MatchContext, out: number[]): void {
    out.length = 0;
    const always = this.always;
    for (let i = 0; i < always.length; i++) out.push(always[i]!);
    const slots = this.slots;
    if (slots.length === 0 && !this.keywordScan) return;
    if (++this.stamp === STAMP_LIMIT) {
      this.stamp = 1;
      this.groupStamp.fill(0);
      this.branchStamp.fill(0);
    }
    const index = this.index;
    for (let k = 0; k < slots.length; k++) {
      const slot = slots[k]!;
      const raw = ctx.value(slot);
      if (typeof raw === 'string') {
        let groups = this.slotMemos[k]!.get(raw);
        if (groups === undefined) {
          const cutOffs = ctx.regexBudget.cutOffs;
          groups = this.valueGroups(index, ctx.lower(slot)!, slot, this.predicates[k], ctx);
          // an answer a regex budget cut short is this event's, not the value's
          if (ctx.regexBudget.cutOffs === cutOffs) this.slotMemos[k]!.remember(raw, groups);
        }
        this.applyGroups(groups, out);
        continue;
      }
      if (this.keywordScan && typeof raw === 'object' && raw !== null) {
        // Structured values of scanned fields are not in keywordTextsOutside: search them here.
        this.scanKeywords(index, textsInside(raw, this.otherTexts), out);
      }
      if (Array.isArray(raw)) {
        for (const item of raw) this.applyGroups(this.itemGroups(index, item, k), out);
      } else {
        this.applyGroups(this.itemGroups(index, raw, k), out);
      }
      // Not a string (absent, a number, a list …): not remembered, so the predicates run here.
      const predicates = this.predicates[k]!;
      if (predicates.length > 0) {
        this.applyGroups(this.groupsCredited(NO_HITS, slot, predicates, ctx), out);
      }
    }
    if (this.keywordScan && this.keywordScanNeeded()) {
      const texts = keywordTextsOutside(
        ctx.event,
        this.scannedNames,
        this.keywordMinLength,
        this.keywordScalars,
        this.keywordAnchors,
        this.otherTexts,
      );
      this.scanKeywords(index, texts, out);
    }
    if (out.length > always.length) sortFrom(out, 0);
  }

  /**
   * Whether some keyword branch, not yet a candidate, lacks only groups that keyword literals
   * can satisfy: otherwise the rest of the event need not be scanned.
   */
  private keywordScanNeeded(): boolean {
    const { keywordBranches, groupFirst, groupStamp, groupHasKeyword, branchStamp } = this;
    const stamp = this.stamp;
    for (let i = 0; i < keywordBranches.length; i++) {
      const b = keywordBranches[i]!;
      if (branchStamp[b] === stamp && this.branchCount[b] === this.branchNeed[b]) continue;
      let reachable = true;
      for (let g = groupFirst[b]!; g < groupFirst[b + 1]!; g++) {
        if (groupStamp[g] !== stamp && groupHasKeyword[g] === 0) {
          reachable = false;
          break;
        }
      }
      if (reachable) return true;
    }
    return false;
  }

  private scanKeywords(
    index: GramIndex | undefined,
    texts: readonly string[],
    out: number[],
  ): void {
    const memo = this.keywordMemo;
    for (let t = 0; t < texts.length; t++) {
      const raw = texts[t]!;
      let groups = memo.get(raw);
      if (groups === undefined) {
        groups = this.valueGroups(index, raw.toLowerCase(), KEYWORD_SLOT);
        memo.remember(raw, groups);
      }
      this.applyGroups(groups, out);
    }
  }

  /** The literal ids `text` contains, each once. */
  private scanText(index: GramIndex, text: string): Int32Array {
    const hits = this.hits;
    hits.count = 0;
    index.scan(text, hits);
    if (hits.count === 0) return NO_HITS;
    if (++this.round === STAMP_LIMIT) {
      this.round = 1;
      this.literalRound.fill(0);
    }
    const round = this.round;
    const seen = this.literalRound;
    const unique: number[] = [];
    for (let h = 0; h < hits.count; h++) {
      const id = hits.ids[h]!;
      if (seen[id] === round) continue;
      seen[id] = round;
      unique.push(id);
    }
    return Int32Array.from(unique);
  }

  /**
   * The groups a scalar that is not the field's whole string value (a number, a list item)
   * credits by literals alone, remembered in the field's item memo.
   */
  private itemGroups(index: GramIndex | undefined, item: unknown, k: number): Int32Array {
    if (typeof item !== 'string' && typeof item !== 'number') {
      const text = scalarText(item);
      return text === undefined
        ? NO_HITS
        : this.valueGroups(index, text.toLowerCase(), this.slots[k]!);
    }
    const memo = this.itemMemos[k]!;
    let groups = memo.get(item);
    if (groups === undefined) {
      groups = this.valueGroups(index, String(item).toLowerCase(), this.slots[k]!);
      memo.remember(item, groups);
    }
    return groups;
  }

  /**
   * The groups a value (lower-cased) of field `slot` satisfies: by literals found in it, and by
   * the field's predicates that hold (`ctx` holds the value).
   */
  private valueGroups(
    index: GramIndex | undefined,
    lowered: string,
    slot: number,
    predicates: readonly Predicate[] = NO_PREDICATES,
    ctx?: MatchContext,
  ): Int32Array {
    const ids = index === undefined ? NO_HITS : this.scanText(index, lowered);
    return this.groupsCredited(ids, slot, predicates, ctx);
  }

  /**
   * The groups that literal ids found in a value of field `slot` satisfy (those of literals
   * required in that field, and keyword literals, which may occur in any field), and those of
   * `predicates` that hold for the event in `ctx`.
   */
  private groupsCredited(
    ids: Int32Array,
    slot: number,
    predicates: readonly Predicate[] = NO_PREDICATES,
    ctx?: MatchContext,
  ): Int32Array {
    if (ids.length === 0 && predicates.length === 0) return NO_HITS;
    const groups: number[] = [];
    for (let h = 0; h < ids.length; h++) {
      const pairs = this.literalTargets[ids[h]!]!;
      for (let k = 0; k < pairs.length; k += 2) {
        const target = pairs[k];
        if (target === slot || target === KEYWORD_SLOT) groups.push(pairs[k + 1]!);
      }
    }
    for (const p of predicates) {
      ctx!.regexBudget.startRule(); // each predicate is one rule's detection
      if (p.test(ctx!)) groups.push(p.group);
    }
    return groups.length === 0 ? NO_HITS : Int32Array.from(groups);
  }

  private applyGroups(groups: Int32Array, out: number[]): void {
    const { groupStamp, groupBranch, branchStamp, branchCount, branchNeed } = this;
    const stamp = this.stamp;
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (groupStamp[g] === stamp) continue;
      groupStamp[g] = stamp;
      const b = groupBranch[g]!;
      if (branchStamp[b] !== stamp) {
        branchStamp[b] = stamp;
        branchCount[b] = 0;
      }
      if (++branchCount[b]! === branchNeed[b]) out.push(b);
    }
  }

  /** Bytes held by the index tables (for memory accounting). */
  get indexBytes(): number {
    return this.index?.byteLength ?? 0;
  }
}

/** See RuleBucket.keywordAnchors. */
function keywordAnchors(literals: readonly string[]): readonly string[] | undefined {
  const anchors = new Set<string>();
  for (const literal of literals) {
    let best: string | undefined;
    for (const ch of literal) {
      const code = ch.charCodeAt(0);
      if (ch.length !== 1 || code >= 128 || /[a-z]/i.test(ch)) continue;
      if (best === undefined || charRarity(code) > charRarity(best.charCodeAt(0))) best = ch;
    }
    if (best === undefined) return undefined;
    anchors.add(best);
  }
  return anchors.size > 0 ? [...anchors] : undefined;
}

/** Insertion sort of `list[from…]`: a handful of candidates, in rule order. */
function sortFrom(list: number[], from: number): void {
  for (let i = from + 1; i < list.length; i++) {
    const x = list[i]!;
    let j = i - 1;
    while (j >= from && list[j]! > x) {
      list[j + 1] = list[j]!;
      j--;
    }
    list[j + 1] = x;
  }
}
