/**
 * Builds recovery, verification and closure on the server's parts: agent actions through the
 * containment queue (approved at once: a release and a probe are the response's own steps, each
 * authorised when requested), detection replays on the live rule set, the result listener that
 * finishes reachability runs, and the scheduler of repeated checks.
 */
import type {
  Clock,
  ContainmentRequests,
  EventStore,
  Store,
  VerificationLimits,
} from '@cordon/core';
import { ClosureService, RecoveryService, VerificationService, mitigationsFor } from '@cordon/core';
import { parseCommandAction } from '@cordon/protocol';
import type { Containment } from '../agents/containment-wiring.ts';
import type { Detection } from '../detection/detection-wiring.ts';
import { detectionReplayer } from './detection-replayer.ts';
import type { VerificationScheduler } from './verification-scheduler.ts';
import { startVerificationScheduler } from './verification-scheduler.ts';

export interface Recovery {
  readonly recovery: RecoveryService;
  readonly verification: VerificationService;
  readonly closure: ClosureService;
  readonly scheduler: VerificationScheduler;
  close(): Promise<void>;
}

const FINAL = new Set(['applied', 'failed', 'rolled-back']);

export function createRecovery(options: {
  readonly store: Store;
  readonly clock: Clock;
  readonly events: EventStore;
  readonly containment: Containment;
  readonly detection: Detection;
  readonly schedulerIntervalMs?: number;
  /** A re-hunt run's budget and page size (defaults: `DEFAULT_VERIFICATION_LIMITS`). */
  readonly limits?: Partial<VerificationLimits>;
  readonly warn: (message: string, error?: unknown) => void;
}): Recovery {
  const { store, clock, containment } = options;
  const requests: ContainmentRequests = {
    request: async (input) => {
      const action = await containment.queue.request({
        tenantId: input.tenantId,
        agentId: input.agentId,
        // The grammar is the protocol's: what core asks for is parsed like any request.
        action: parseCommandAction(input.action),
        requestedBy: input.requestedBy,
        incidentId: input.incidentId,
        detail: input.detail,
      });
      await containment.dispatcher.wake(input.tenantId, input.agentId);
      return (await containment.queue.get(input.tenantId, action.id)) ?? action;
    },
  };
  const verification = new VerificationService({
    store,
    clock,
    events: options.events,
    containment: requests,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    replay: detectionReplayer({
      rules: options.detection.rules,
      detection: options.detection.service,
      now: () => clock.now(),
    }),
  });
  containment.transitionListeners.push((transition) => {
    if (transition.action.action.kind !== 'reachability-test' || !FINAL.has(transition.to)) return;
    verification
      .recordActionResult(transition.action)
      .catch((error: unknown) => options.warn('recording a reachability result failed', error));
  });
  const scheduler = startVerificationScheduler({
    verification,
    now: () => clock.now(),
    intervalMs: options.schedulerIntervalMs ?? 60_000,
    onError: options.warn,
  });
  return {
    recovery: new RecoveryService({
      store,
      clock,
      mitigations: mitigationsFor,
      containment: requests,
    }),
    verification,
    closure: new ClosureService({ store, clock }),
    scheduler,
    close: () => scheduler.stop(),
  };
}
