/**
 * Remembers which index literals (and so which rule groups) a field value satisfies. Telemetry repeats itself: the same
 * images, parent images, users, hashes and often command lines come back event after event,
 * so a bucket looks a value up here before scanning it (a hash lookup instead of a scan, and
 * no lower-casing). Memory is bounded by a budget of characters shared by all the memos of an
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

export class ScanMemo {
  private readonly entries = new Map<string | number, Int32Array>();
  private readonly budget: ScanMemoBudget;

  constructor(budget: ScanMemoBudget) {
    this.budget = budget;
    budget.register(this);
  }

  /** What was remembered for `value` (a text, or a number), or undefined. */
  get(value: string | number): Int32Array | undefined {
    return this.entries.get(value);
  }

  remember(value: string | number, ids: Int32Array): void {
    const chars = typeof value === 'string' ? value.length : NUMBER_CHARS;
    if (this.budget.spend(chars)) this.entries.set(value, ids.length === 0 ? NONE : ids);
  }

  clear(): void {
    this.entries.clear();
  }
}
