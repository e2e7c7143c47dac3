/** Time as a port, so that tests can pin it and metrics can be checked exactly. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
