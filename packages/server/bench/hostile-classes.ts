/** The hostile tenant's classes of input in `bench:hostile`, and the commands of its load generator. */
export const HOSTILE_CLASSES = [
  'alias-rule',
  'regex-rule',
  'long-values',
  'gzip-bomb',
  'deep-query',
  'oversized-frame',
] as const;
export type HostileClass = (typeof HOSTILE_CLASSES)[number];

export interface AttackCommand {
  readonly ms: number;
  /** The classes to run (all when absent). */
  readonly only?: readonly HostileClass[];
  readonly noop?: boolean;
  /** At most this many requests per class (each class alone: a CPU cost per request). */
  readonly count?: number;
}
export interface AttackReport {
  readonly sent: Partial<Record<HostileClass, number>>;
  /** Per class: HTTP status (or WebSocket close code; -1 a failed request) → count. */
  readonly answered: Partial<Record<HostileClass, Record<number, number>>>;
}
