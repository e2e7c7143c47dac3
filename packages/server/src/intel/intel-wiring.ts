/**
 * Builds threat-intel exchange on a store: the watchlist service (its changes rebuild the
 * matcher's index for that owner), the live `WatchlistMatcher` (a pipeline consumer with its
 * own triage, configured as live detection's), and the incident export service.
 */
import type { AlertIdentification, Clock, Store } from '@cordon/core';
import { IntelExportService, TriageService, WatchlistService } from '@cordon/core';
import type { DetectionConfig } from '../detection/detection-config.ts';
import type { IncidentRaisedListener } from '../pipeline/contracts.ts';
import { WatchlistMatcher } from './watchlist-matcher.ts';

export interface Intel {
  readonly clock: Clock;
  readonly watchlists: WatchlistService;
  readonly matcher: WatchlistMatcher;
  readonly exports: IntelExportService;
}

export function createIntel(options: {
  readonly store: Store;
  readonly clock: Clock;
  readonly config: DetectionConfig;
  readonly identification?: AlertIdentification;
  readonly listeners: readonly IncidentRaisedListener[];
  readonly onError: (message: string, error: unknown) => void;
}): Intel {
  const { store, clock, config } = options;
  const triage = new TriageService(store, clock, {
    mergeWindowMs: config.mergeWindowMs,
    groupWindowMs: config.groupWindowMs,
    incidentMinLevel: config.incidentMinLevel,
    ...(options.identification ? { identification: options.identification } : {}),
  });
  const matcher = new WatchlistMatcher({
    store,
    clock,
    triage,
    listeners: options.listeners,
    onError: options.onError,
  });
  return {
    clock,
    watchlists: new WatchlistService({
      store,
      clock,
      onChange: (owner) => matcher.invalidate(owner),
    }),
    matcher,
    exports: new IntelExportService({ store }),
  };
}
