/**
 * A Map with a fixed capacity that evicts the least recently touched entry when full, and
 * counts what it evicted: every detector keeps its per-key state in one, so that a flood of
 * distinct keys (a scan, a spray, a DGA) costs at most `capacity` entries, never more.
 */
export class BoundedMap<K, V> {
  readonly capacity: number;
  evictions = 0;
  readonly #entries = new Map<K, V>();
  /** The most recently touched key: touching it again leaves the order as it is. */
  #newest: K | undefined;
  #hasNewest = false;

  constructor(capacity: number) {
    this.capacity = Math.max(1, Math.floor(capacity));
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Reads and marks as recently used. */
  get(key: K): V | undefined {
    const value = this.#entries.get(key);
    if (value !== undefined && !(this.#hasNewest && this.#newest === key)) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
      this.#newest = key;
      this.#hasNewest = true;
    }
    return value;
  }

  /** Reads without touching the order. */
  peek(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.#entries.has(key)) this.#entries.delete(key);
    else if (this.#entries.size >= this.capacity) {
      const oldest = this.#entries.keys().next();
      if (!oldest.done) {
        this.#entries.delete(oldest.value);
        this.evictions++;
      }
    }
    this.#entries.set(key, value);
    this.#newest = key;
    this.#hasNewest = true;
  }

  /** The value for `key`, made by `create` when absent. */
  upsert(key: K, create: () => V): V {
    const known = this.get(key);
    if (known !== undefined) return known;
    const value = create();
    this.set(key, value);
    return value;
  }

  delete(key: K): boolean {
    if (this.#hasNewest && this.#newest === key) {
      this.#newest = undefined;
      this.#hasNewest = false;
    }
    return this.#entries.delete(key);
  }

  entries(): IterableIterator<[K, V]> {
    return this.#entries.entries();
  }
}

/** Members with the time each was last seen, at most `cap` of them, oldest dropped first. */
export class RecentSet {
  readonly #seen = new Map<string, number>();
  readonly #cap: number;
  #newest: string | undefined;

  constructor(cap: number, entries: readonly (readonly [string, number])[] = []) {
    this.#cap = cap;
    for (const [member, at] of entries) this.add(member, at);
  }

  get size(): number {
    return this.#seen.size;
  }

  add(member: string, at: number): void {
    // The newest member seen again stays last: only its time changes.
    if (member !== this.#newest || !this.#seen.has(member)) {
      this.#seen.delete(member);
      if (this.#seen.size >= this.#cap) {
        const oldest = this.#seen.keys().next();
        if (!oldest.done) this.#seen.delete(oldest.value);
      }
      this.#newest = member;
    }
    this.#seen.set(member, at);
  }

  /** Drops members last seen before `since` (insertion order is time order). */
  prune(since: number): void {
    for (const [member, at] of this.#seen) {
      if (at >= since) break;
      this.#seen.delete(member);
    }
  }

  has(member: string): boolean {
    return this.#seen.has(member);
  }

  /** When the longest-held member was last seen. */
  oldest(): number | undefined {
    const first = this.#seen.values().next();
    return first.done ? undefined : first.value;
  }

  members(): string[] {
    return [...this.#seen.keys()];
  }

  toJSON(): [string, number][] {
    return [...this.#seen.entries()];
  }
}
