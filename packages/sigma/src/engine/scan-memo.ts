/**
 * Remembers which rule groups a field value satisfies (by the index literals it holds and the
 * field's predicates). Telemetry repeats itself: the same images, parent images, users, hashes
 * and often command lines come back event after event, so a bucket looks a value up here
 * before scanning it (a hash lookup instead of a scan, and no lower-casing). Memory is bounded by a budget of characters shared by all the memos of an
 * engine; when it is spent, every memo starts over.
 */
const NONE = new Int32Array(0);

/**
 * Values longer than this are scanned every time. Long command lines, script blocks and
 * attribute values do repeat (scheduled jobs, management agents) and cost most to scan (about
 * 10 ns a character); beyond this a value would take too much of the budget.
 */
const MAX_VALUE_LENGTH = 8192;

/** What a number key is counted as. */
const NUMBER_CHARS = 8;

export class ScanMemoBudget {
  readonly limitChars: number;
  private usedChars = 0;
  private readonly memos: ScanMemo[] = [];

  constructor(limitChars: number) {
    this.limitChars = limitChars;
  }

  register(memo: ScanMemo): void {
    this.memos.push(memo);
  }

  /** Accounts for `chars` more; false when the value should not be remembered. */
  spend(chars: number): boolean {
    if (chars > MAX_VALUE_LENGTH) return false;
    if (this.usedChars + chars > this.limitChars) {
      for (const memo of this.memos) memo.clear();
      this.usedChars = 0;
    }
    this.usedChars += chars;
    return true;
  }

  get bytes(): number {
    return this.usedChars * 2;
  }
}

/**
 * A memo whose values rarely repeat (messages, timestamps, ids in a field) costs a hash of
 * each value, a lookup and an insert on top of the scan, and spends the budget the useful
 * memos need. Each memo watches its hit rate over WINDOW lookups; under MIN_HITS of them it
 * stands aside for the next SKIP values (they are scanned directly), then looks again. The
 * first window after the memo starts (or starts over) only fills it: it is all misses.
 */
const WINDOW = 1024;
const MIN_HITS = WINDOW / 4;
const SKIP = 16 * WINDOW;

export class ScanMemo {
  private readonly entries = new Map<string | number, Int32Array>();
  private readonly budget: ScanMemoBudget;
  private lookups = 0;
  private hits = 0;
  private skip = 0;
  private filled = false;

  constructor(budget: ScanMemoBudget) {
    this.budget = budget;
    budget.register(this);
  }

  /** What was remembered for `value` (a text, or a number), or undefined. */
  get(value: string | number): Int32Array | undefined {
    if (this.skip > 0) {
      this.skip--;
      return undefined;
    }
    const found = this.entries.get(value);
    if (found !== undefined) this.hits++;
    if (++this.lookups === WINDOW) {
      if (this.filled && this.hits < MIN_HITS) this.skip = SKIP;
      this.filled = true;
      this.lookups = 0;
      this.hits = 0;
    }
    return found;
  }

  /** Whether the memo is standing aside (its values have not been repeating). */
  get bypassed(): boolean {
    return this.skip > 0;
  }

  remember(value: string | number, ids: Int32Array): void {
    if (this.skip > 0) return;
    const chars = typeof value === 'string' ? value.length : NUMBER_CHARS;
    if (this.budget.spend(chars)) this.entries.set(value, ids.length === 0 ? NONE : ids);
  }

  clear(): void {
    this.entries.clear();
    this.filled = false;
    this.lookups = 0;
    this.hits = 0;
  }
}
