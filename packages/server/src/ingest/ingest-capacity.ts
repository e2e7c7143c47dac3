/**
 * How much the pipeline holds: events and raw bytes accepted but not yet written and seen by
 * every consumer. Sources ask before submitting: HTTP answers 429 when it is full, TCP
 * listeners pause their sockets until `whenRoom` resolves, UDP drops (and counts) the
 * datagram, since UDP cannot push back. A submission is admitted whole, so the bound can be
 * passed by at most one request body or one coalesced batch.
 */
export interface CapacityLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

export class IngestCapacity {
  readonly #limits: CapacityLimits;
  #events = 0;
  #bytes = 0;
  #waiters: (() => void)[] = [];
  readonly #onChange: (events: number, bytes: number) => void;

  constructor(limits: CapacityLimits, onChange: (events: number, bytes: number) => void) {
    this.#limits = limits;
    this.#onChange = onChange;
  }

  get events(): number {
    return this.#events;
  }

  get bytes(): number {
    return this.#bytes;
  }

  isFull(): boolean {
    return this.#events >= this.#limits.maxEvents || this.#bytes >= this.#limits.maxBytes;
  }

  take(events: number, bytes: number): void {
    this.#events += events;
    this.#bytes += bytes;
    this.#onChange(this.#events, this.#bytes);
  }

  release(events: number, bytes: number): void {
    this.#events = Math.max(0, this.#events - events);
    this.#bytes = Math.max(0, this.#bytes - bytes);
    this.#onChange(this.#events, this.#bytes);
    // Resume below half of the limits, so that a paused source does not flap on every batch.
    if (
      this.#waiters.length > 0 &&
      this.#events <= this.#limits.maxEvents / 2 &&
      this.#bytes <= this.#limits.maxBytes / 2
    ) {
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const resume of waiters) resume();
    }
  }

  /** Resolves at once when there is room, else once the pipeline has drained to half. */
  whenRoom(): Promise<void> {
    if (!this.isFull()) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Wakes every waiter (shutdown). */
  wakeAll(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resume of waiters) resume();
  }
}
