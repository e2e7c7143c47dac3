/**
 * Running the tenant's detection again over stored events, as live detection would now (the
 * server's rules and the tenant's own, with its exclusions): what a re-hunt and a detection
 * replay need. The matching engine lives outside core, hence the port.
 */
import type { StoredEvent } from './event-store.ts';

export interface ReplayedDetection {
  readonly ruleId: string;
  readonly ruleTitle: string;
  readonly eventIds: readonly string[];
}

/** One replay fed in pages: correlation windows carry over from one page to the next. */
export interface ReplaySession {
  /** The next events, oldest first; what fired on them (with what came before). */
  feed(events: readonly StoredEvent[]): readonly ReplayedDetection[];
}

export interface DetectionReplay {
  /** Events in the order given (oldest first for correlations). */
  replay(tenantId: string, events: readonly StoredEvent[]): Promise<readonly ReplayedDetection[]>;
  /** A replay to feed page by page (a re-hunt pages through its window). */
  session(tenantId: string): Promise<ReplaySession>;
}
